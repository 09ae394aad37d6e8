"""A MkDocs plugin that puts the diagrams' SVG and large HTML fragments into the built pages.

In: each page's final HTML, holding the placeholders `render_diagrams` and
`render.fragments` wrote into its Markdown, and the cache directory. Out: the same HTML with
every placeholder replaced by its cached SVG or fragment, the theme's indentation cut
(`render.html_trim`) and the marks only the search plugin reads taken out (`render.build_marks`),
both in one split of the page (and of each fragment) into its parts. They join the page only after
Python-Markdown, MkDocs' anchor collection and the search plugin are done with it, so none of
them parses them. On a site whose diagrams are packed (`render.packed_diagrams`), each
diagram goes in as its packed element, which the browser inflates into the same SVG.
`schemadocs.build.run_mkdocs` adds the plugin itself; it is not named in mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from schemadocs.render.build_marks import strip_part
from schemadocs.render.diagrams import SVG_PLACEHOLDER
from schemadocs.render.fragments import put_back
from schemadocs.render.html_trim import trim_html
from schemadocs.render.packed_diagrams import packed_diagram

NAME = "schemadocs/inline-diagrams"


class InlineDiagrams(BasePlugin):  # type: ignore[type-arg]
    def __init__(self, cache_dir: Path, packed: bool = False) -> None:
        super().__init__()
        self.cache_dir = cache_dir
        self.packed = packed

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        return fill_placeholders(trim_html(output, strip_part), self.cache_dir, page.file.src_uri, self.packed)


def fill_placeholders(html: str, cache_dir: Path, source: str, packed: bool = False) -> str:
    """`html` with every diagram and fragment placeholder replaced from `cache_dir` (each
    diagram as its SVG, or `packed`, as its packed element)."""
    def read(kind: str, name: str) -> str:
        try:
            if packed and kind == "diagrams":
                return packed_diagram(cache_dir / kind, name.removesuffix(".svg"))
            return (cache_dir / kind / name).read_text(encoding="utf-8")
        except OSError:
            raise PluginError(f"{kind[:-1]} {name} of {source} is not in {cache_dir / kind}; "
                              "build again to make it") from None

    html = SVG_PLACEHOLDER.sub(lambda m: read("diagrams", f"{m.group(1)}.svg"), html)
    return put_back(html, lambda key: trim_html(read("fragments", f"{key}.html"), strip_part))
