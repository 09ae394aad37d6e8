"""Diagrams packed into their pages: each SVG deflated and base64-encoded, inflated by the browser.

In: the build's choice (`build --diagrams inline|packed|auto`, or `diagrams:` under the
project file's `options: build:`), the site's pages (to count their diagrams) and each
diagram's SVG as the diagram cache keeps it (`render.svg_trim`'s output, already escaped
for SVG and HTML). Out: `packs(choice, pages)`, whether the site's diagrams are packed
(`auto`: from AUTO_MIN diagrams on, so a small site keeps its inline SVG byte for byte); and
`packed_diagram(cache_dir, key)`, the HTML that stands in the built page where the SVG would:

    <div class="sd-packed" data-z="BASE64 OF RAW DEFLATE"><noscript>NOTE</noscript></div>

`assets/unpack.js` replaces that element by the inflated markup (the very SVG string, so the
page's DOM is what an inline build gives) before `assets/diagrams.js` sets the diagram up.
The packed text is kept in the diagram cache beside the SVG (`<key>.z`), so a full build
over a warm cache does not compress again. `unpack` gives the SVG back (tests).
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from schemadocs.atomic import write_atomic
from schemadocs.errors import ConfigError
from schemadocs.render.diagrams import SVG_MARK
from schemadocs.render.escape import base64_attribute

CHOICES = ("inline", "packed", "auto")
AUTO_MIN = 1000  # diagrams in the site from which `auto` packs them
LEVEL = 9  # zlib's best compression: packing is done once per diagram and cached
WBITS = -15  # raw DEFLATE (no zlib header), what DecompressionStream("deflate-raw") reads
PACKED_SUFFIX = ".z"  # the packed text's cache file, beside `<key>.svg`
NOTE = ("This diagram needs JavaScript (a browser from 2023 on). "
        "The tables on this page list the same columns and relations.")


def packs(choice: str, pages: Iterable[str]) -> bool:
    """Whether a site of these pages (docs-dir texts) gets its diagrams packed under `choice`."""
    if choice not in CHOICES:
        raise ConfigError(f"diagrams: {choice!r} is not one of {', '.join(CHOICES)}; "
                          "pass --diagrams inline, packed or auto")
    if choice != "auto":
        return choice == "packed"
    return sum(text.count(SVG_MARK) for text in pages) >= AUTO_MIN


def packed_diagram(cache_dir: Path, key: str) -> str:
    """The packed element of the cached diagram `key` (its packed text cached beside its SVG)."""
    cached = cache_dir / f"{key}{PACKED_SUFFIX}"
    try:
        data = cached.read_text(encoding="ascii")
    except OSError:
        data = str(base64_attribute(deflate((cache_dir / f"{key}.svg").read_text(encoding="utf-8"))))
        write_atomic(cached, data)
    return packed_element(Markup(data))


def pack(svg: str) -> str:
    """The packed element of one SVG (as `packed_diagram` gives it, without the cache)."""
    return packed_element(base64_attribute(deflate(svg)))


def packed_element(data: Markup) -> str:
    return f'<div class="sd-packed" data-z="{data}"><noscript>{NOTE}</noscript></div>'


def deflate(svg: str) -> bytes:
    """The SVG's UTF-8 bytes as raw DEFLATE."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    return packer.compress(svg.encode("utf-8")) + packer.flush()


def unpack(data: str) -> str:
    """The SVG a `data-z` value holds."""
    return zlib.decompress(base64.b64decode(data, validate=True), WBITS).decode("utf-8")
