"""A MkDocs plugin that puts the diagrams' SVG into the built pages.

In: each page's final HTML, holding the placeholders `render_diagrams` wrote into its
Markdown, and the diagram cache directory. Out: the same HTML with every placeholder
replaced by its cached SVG. The SVG joins the page only after Python-Markdown, MkDocs'
anchor collection and the search plugin are done with it, so none of them parses it.
`schemadocs.build.run_mkdocs` adds the plugin itself; it is not named in mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from schemadocs.render.diagrams import SVG_PLACEHOLDER

NAME = "schemadocs/inline-diagrams"


class InlineDiagrams(BasePlugin):  # type: ignore[type-arg]
    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.cache_dir = cache_dir

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        return SVG_PLACEHOLDER.sub(lambda m: self._svg(m.group(1), page), output)

    def _svg(self, key: str, page: Any) -> str:
        try:
            return (self.cache_dir / f"{key}.svg").read_text(encoding="utf-8")
        except OSError:
            raise PluginError(f"the diagram {key} of {page.file.src_uri} is not in {self.cache_dir}; "
                              "build again to draw it") from None
