"""Drawing into the SVG cache: the cheaper post-processing writes the bytes it wrote before
(tests/render/svg_post_reference.py), progress advances per batch, and a failure is one line."""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

import pytest

from schemadocs.errors import BuildError
from schemadocs.lineage.graphs import build_graphs
from schemadocs.model import Catalog
from schemadocs.render.diagrams import dot_program, er_diagram, lineage_diagram, schema_diagram, svg_key
from schemadocs.render.slugs import relation_page
from schemadocs.render.svg_draw import Batch, draw_batches
from tests.render.svg_post_reference import reference_post


@pytest.fixture(scope="module")
def demo_batches(demo_catalog: Catalog) -> list[Batch]:
    """The demo's relation and schema diagrams, two to a batch (so there are enough batches for workers)."""
    graphs = build_graphs(demo_catalog)
    diagrams = []
    for rel in demo_catalog.relations:
        if rel.qname in graphs.er:
            diagrams.append(er_diagram(demo_catalog, graphs.er, rel.qname, relation_page(rel.qname)))
        if rel.qname in graphs.lineage:
            diagrams.append(lineage_diagram(demo_catalog, graphs.lineage, rel.qname, relation_page(rel.qname)))
    tables = sorted(r.qname for r in demo_catalog.relations if r.qname in graphs.er)
    diagrams.append(schema_diagram(demo_catalog, graphs.er, tables, "schemas/app.md", detailed=True))
    pairs = sorted({svg_key(d): d.dot for d in diagrams}.items())
    assert len(pairs) >= 8
    return [pairs[i:i + 2] for i in range(0, len(pairs), 2)]


def test_the_cache_holds_the_bytes_the_old_post_processing_wrote(demo_batches: list[Batch], tmp_path: Path) -> None:
    dot = dot_program()
    assert dot is not None
    advanced: list[int] = []
    draw_batches(demo_batches, dot, tmp_path, advanced.append)
    drawn = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(advanced) == sorted(len(b) for b in demo_batches)  # one step per batch, every diagram counted
    assert sorted(drawn) == sorted(f"{key}.svg" for batch in demo_batches for key, _ in batch)
    for batch in demo_batches:  # each drawn alone, as the old post-processing did it
        for key, source in batch:
            raw = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True, check=True).stdout.decode()
            assert drawn[f"{key}.svg"] == reference_post(raw).encode("utf-8")


def test_a_failure_is_one_line_naming_the_program(demo_batches: list[Batch], tmp_path: Path) -> None:
    failing = tmp_path / "dot"
    failing.write_text("#!/bin/sh\ncat >/dev/null\necho 'syntax error in line 1' >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(BuildError) as raised:
        draw_batches(demo_batches, str(failing), tmp_path / "cache", lambda n: None)
    assert re.fullmatch(r"Graphviz failed to draw a diagram \(syntax error in line 1\); check .*/dot, "
                        r"or set SCHEMADOCS_DOT to another Graphviz program", str(raised.value))
