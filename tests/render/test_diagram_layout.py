"""Diagram layout hints and colour classes, without a database; and a hub's diagram drawn by `dot`.

In: edge lists and SVG snippets built in the test, then the demo catalog's busiest table drawn
with many neighbours. Out: pass when a hub's leaves are wrapped into a grid of ranks of about
√n leaves (at most PER_RANK), nodes without edges are chained into rows, every palette colour
in an SVG gets its role class, and the drawn hub diagram is wider than tall, not one column.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from schemadocs.lineage.graphs import build_graphs
from schemadocs.render.diagram_layout import FAN, PER_RANK, chains, wrapped_fans
from schemadocs.render.diagram_theme import PALETTE, colour, themed
from schemadocs.render.diagrams import dot_program, er_diagram, render_diagrams
from schemadocs.render.slugs import relation_page


def _ranks(edges: list[tuple[str, str]], referencing: bool = True) -> Counter[int]:
    """How many leaves each rank out from the hub holds, following the invisible edges inwards."""
    attrs, invisible = wrapped_fans(edges)
    inner = dict(invisible) if referencing else {b: a for a, b in invisible}
    leaves = [e[0] if referencing else e[1] for e, extra in zip(edges, attrs)]
    for (edge, extra) in zip(edges, attrs):
        leaf = edge[0] if referencing else edge[1]
        assert (extra == {"constraint": "false"}) == (leaf in inner), "an outer leaf's edge leaves the ranking"

    def rank(leaf: str) -> int:
        return 1 + rank(inner[leaf]) if leaf in inner else 1
    return Counter(rank(leaf) for leaf in leaves)


def test_a_hubs_leaves_are_wrapped_into_a_grid() -> None:
    edges = [(f"t{i}", "hub") for i in range(23)]
    assert _ranks(edges) == {1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 3}  # at most PER_RANK a rank
    assert max(_ranks(edges).values()) <= PER_RANK
    assert _ranks([(f"t{i}", "hub") for i in range(9)]) == {1: 3, 2: 3, 3: 3}  # √9 a rank
    assert _ranks([("hub", f"t{i}") for i in range(9)], referencing=False) == {1: 3, 2: 3, 3: 3}  # the referenced side too


def test_a_small_fan_out_and_non_leaves_keep_one_rank() -> None:
    assert wrapped_fans([(f"t{i}", "hub") for i in range(FAN)]) == ([{}] * FAN, [])
    both = [(f"t{i}", "hub") for i in range(8)] + [(f"t{i}", "other") for i in range(8)]
    assert wrapped_fans(both) == ([{}] * 16, [])  # each t has two edges: none is a leaf
    chain = [("hub", "parent"), ("a", "b"), ("b", "c")]
    attrs, _ = wrapped_fans([("hub", "hub")] + [(f"t{i}", "hub") for i in range(6)] + chain)
    assert attrs[0] == {} and attrs[-3:] == [{}, {}, {}]  # a self-reference, a referenced table, a chain


def test_nodes_without_edges_are_chained_into_rows() -> None:
    nodes = [f"n{i}" for i in range(10)] + ["a", "b"]
    assert chains(nodes, [("a", "b")], length=4) == [["n0", "n1", "n2", "n3"], ["n4", "n5", "n6", "n7"], ["n8", "n9"]]
    assert chains(["x", "y"], [], length=4) == []  # few: left as they are


def test_every_palette_colour_gets_its_role_class_and_other_paint_is_left_alone() -> None:
    svg = (f'<g class="node"><polygon fill="{colour("paper")}" stroke="{colour("line")}" points="0,0"/>'
           f'<text x="1" fill="{colour("ink").upper()}">t</text><path fill="none" stroke="#123456" d="M0"/>'
           '<polygon fill="transparent" stroke="transparent" points="0,0"/></g>')
    out = themed(svg)
    assert '<polygon class="sd-f-paper sd-s-line" fill=' in out and '<text class="sd-f-ink" x="1"' in out
    assert '<path fill="none" stroke="#123456"' in out and '<polygon fill="transparent"' in out
    assert len(set(PALETTE.values())) == len(PALETTE), "one role per colour, or a class would be ambiguous"


@pytest.mark.skipif(dot_program() is None, reason="no Graphviz program")
def test_a_hubs_neighbourhood_is_drawn_in_several_columns(demo_catalog, tmp_path) -> None:
    graphs = build_graphs(demo_catalog)
    hub = max((r.qname for r in demo_catalog.relations if r.qname in graphs.er),
              key=lambda q: graphs.er.in_degree(q))
    assert graphs.er.in_degree(hub) > FAN, "the demo's hub must have more referencing tables than one rank holds"
    drawn = er_diagram(demo_catalog, graphs.er, hub, relation_page(hub))
    assert "constraint=false" in drawn.dot and "style=invis" in drawn.dot
    [placeholder] = render_diagrams([drawn], tmp_path)
    key = re.search(r"[0-9a-f]{64}", placeholder).group(0)
    svg = (tmp_path / f"{key}.svg").read_text(encoding="utf-8")
    width, height = map(float, re.search(r'viewBox="0(?:\.0+)? 0(?:\.0+)? ([\d.]+) ([\d.]+)"', svg).groups())
    assert width > height, f"{hub}: {width:.0f} × {height:.0f} pt"
    assert re.search(r'class="sd-f-head[ "]', svg) and 'class="sd-f-ink"' in svg  # the header: its fill and border in one shape
