"""Diagram colours that follow the site's light and dark palettes.

In: a role name (`colour("head")`) while a diagram's DOT is written, and later the SVG
Graphviz drew from it (`themed(svg)`). Out: the role's light colour, which the DOT carries so
that a drawing alone still looks right; then the same SVG with a class per role on every shape
and text that carries one of those colours (`sd-f-<role>` for its fill, `sd-s-<role>` for its
stroke). The site's stylesheet (`docs_templates/schemadocs.css`) gives each class its colour
for the light (`default`) and dark (`slate`) schemes of mkdocs-material, so diagram text keeps
a contrast of at least 4.5:1 in both (tested in Chromium: tests/render/test_diagram_browser.py).
"""

from __future__ import annotations

import re

# role -> the colour the DOT carries (the light scheme's); each role is a CSS class and variable
PALETTE: dict[str, str] = {
    "ink": "#1f2328",  # text: names, columns, edge labels
    "muted": "#545e69",  # a column's type
    "paper": "#ffffff",  # a table's or a node's body
    "line": "#4f5b66",  # borders
    "edge": "#607080",  # foreign-key edges and their arrowheads
    "head": "#3f51b5",  # the header of the page's own table
    "head2": "#4f5d6b",  # the header of a neighbour
    "on-head": "#fefefe",  # header text
    "center": "#c5cae9",  # the page's own view in a lineage diagram
    "layer": "#e8eaf6",  # derived relations and subject areas
    "outside": "#eceff1",  # tables of another schema
    "outside-line": "#90a4ae",
    "note": "#f4f4f4",  # "+N more"
    "inherit": "#7b1fa2",  # inheritance edges
}
_ROLE_OF = {hex_: role for role, hex_ in PALETTE.items()}
_SHAPE = re.compile(r"<(polygon|path|ellipse|polyline|text)\b([^>]*)>")
_PAINT = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{6})"')


def colour(role: str) -> str:
    """The colour a DOT attribute gets for `role` (a key of PALETTE)."""
    return PALETTE[role]


def themed(svg: str) -> str:
    """`svg` with a role class on each shape and text painted with a palette colour."""
    def one(match: re.Match[str]) -> str:
        tag, attrs = match.group(1), match.group(2)
        classes = [f"sd-{'f' if kind == 'fill' else 's'}-{_ROLE_OF[value.lower()]}"
                   for kind, value in _PAINT.findall(attrs) if value.lower() in _ROLE_OF]
        if not classes or " class=" in attrs:
            return match.group(0)
        return f'<{tag} class="{" ".join(classes)}"{attrs}>'
    return _SHAPE.sub(one, svg)
