"""The diagram memo: a relation page's diagram is found again by its inputs only when its DOT
source would be the same, and a rebuild after a migration touching a neighbour equals a cold build."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from schemadocs.build import build
from schemadocs.lineage.graphs import build_graphs
from schemadocs.model import Catalog, Column, ForeignKey, QualifiedName, Relation
from schemadocs.render import diagram_memo
from schemadocs.render.diagram_memo import MEMO_FILE, DiagramMemo
from schemadocs.render.diagrams import er_diagram, lineage_diagram, schema_diagram
from schemadocs.render.slugs import relation_page, schema_page
from tests.build.test_incremental import site_files
from tests.conftest import build_in

CENTRE = QualifiedName("app", "orders")  # the demo's table with foreign keys both ways


def _changed(value: Any) -> Any:
    """Another value of the same kind (None becomes a string)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "_x"
    if value is None:
        return "x"
    if isinstance(value, tuple):
        return (*value, value[0]) if value else ("x",)
    return None


def _with(catalog: Catalog, qname: QualifiedName, change: Any) -> Catalog:
    return dataclasses.replace(catalog, relations=tuple(change(r) if r.qname == qname else r for r in catalog.relations))


def _variants(catalog: Catalog, qname: QualifiedName) -> list[tuple[str, Catalog]]:
    """The catalog with one field of the relation, of one of its columns or of one of its
    constraints changed, each in turn."""
    rel = catalog.relation(qname)
    assert rel is not None and rel.columns and rel.foreign_keys
    out: list[tuple[str, Catalog]] = []
    for name in ("comment", "owner", "stats", "rls_enabled", "oid"):
        value = _changed(getattr(rel, name)) if name != "stats" else None
        out.append((f"relation.{name}", _with(catalog, qname, lambda r, n=name, v=value: dataclasses.replace(r, **{n: v}))))
    for i in (0, len(rel.columns) - 1):
        for f in dataclasses.fields(Column):
            value = _changed(getattr(rel.columns[i], f.name))
            if value is None and getattr(rel.columns[i], f.name) is not None:
                continue
            out.append((f"column {i}.{f.name}", _with(catalog, qname, lambda r, i=i, n=f.name, v=value: dataclasses.replace(
                r, columns=tuple(dataclasses.replace(c, **{n: v}) if j == i else c for j, c in enumerate(r.columns))))))
    for i, constraint in enumerate(rel.constraints):
        for f in dataclasses.fields(type(constraint)):
            value = _changed(getattr(constraint, f.name))
            if value is None or f.name == "kind":
                continue
            out.append((f"constraint {constraint.name}.{f.name}", _with(catalog, qname, lambda r, i=i, n=f.name, v=value: dataclasses.replace(
                r, constraints=tuple(dataclasses.replace(c, **{n: v}) if j == i else c for j, c in enumerate(r.constraints))))))
    out.append(("a column added", _with(catalog, qname, lambda r: dataclasses.replace(
        r, columns=(*r.columns, Column(name="added", type="text", nullable=True, position=len(r.columns) + 1))))))
    out.append(("a foreign key dropped", _with(catalog, qname, lambda r: dataclasses.replace(
        r, constraints=tuple(c for c in r.constraints if c is not r.foreign_keys[0])))))
    return out


def _diagrams(catalog: Catalog, tmp: Path) -> dict[tuple[str, QualifiedName], tuple[str, str]]:
    """(kind, relation) → (memo key, DOT source) of every relation page's ER and lineage diagram."""
    graphs = build_graphs(catalog)
    memo = DiagramMemo(tmp, catalog, graphs.er, graphs.lineage, tmp / "diagrams")
    out = {}
    for rel in catalog.relations:
        page = relation_page(rel.qname)
        if rel.qname in graphs.er:
            out[("er", rel.qname)] = (memo.er_key(rel.qname, page), er_diagram(catalog, graphs.er, rel.qname, page).dot)
        if rel.qname in graphs.lineage:
            out[("lineage", rel.qname)] = (memo.lineage_key(rel.qname, page),
                                           lineage_diagram(catalog, graphs.lineage, rel.qname, page).dot)
    for schema in catalog.schemas:
        tables = sorted(r.qname for r in catalog.relations if r.schema == schema.name and r.qname in graphs.er)
        for detailed in (True, False):
            page = schema_page(schema.name)
            out[(f"schema {detailed}", QualifiedName(schema.name, ""))] = (
                memo.schema_key(tables, page, detailed), schema_diagram(catalog, graphs.er, tables, page, detailed).dot)
    return out


def test_a_changed_dot_source_always_changes_the_key(demo_catalog: Catalog, tmp_path: Path) -> None:
    before = _diagrams(demo_catalog, tmp_path)
    redrawn_elsewhere, unchanged = 0, 0
    for label, variant in _variants(demo_catalog, CENTRE):
        after = _diagrams(variant, tmp_path)
        assert set(after) == set(before) or label.startswith(("a foreign key", "constraint")), label
        for which in set(after) & set(before):
            (key, dot), (new_key, new_dot) = before[which], after[which]
            assert dot == new_dot or key != new_key, f"{label}: {which} is drawn anew but its key is the same"
            redrawn_elsewhere += dot != new_dot and which[1] != CENTRE and which[0] == "er"
        unchanged += all(before[w][0] == after[w][0] for w in before if w in after)
    assert redrawn_elsewhere > 0, "some change shows on a neighbour's diagram"
    assert unchanged > 0, "a change no diagram shows (a comment, the statistics) keeps every key"


def test_a_rebuild_after_changing_a_neighbour_equals_a_cold_build(demo_catalog: Catalog, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A foreign key's target table gets its referenced column renamed: the referencing table's
    diagram shows the new name, exactly as a cold build draws it, and the other diagrams are found
    by their inputs, without being built again."""
    orders = demo_catalog.relation(CENTRE)
    assert orders is not None
    fk = orders.foreign_keys[0]
    assert isinstance(fk, ForeignKey)
    target, old = fk.target, fk.ref_columns[0]

    def rename(value: str) -> str:
        return "renamed_ref_col" if value == old else value

    def migrate(rel: Relation) -> Relation:
        if rel.qname == target:
            return dataclasses.replace(rel, columns=tuple(dataclasses.replace(c, name=rename(c.name)) for c in rel.columns),
                                       constraints=tuple(dataclasses.replace(c, columns=tuple(map(rename, c.columns)))
                                                         for c in rel.constraints))
        return dataclasses.replace(rel, constraints=tuple(
            dataclasses.replace(c, ref_columns=tuple(map(rename, c.ref_columns)))
            if isinstance(c, ForeignKey) and c.target == target else c for c in rel.constraints))

    migrated = dataclasses.replace(demo_catalog, relations=tuple(migrate(r) for r in demo_catalog.relations))
    project = build_in(tmp_path / "a", demo_catalog).parent
    memo = json.loads((project / ".schemadocs-cache" / "pages" / MEMO_FILE).read_text(encoding="utf-8"))
    relations_drawn = len(memo["diagrams"])
    assert relations_drawn > 10

    built: list[QualifiedName] = []
    real = diagram_memo.er_diagram
    monkeypatch.setattr(diagram_memo, "er_diagram", lambda catalog, graph, center, *a, **k: (
        built.append(center), real(catalog, graph, center, *a, **k))[1])
    again = build(migrated, project / "site", project / "mkdocs.yml")
    assert again.rebuilt_files is not None, "the rebuild was incremental"
    assert CENTRE in built and target in built, "the diagrams showing the renamed column were built again"
    assert len(built) < relations_drawn / 2, f"the others were found by their inputs: {built}"

    monkeypatch.setattr(diagram_memo, "er_diagram", real)
    cold = build_in(tmp_path / "b", migrated)
    incremental, expected = site_files(project / "site"), site_files(cold)
    index = "search/search_index.json"
    assert json.loads(incremental.pop(index)) == json.loads(expected.pop(index))
    assert incremental == expected
    page = (project / "site" / relation_page(CENTRE).replace(".md", ".html")).read_text(encoding="utf-8")
    assert "renamed_ref_col" in page
