"""The post-processing of a drawing as it was before it was made cheaper (main at d6f7cb0), frozen
as the reference the tests compare today's bytes with: `reference_post(svg)` is what
`svg_draw.draw` wrote for the SVG `dot` drew. Not used by schemadocs.
"""
# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import re
from collections import Counter

from schemadocs.render.diagram_theme import PALETTE


def reference_post(svg: str) -> str:
    """`_alone`, `_clean_svg`, `themed` then `trim_svg`, as they were."""
    return trim_svg(themed(_clean_svg(_alone(svg))))


_ROLE_OF = {hex_: role for role, hex_ in PALETTE.items()}
_THEMED_SHAPE = re.compile(r"<(polygon|path|ellipse|polyline|text)\b([^>]*)>")
_PAINT = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{6})"')


def themed(svg: str) -> str:
    def one(match: re.Match[str]) -> str:
        tag, attrs = match.group(1), match.group(2)
        classes = [f"sd-{'f' if kind == 'fill' else 's'}-{_ROLE_OF[value.lower()]}"
                   for kind, value in _PAINT.findall(attrs) if value.lower() in _ROLE_OF]
        if not classes or " class=" in attrs:
            return match.group(0)
        return f'<{tag} class="{" ".join(classes)}"{attrs}>'
    return _THEMED_SHAPE.sub(one, svg)


def _alone(svg: str) -> str:
    svg = re.sub(r'<g id="page\d+,\d+_graph0" class="graph"', '<g id="graph0" class="graph"', svg, count=1)
    numbers = [int(n) for n in re.findall(r'id="a_[^"]*?_(\d+)"', svg)]
    if not numbers or min(numbers) == 0:
        return svg
    offset = min(numbers)
    return re.sub(r'(id="a_[^"]*?_)(\d+)"', lambda m: f'{m.group(1)}{int(m.group(2)) - offset}"', svg)


def _clean_svg(svg: str) -> str:
    svg = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="sd-er" style="max-width:100%;height:auto"', svg, count=1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


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
    return compact_shapes(_GRAPHVIZ_ID.sub("<g", svg))


def compact_shapes(svg: str) -> str:
    """Cell backgrounds merged with their borders, rectangles as short paths, no `fill="none"` the
    stylesheet gives, no identity transform, no `target="_top"`, no line breaks between tags (see the module docstring). Graphviz writes every `"` of a name
    or comment as `&quot;` and every `<` as `&lt;`, so these patterns never match inside a
    name, a tooltip or a text."""
    svg = _CELL.sub(r'<polygon class="\1 \3" points="\2"/>', svg)
    svg = _POLYGON.sub(_as_box, svg)
    svg = _STROKE_ONLY.sub(r"\1", svg)
    svg = svg.replace(' transform="scale(1 1) rotate(0) translate(', ' transform="translate(', 1)
    return svg.replace(' target="_top"', "").replace(">\n<", "><")


def _as_box(match: re.Match[str]) -> str:
    """One polygon as a box path when its four points are the corners of an axis-aligned box."""
    attrs, points = match.groups()
    try:
        corners = [tuple(float(v) for v in pair.split(",")) for pair in points.split()]
    except ValueError:
        return match.group(0)
    if len(corners) != 4 or any(len(c) != 2 for c in corners):
        return match.group(0)
    xs, ys = sorted({x for x, _ in corners}), sorted({y for _, y in corners})
    edges = zip(corners, corners[1:] + corners[:1])
    if len(xs) != 2 or len(ys) != 2 or not all((a[0] == b[0]) != (a[1] == b[1]) for a, b in edges):
        return match.group(0)
    x, y, width, height = xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]
    return f'<path{attrs} d="M{_number(x)},{_number(y)}h{_number(width)}v{_number(height)}h{_number(-width)}z"/>'


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
