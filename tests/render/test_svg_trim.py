"""Trimmed diagrams (`render.svg_trim`): smaller, with every id, class, link, tooltip and text kept,
on a drawing made by the real Graphviz `dot` (or graphviz-pure) from a hostile DOT source."""

from __future__ import annotations

import re
import subprocess

import graphviz
import pytest

from schemadocs.render.diagrams import _clean_svg, dot_program
from schemadocs.render.escape import dot_html, dot_text
from schemadocs.render.svg_trim import trim_svg

NAME = 'o"rders <b>&amp; x="1.25" d="M1.55,2"'


def drawing() -> str:
    dot = dot_program()
    if dot is None:
        pytest.fail("no Graphviz program: graphviz-pure is a dependency of schemadocs")
    label = (f'<<TABLE BORDER="0" CELLBORDER="1"><TR><TD HREF="a.html" TITLE="{dot_html(NAME)}">'
             f'<B>{dot_html(NAME)}</B></TD></TR><TR><TD ALIGN="LEFT" HREF="a.html#col-id" TITLE="id">PK id '
             f'<FONT COLOR="#7a8591">bigint</FONT></TD></TR></TABLE>>')
    graph = graphviz.Digraph("er", node_attr={"fontname": "Helvetica", "fontsize": "10"}, edge_attr={"fontsize": "9"})
    graph.node("n0", label=label, shape="plain", URL="a.html", target="_top", tooltip=dot_text(NAME))
    graph.node("n1", label=dot_text(NAME), shape="box", style="rounded,filled", fillcolor="white", URL="b.html",
               target="_top")
    graph.edge("n0", "n1", label="customer_id")
    source = graph.source
    done = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True, check=True, timeout=60)
    return _clean_svg(done.stdout.decode())


def texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)


def test_trimmed_drawing_keeps_links_ids_tooltips_and_text() -> None:
    svg = drawing()
    trimmed = trim_svg(svg)
    assert len(trimmed) < 0.9 * len(svg)
    for pattern in (r'\sid="[^"]*"', r'\sclass="[^"]*"', r'xlink:href="[^"]*"', r'xlink:title="[^"]*"', r'target="[^"]*"'):
        assert re.findall(pattern, trimmed) == re.findall(pattern, svg), pattern
    assert texts(trimmed) == texts(svg) and any("rders" in t for t in texts(svg))
    assert "<title>" not in trimmed and "<title>" in svg
    assert re.search(r'<g id="graph0" class="graph" font-family="[^"]+" font-size="10" text-anchor="[a-z]+"', trimmed)
    assert re.findall(r'<text[^>]*font-family="([^"]*)"', trimmed) == ["Times,serif"]  # the edge label's own
    assert not re.search(r'(?:points|x|y|d)="[^"]*\d\.\d\d', trimmed)


def test_each_text_keeps_its_own_font_size_and_anchor_when_not_the_common_one() -> None:
    svg = drawing()
    trimmed = trim_svg(svg)
    assert re.findall(r"<text\b[^>]*font-size=\"9\"[^>]*>([^<]*)<", trimmed) == ["customer_id"]
    assert len(re.findall(r'text-anchor="middle"', trimmed)) == len(re.findall(r'<text[^>]*text-anchor="middle"', svg)) - (
        1 if 'text-anchor="middle"' in re.search(r'<g id="graph0"[^>]*>', trimmed).group(0) else 0)


def test_a_drawing_not_made_by_graphviz_is_left_alone() -> None:
    assert trim_svg('<svg><text x="1.25">a</text></svg>') == '<svg><text x="1.25">a</text></svg>'
