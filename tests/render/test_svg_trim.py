"""Trimmed diagrams (`render.svg_trim`): smaller, with every id, class, link, tooltip and text kept,
on a drawing made by the real Graphviz `dot` (or graphviz-pure) from a hostile DOT source."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import graphviz
import pytest

from schemadocs.render.diagram_theme import PALETTE, themed
from schemadocs.render.diagrams import dot_program
from schemadocs.render.svg_draw import _clean_svg
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
    for pattern in (r'\sclass="[^"]*"', r'xlink:href="[^"]*"', r'xlink:title="[^"]*"'):
        assert re.findall(pattern, trimmed) == re.findall(pattern, svg), pattern
    # Graphviz's own ids go (they repeat on a page of two diagrams); the groups they were on stay
    assert re.findall(r'<g id="(?:graph|node|a_node)\d', svg) and ' id="' not in trimmed
    assert trimmed.count("<g") == svg.count("<g")
    assert 'target="_top"' in svg and "target=" not in trimmed
    assert ">\n<" in svg and ">\n<" not in trimmed
    assert texts(trimmed) == texts(svg) and any("rders" in t for t in texts(svg))
    assert "<title>" not in trimmed and "<title>" in svg
    assert re.search(r'<g class="graph" font-family="[^"]+" font-size="10" text-anchor="[a-z]+"', trimmed)
    assert re.findall(r'<text[^>]*font-family="([^"]*)"', trimmed) == ["Times,serif"]  # the edge label's own
    assert not re.search(r'(?:points|x|y|d)="[^"]*\d\.\d\d', trimmed)


def test_each_text_keeps_its_own_font_size_and_anchor_when_not_the_common_one() -> None:
    svg = drawing()
    trimmed = trim_svg(svg)
    assert re.findall(r"<text\b[^>]*font-size=\"9\"[^>]*>([^<]*)<", trimmed) == ["customer_id"]
    assert len(re.findall(r'text-anchor="middle"', trimmed)) == len(re.findall(r'<text[^>]*text-anchor="middle"', svg)) - (
        1 if 'text-anchor="middle"' in re.search(r'<g class="graph"[^>]*>', trimmed).group(0) else 0)


def test_a_drawing_not_made_by_graphviz_is_left_alone() -> None:
    assert trim_svg('<svg><text x="1.25">a</text></svg>') == '<svg><text x="1.25">a</text></svg>'


def themed_drawing() -> str:
    """A table node and an edge in the site's palette colours, as `render.diagrams` draws them."""
    dot = dot_program()
    assert dot is not None
    label = (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" COLOR="{PALETTE["line"]}" BGCOLOR="{PALETTE["paper"]}">'
             f'<TR><TD BGCOLOR="{PALETTE["head"]}" HREF="a.html" TITLE="t"><FONT COLOR="{PALETTE["on-head"]}">'
             f'<B>app.orders</B></FONT></TD></TR><TR><TD HREF="a.html#col-id" TITLE="id">id '
             f'<FONT COLOR="{PALETTE["muted"]}">bigint</FONT></TD></TR></TABLE>>')
    graph = graphviz.Digraph("er", node_attr={"fontname": "Helvetica", "fontsize": "10", "fontcolor": PALETTE["ink"]},
                             edge_attr={"color": PALETTE["edge"], "fontcolor": PALETTE["ink"]})
    graph.node("n0", label=label, shape="plain", URL="a.html", target="_top")
    graph.node("n1", label="b", shape="box", style="filled", fillcolor=PALETTE["layer"], color=PALETTE["line"])
    graph.edge("n0", "n1", label="customer_id")
    done = subprocess.run([dot, "-Tsvg"], input=graph.source.encode(), capture_output=True, check=True, timeout=60)
    return themed(_clean_svg(done.stdout.decode()))


def test_colours_a_role_class_gives_and_transparent_strokes_go_the_rest_stay() -> None:
    svg = themed_drawing()
    trimmed = trim_svg(svg)
    shapes = re.findall(r"<(?:polygon|rect|path|ellipse|polyline|text)\b[^>]*>", trimmed)
    roles = [name for shape in shapes for c in re.findall(r'class="([^"]*)"', shape) for name in c.split()]
    assert {"sd-f-head", "sd-f-on-head", "sd-s-line", "sd-f-muted", "sd-s-edge"} <= set(roles), roles
    assert len(roles) == sum(len(c.split()) for c in re.findall(r'<(?:polygon|path|ellipse|polyline|text) class="([^"]*)"', svg))
    for shape in shapes:
        classes = (re.findall(r'class="([^"]*)"', shape) or [""])[0].split()
        for role, hex_ in PALETTE.items():
            if f"sd-f-{role}" in classes:
                assert f'fill="{hex_}"' not in shape.lower(), shape
            if f"sd-s-{role}" in classes:
                assert f'stroke="{hex_}"' not in shape.lower(), shape
    assert 'stroke="transparent"' not in trimmed
    assert re.search(r'<path class="sd-f-head sd-s-line" d="M', trimmed)
    stroke_only = len(re.findall(r'<(?:polygon|path|ellipse|polyline) class="sd-s-[\w-]+" fill="none"', svg))
    assert stroke_only >= 2  # the row's border, the edge's line: the stylesheet gives them no fill
    assert not re.search(r'class="sd-s-[\w-]+" fill="none"', trimmed)
    assert len(re.findall(r'fill="none"', trimmed)) == len(re.findall(r'fill="none"', svg)) - stroke_only, \
        "colours no class gives stay"
    assert 'transform="translate(' in trimmed and "rotate(0)" in svg and "rotate(" not in trimmed
    assert texts(trimmed) == texts(svg)
    assert re.findall(r'xlink:href="([^"]*)"', trimmed) == re.findall(r'xlink:href="([^"]*)"', svg)


def boxes(svg: str, tag: str) -> list[tuple[float, float, float, float]]:
    """The (x, y, width, height) of each axis-aligned four-point polygon, or of each box path."""
    found = []
    if tag == "path":
        for x, y, w, h, back in re.findall(r'<path\b[^>]*d="M([-\d.]+),([-\d.]+)h([-\d.]+)v([-\d.]+)h([-\d.]+)z"', svg):
            assert float(back) == -float(w)
            found.append((float(x), float(y), float(w), float(h)))
        return sorted(found)
    for points in re.findall(r'<polygon\b[^>]*points="([^"]*)"', svg):
        pairs = [tuple(map(float, p.split(","))) for p in points.split()]
        xs, ys = {x for x, _ in pairs}, {y for _, y in pairs}
        if len(pairs) >= 4 and len(xs) == 2 and len(ys) == 2:
            found.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    return sorted(set(found))


def links(svg: str) -> list[tuple[bool, str, str, list[str]]]:
    """Each link of a drawing parsed as XML: whether its parent is a group, its href, tooltip and texts."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.w3.org/2000/svg"}
    xlink = "{http://www.w3.org/1999/xlink}"
    root = ET.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    out = []
    for a in root.iterfind(".//s:a", ns):
        group = parents[a]
        own = group.tag.endswith("}g")
        href = a.get(f"{xlink}href") or ""
        texts_ = ["".join(t.itertext()) for t in a.iterfind(".//s:text", ns)]
        out.append((own, href, a.get(f"{xlink}title") or "", texts_))
    return out


def test_shapes_are_written_shorter_and_draw_the_same_boxes_links_and_texts() -> None:
    before = themed_drawing()
    compact = trim_svg(before)
    assert "<polygon" in before and boxes(compact, "path") != []
    # every axis-aligned box of the drawing is still drawn, now as a short path (the header's two as one)
    # (to the trim's one decimal: each coordinate moves by at most 0.05, a width or height by 0.1)
    after, drawn = sorted(set(boxes(compact, "path"))), sorted(set(boxes(before, "polygon")))
    assert len(after) == len(drawn) and all(abs(a - b) <= 0.1 + 1e-9 for x, y in zip(after, drawn)
                                            for a, b in zip(x, y)), (after, drawn)
    assert re.findall(r"<polygon\b", compact) == ["<polygon"] * len(re.findall(r"<polygon class=\"sd-f-edge", compact))
    # every link keeps its group (Chromium draws no <a> whose parent is an <a>), href, tooltip and texts
    assert compact.count("<g><a ") == len(re.findall(r'<g id="a_[^"]*">\n?<a ', before)) > 0
    assert links(compact) == links(before) and len(links(before)) >= 3


def test_box_paths_only_for_axis_aligned_boxes() -> None:
    from schemadocs.render.svg_trim import compact_shapes

    diamond = '<polygon class="sd-f-paper" points="0,-5 5,0 0,5 -5,0"/>'
    slanted = '<polygon fill="none" points="0,0 4,0 5,3 0,3"/>'
    box = '<polygon fill="none" points="1.5,-2 1.5,-10 20,-10 20,-2"/>'
    assert compact_shapes(diamond + slanted) == diamond + slanted
    assert compact_shapes(box) == '<path fill="none" d="M1.5,-10h18.5v8h-18.5z"/>'


def test_no_demo_page_repeats_an_id(demo_site: Path) -> None:
    """A relation page shows two diagrams (ER and lineage): Graphviz numbers each from node1 and
    graph0 again, so its ids would repeat; every id of every page is there once."""
    repeated = {}
    for page in sorted(demo_site.rglob("*.html")):
        counts = Counter(re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8")))
        if twice := sorted(k for k, n in counts.items() if n > 1):
            repeated[str(page.relative_to(demo_site))] = twice
    two = demo_site / "schemas/app/orders.html"
    assert two.read_text(encoding="utf-8").count("<svg") >= 2, "a page with two diagrams is among them"
    assert repeated == {}
