"""Lighter diagrams: the SVG Graphviz draws, with what the browser does not need taken out.

In: one drawing as `render.diagrams` keeps it (inline-ready SVG, no prolog or comments).
Out: the same drawing, smaller, rendered the same: every id, class, link, tooltip and text
kept, so diagrams stay clickable and searchable. Taken out:

- `<title>` elements: Graphviz names each node and edge by its DOT id (`n3`, `n3->n5`),
  which a browser shows as a meaningless tooltip; the real tooltips are the links' titles;
- the attributes every text repeats (`font-family`, `font-size`, `text-anchor`): the most
  common value of each is set once on the drawing's root group, whose texts inherit it (only
  texts use these, and Graphviz writes them on every text, so nothing else is affected);
- coordinate precision: Graphviz writes two decimals (`10.00`, `287.50`); one is kept, and
  trailing zeros dropped, a change of at most 0.05 px;
- a polygon's closing point, when it repeats the first (SVG polygons close themselves).
"""

from __future__ import annotations

import re
from collections import Counter

SVG_FORM = "trimmed-1"  # part of each diagram's cache key: a change to the trimming draws them again
HOISTED = ("font-family", "font-size", "text-anchor")  # only <text> carries them in Graphviz's SVG
_NUMBER = re.compile(r"-?\d+\.\d+")
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_TEXT_TAG = re.compile(r"<text\b[^>]*>")
_ROOT_GROUP = re.compile(r'<g id="graph0" class="graph"')
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_NUMERIC = re.compile(r'(?<=\s)(points|d|x|y|cx|cy|rx|ry|width|height|viewBox|transform|font-size)="([^"]*)"')
_POINTS = re.compile(r'^(<polygon\s.*?(?<=\s)points=")([^"]*)"')


def trim_svg(svg: str) -> str:
    """The drawing with titles, repeated text attributes, excess precision and closing points
    taken out (see the module docstring); a drawing without Graphviz's root group is returned as is."""
    if not _ROOT_GROUP.search(svg):
        return svg
    svg = _TITLE.sub("", svg)
    svg = _TAG.sub(lambda m: _lighter_tag(m.group(0)), svg)
    hoisted = _common_text_attributes(svg)
    if hoisted:
        svg = _TEXT_TAG.sub(lambda m: _without(m.group(0), hoisted), svg)
        attrs = "".join(f' {name}="{value}"' for name, value in hoisted.items())
        svg = _ROOT_GROUP.sub(lambda m: m.group(0) + attrs, svg, count=1)
    return svg


def _lighter_tag(tag: str) -> str:
    """One start tag with its numbers rounded, and a polygon's closing point dropped."""
    tag = _NUMERIC.sub(lambda m: f'{m.group(1)}="{_round_all(m.group(2))}"', tag)
    return _POINTS.sub(lambda m: f'{m.group(1)}{_open_polygon(m.group(2))}"', tag)


def _common_text_attributes(svg: str) -> dict[str, str]:
    """Per hoisted attribute, its most common value among the texts, when every text sets it."""
    tags = _TEXT_TAG.findall(svg)
    found: dict[str, str] = {}
    for name in HOISTED:
        values = [m.group(1) for m in (re.search(rf'\s{name}="([^"]*)"', tag) for tag in tags) if m]
        if values and len(values) == len(tags):
            found[name] = Counter(values).most_common(1)[0][0]
    return found


def _without(tag: str, hoisted: dict[str, str]) -> str:
    for name, value in hoisted.items():
        tag = tag.replace(f' {name}="{value}"', "", 1)
    return tag


def _round_all(text: str) -> str:
    return _NUMBER.sub(lambda m: _round(m.group(0)), text)


def _round(number: str) -> str:
    text = f"{float(number):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open_polygon(points: str) -> str:
    pairs = points.split()
    return " ".join(pairs[:-1]) if len(pairs) > 3 and pairs[0] == pairs[-1] else points
