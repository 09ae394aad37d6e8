"""Lighter diagrams: the SVG Graphviz draws, with what the browser does not need taken out.

In: one drawing as `render.diagrams` keeps it (inline-ready SVG, no prolog or comments).
Out: the same drawing, smaller, rendered the same: every id, class, link, tooltip and text
kept, so diagrams stay clickable and searchable. Taken out:

- `<title>` elements: Graphviz names each node and edge by its DOT id (`n3`, `n3->n5`),
  which a browser shows as a meaningless tooltip; the real tooltips are the links' titles;
- the attributes every text repeats (`font-family`, `font-size`, `text-anchor`): the most
  common value of each is set once on the drawing's root group, whose texts inherit it (only
  texts use these, and Graphviz writes them on every text, so nothing else is affected);
- coordinate precision: Graphviz writes two decimals in paths, polygons, the view box and
  font sizes (graphviz-pure in text positions too) (`10.00`, `-46.24`); one is kept and trailing zeros dropped, a change of at
  most 0.05 px;
- a polygon's closing point, when it repeats the first (SVG polygons close themselves);
- colours a class already gives: a shape or text with the role class `sd-f-ROLE` (`sd-s-ROLE`)
  drops its `fill` (`stroke`) when it is that role's light colour (`render.diagram_theme`), which
  the site's stylesheet sets for the class inside `.sd-diagram`, where every drawing is shown;
  `stroke="transparent"` (SVG draws no stroke unless told; Graphviz sets none on groups).

The groups Graphviz wraps around each link (`<g id="a_node1_0">`) and the line breaks between
elements stay: without them the diagram contrast test (tests/render/test_diagram_browser.py)
found the texts of a table's rows over its header, not yet understood.
"""

from __future__ import annotations

import re
from collections import Counter

from schemadocs.render.diagram_theme import PALETTE

SVG_FORM = "trimmed-3"  # part of each diagram's cache key: a change to the trimming draws them again
HOISTED = ("font-family", "font-size", "text-anchor")  # only <text> carries them in Graphviz's SVG
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_ROOT_GROUP = re.compile(r'<g id="graph0" class="graph"')
_FONT_SIZE = re.compile(r'font-size="(\d+)\.00"')  # 10.00 → 10 (x and y come with at most one decimal)
_TWO_DECIMALS = re.compile(r'-?\d+\.\d{2,}')
_LIST_ATTR = re.compile(r' (points|d|viewBox|transform|x|y)="([^"]*)"')  # x, y: graphviz-pure writes two decimals
_VALUES = {name: re.compile(rf' {name}="([^"]*)"') for name in HOISTED}
_SHAPE = re.compile(r'<(?:polygon|path|ellipse|polyline|text) class="([^"]*)"[^>]*>')
_ROLE_PAINT = {f"sd-{kind[0]}-{role}": f' {kind}="{hex_}"' for role, hex_ in PALETTE.items() for kind in ("fill", "stroke")}
_TRANSPARENT = re.compile(r'(<(?:polygon|path|ellipse|polyline)\b[^>]*?) stroke="transparent"')


def trim_svg(svg: str) -> str:
    """The drawing with titles, repeated text attributes, excess precision and closing points
    taken out (see the module docstring); a drawing without Graphviz's root group is returned as is.

    Graphviz writes every `"` of a name or comment as `&quot;`, so a literal ` name="` is
    always an attribute: whole-document expressions find them, fast (some 14,000 drawings at
    10,000 tables)."""
    if not _ROOT_GROUP.search(svg):
        return svg
    svg = _TITLE.sub("", svg)
    svg = _FONT_SIZE.sub(r'font-size="\1"', svg)
    svg = _LIST_ATTR.sub(_lighter_numbers, svg)
    texts = svg.count("<text ")
    hoisted = {}
    for name, pattern in _VALUES.items():
        values = pattern.findall(svg)
        if texts and len(values) == texts:  # every text sets it, and nothing else does
            hoisted[name] = Counter(values).most_common(1)[0][0]
    if hoisted:
        for name, value in hoisted.items():
            svg = svg.replace(f' {name}="{value}"', "")
        attrs = "".join(f' {name}="{value}"' for name, value in hoisted.items())
        svg = _ROOT_GROUP.sub(lambda m: m.group(0) + attrs, svg, count=1)
    svg = _SHAPE.sub(_without_class_colours, svg)
    svg = _TRANSPARENT.sub(r"\1", svg)
    return svg


def _without_class_colours(match: re.Match[str]) -> str:
    """One shape or text tag without the fill and stroke its role classes already give."""
    tag = match.group(0)
    for name in match.group(1).split():
        paint = _ROLE_PAINT.get(name)
        if paint is not None:
            at = tag.lower().find(paint)
            if at >= 0:
                tag = tag[:at] + tag[at + len(paint):]
    return tag


def _lighter_numbers(match: re.Match[str]) -> str:
    """One attribute's numbers with one decimal; a polygon's points without the closing one."""
    name, value = match.groups()
    if "." in value:
        value = _TWO_DECIMALS.sub(_round, value)
    if name == "points":
        value = _open_polygon(value)
    return f' {name}="{value}"'


def _round(match: re.Match[str]) -> str:
    text = f"{float(match.group(0)):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open_polygon(points: str) -> str:
    pairs = points.split()
    return " ".join(pairs[:-1]) if len(pairs) > 3 and pairs[0] == pairs[-1] else points
