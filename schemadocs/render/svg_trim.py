"""Lighter diagrams: the SVG Graphviz draws, with what the browser does not need taken out.

In: one drawing as `render.diagrams` keeps it (inline-ready SVG, no prolog or comments).
Out: the same drawing, smaller, rendered the same: every id, class, link, tooltip and text
kept (but Graphviz's own ids, below), so diagrams stay clickable and searchable. Taken out:

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
  `stroke="transparent"` (SVG draws no stroke unless told; Graphviz sets none on groups);
- shapes written shorter (`compact_shapes`): a table cell's background and its border, two
  polygons on the same points, become one shape with both role classes (the fill is painted
  first, then the stroke, as before); an axis-aligned four-point polygon becomes a path drawn
  from its top left corner with relative lines (`M289.5,-429h189v21h-189z`: the same box and
  stroke, shorter than a `<rect>` too); a shape with a stroke class only (`sd-s-ROLE`: a
  cell's border, an edge's line) drops its `fill="none"`, which the stylesheet gives every
  such shape without a fill of its own (`.sd-diagram [class^="sd-s-"]:not([fill])`: Graphviz
  writes a fill on every shape, and `render.diagram_theme` puts a fill class before a stroke
  class); the root group's identity `scale(1 1) rotate(0)` goes; links lose `target="_top"`
  (the diagram is part of the page: its links open where the page's other links do); the
  line breaks between tags go;
- Graphviz's own ids (`graph0`, `node3`, `edge7`, `clust1`, `a_node3`, `a_node3_0`): nothing
  reads them, and they repeat on a page with two diagrams (an ER and a lineage diagram), where
  HTML wants every id once. The groups they were on stay.

Two things stay as Graphviz writes them. The group around each link of a table's cell
(`<g><a ...>`, once `<g id="a_node1_0">`): Chromium does not draw an `<a>` whose parent is an `<a>`, and
without the group each cell's link would be the table's link's child (its shapes and texts
then are not drawn and have an empty box: the diagram contrast test's failure when these
groups were dropped before). And `xlink:href`: with SVG 2's `href`, Material's script, which
sets `href` on every element of the page that has one, fails on the diagram's links (their
`href` is read-only): a page error.
"""

from __future__ import annotations

import re
from collections import Counter

from schemadocs.render.diagram_theme import PALETTE

SVG_FORM = "trimmed-8"  # part of each diagram's cache key: a change to the trimming draws them again
HOISTED = ("font-family", "font-size", "text-anchor")  # only <text> carries them in Graphviz's SVG
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_ROOT_GROUP = re.compile(r'<g id="graph0" class="graph"')
_FONT_SIZE = re.compile(r'(font-size="\d+)\.00"')  # 10.00 → 10 (x and y come with at most one decimal)
_TWO_DECIMALS = re.compile(r'(-?\d+\.\d{2,})')  # captured: split() keeps them
_POINTS = re.compile(r' (points)="([^"]*)"')  # every one: its closing point may go
# the other attributes with numbers (x, y: graphviz-pure writes two decimals), only where one has two decimals
_DECIMAL_ATTR = re.compile(r' (d|viewBox|transform|x|y)="([^"]*\d\.\d\d[^"]*)"')
_VALUES = re.compile(r' (' + "|".join(HOISTED) + r')="([^"]*)"')
_SHAPE = re.compile(r'<(?:polygon|path|ellipse|polyline|text) class="([^"]*)"[^>]*>')
_ROLE_PAINT = {f"sd-{kind[0]}-{role}": f' {kind}="{hex_}"' for role, hex_ in PALETTE.items() for kind in ("fill", "stroke")}
_TRANSPARENT = re.compile(r'(<(?:polygon|path|ellipse|polyline)\b[^>]*?) stroke="transparent"')
# a cell's background, then its border on the same points (what an HTML-like table cell draws)
_CELL = re.compile(r'<polygon class="(sd-f-[\w-]+)"(?: stroke="none")? points="([^"]*)"/>\n<polygon class="(sd-s-[\w-]+)" '
                   r'fill="none" points="\2"/>')  # (graphviz-pure writes stroke="none" on the background)
_STROKE_ONLY = re.compile(r'(<(?:polygon|path|ellipse|polyline) class="sd-s-[\w-]+") fill="none"')
_GRAPHVIZ_ID = re.compile(r'<g id="(?:graph\d+|(?:a_)?(?:node|edge|clust)\d+(?:_\d+|-(?:head|tail)?label)?)"')  # (names are &quot;-escaped)
_POLYGON = re.compile(r'<polygon((?: (?:class|fill|stroke|stroke-width)="[^"]*")*) points="([^"]*)"/>')


def trim_svg(svg: str) -> str:
    """The drawing with titles, repeated text attributes, excess precision and closing points
    taken out (see the module docstring); a drawing without Graphviz's root group is returned as is.

    Graphviz writes every `"` of a name or comment as `&quot;`, so a literal ` name="` is
    always an attribute: whole-document expressions find them, fast (some 14,000 drawings at
    10,000 tables)."""
    if not _ROOT_GROUP.search(svg):
        return svg
    svg = _TITLE.sub("", svg)
    svg = _FONT_SIZE.sub(_closed, svg)
    svg = _DECIMAL_ATTR.sub(_lighter_numbers, _POINTS.sub(_lighter_numbers, svg))
    texts = svg.count("<text ")
    hoisted = {}
    found: dict[str, list[str]] = {name: [] for name in HOISTED}
    for name, value in _VALUES.findall(svg):
        found[name].append(value)
    for name, values in found.items():
        if texts and len(values) == texts:  # every text sets it, and nothing else does
            hoisted[name] = Counter(values).most_common(1)[0][0]
    if hoisted:
        for name, value in hoisted.items():
            svg = svg.replace(f' {name}="{value}"', "")
        attrs = "".join(f' {name}="{value}"' for name, value in hoisted.items())
        svg = _ROOT_GROUP.sub(lambda m: m.group(0) + attrs, svg, count=1)
    svg = _SHAPE.sub(_without_class_colours, svg)
    if ' stroke="transparent"' in svg:
        svg = _TRANSPARENT.sub(_first, svg)
    return compact_shapes(_GRAPHVIZ_ID.sub("<g", svg))


def compact_shapes(svg: str) -> str:
    """Cell backgrounds merged with their borders, rectangles as short paths, no `fill="none"` the
    stylesheet gives, no identity transform, no `target="_top"`, no line breaks between tags (see the module docstring). Graphviz writes every `"` of a name
    or comment as `&quot;` and every `<` as `&lt;`, so these patterns never match inside a
    name, a tooltip or a text."""
    svg = _CELL.sub(_one_cell, svg)
    svg = _POLYGON.sub(_as_box, svg)
    svg = _STROKE_ONLY.sub(_first, svg)
    svg = svg.replace(' transform="scale(1 1) rotate(0) translate(', ' transform="translate(', 1)
    return svg.replace(' target="_top"', "").replace(">\n<", "><")


def _as_box(match: re.Match[str]) -> str:
    """One polygon as a box path when its four points are the corners of an axis-aligned box."""
    attrs, points = match.groups()
    pairs = points.split()
    if len(pairs) != 4:
        return match.group(0)
    try:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = [(float(a), float(b)) for a, b in (p.split(",") for p in pairs)]
    except ValueError:  # not a number, or not two of them
        return match.group(0)
    # four corners, each side along one axis: x alternates with y from one side to the next
    if not ((x0 == x1) != (y0 == y1) and (x1 == x2) != (y1 == y2) and (x2 == x3) != (y2 == y3)
            and (x3 == x0) != (y3 == y0)):
        return match.group(0)
    xs, ys = {x0, x1, x2, x3}, {y0, y1, y2, y3}
    if len(xs) != 2 or len(ys) != 2:
        return match.group(0)
    x, right = min(xs), max(xs)
    y, bottom = min(ys), max(ys)
    width, height = right - x, bottom - y
    return f'<path{attrs} d="M{_number(x)},{_number(y)}h{_number(width)}v{_number(height)}h{_number(-width)}z"/>'


def _number(value: float) -> str:
    text = _NUMBERS.get(value)
    if text is None:
        if len(_NUMBERS) > 20_000:  # a bound on the memory it takes (some 2.5 MB)
            _NUMBERS.clear()
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        text = _NUMBERS[value] = "0" if text in ("-0", "") else text
    return text


_NUMBERS: dict[float, str] = {}  # a value → as written (-0.0 is 0.0: both are written "0")


def _without_class_colours(match: re.Match[str]) -> str:
    """One shape or text tag without the fill and stroke its role classes already give."""
    tag = match.group(0)
    if not tag.isascii():  # lower() may change a length: found where the lowered tag is now
        for name in match.group(1).split():
            paint = _ROLE_PAINT.get(name)
            if paint is not None:
                at = tag.lower().find(paint)
                if at >= 0:
                    tag = tag[:at] + tag[at + len(paint):]
        return tag
    lowered = tag.lower()
    for name in match.group(1).split():
        paint = _ROLE_PAINT.get(name)
        if paint is not None:
            at = lowered.find(paint)
            if at >= 0:
                tag = tag[:at] + tag[at + len(paint):]
                lowered = lowered[:at] + lowered[at + len(paint):]
    return tag


def _lighter_numbers(match: re.Match[str]) -> str:
    """One attribute's numbers with one decimal; a polygon's points without the closing one."""
    name, value = match.groups()
    if "." in value:
        value = _rounded(value)
    if name == "points":
        value = _open_polygon(value)
    return f' {name}="{value}"'


class _Rounded(dict[str, str]):
    """A number as written → as kept (one decimal), computed once: most coordinates repeat."""

    def __missing__(self, text: str) -> str:
        if len(self) > 20_000:  # a bound on the memory it takes (some 2.5 MB)
            self.clear()
        kept = self[text] = _number(float(text))
        return kept


_ROUNDED = _Rounded()


def _rounded(value: str) -> str:
    """`value` with each number of two or more decimals kept with one (`_TWO_DECIMALS` captures them)."""
    parts = _TWO_DECIMALS.split(value)
    parts[1::2] = map(_ROUNDED.__getitem__, parts[1::2])
    return "".join(parts)


def _open_polygon(points: str) -> str:
    pairs = points.split()
    return " ".join(pairs[:-1]) if len(pairs) > 3 and pairs[0] == pairs[-1] else points


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def _closed(match: re.Match[str]) -> str:
    return match.group(1) + '"'


def _one_cell(match: re.Match[str]) -> str:
    fill, points, stroke = match.groups()
    return f'<polygon class="{fill} {stroke}" points="{points}"/>'
