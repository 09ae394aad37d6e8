"""relations: in schemadocs.yml: virtual foreign keys, checked against the catalog, seen by the
graph, diagrams, relation pages and health rules, never by the snapshot. Model objects built here
(no database); tests/project/test_relations_site.py builds a real site."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from schemadocs import snapshot
from schemadocs.errors import ConfigError
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import er_graph
from schemadocs.model import Catalog, QualifiedName
from schemadocs.project import relations
from schemadocs.project.file import load
from schemadocs.render.diagrams import er_diagram, schema_diagram
from schemadocs.render.relation_context import relation_page_context
from tests.checks.models import catalog, col, fk, found, pk, table

S = QualifiedName


def shop() -> Catalog:
    """customers, orders (customer_id: no declared key), items (a declared key to orders)."""
    return catalog(
        table("customers", (col("id", nullable=False), col("name", "text")), constraints=(pk("customers", "id"),)),
        table("orders", (col("id", nullable=False), col("customer_id"), col("parent_id"), col("code", "text")),
              constraints=(pk("orders", "id"),)),
        table("items", (col("id", nullable=False), col("order_id")),
              constraints=(pk("items", "id"), fk("items_order_id_fkey", ("order_id",), "orders"))),
    )


def project(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "schemadocs.yml"
    path.write_text(text, encoding="utf-8")
    return relations.load(load(path))


ORDERS_CUSTOMERS = """
relations:
  - from: s.orders
    columns: [customer_id]
    to: s.customers
    note: "Rails app: no FK; <b>checked</b> nightly"
"""


def test_virtual_key_joins_the_catalog_view_not_the_catalog(tmp_path: Path) -> None:
    base = shop()
    shown = relations.with_virtual(base, project(tmp_path, ORDERS_CUSTOMERS))
    (vfk,) = [k for k in shown.relation(S("s", "orders")).foreign_keys]
    assert vfk.virtual and vfk.ref_columns == ("id",)  # to_columns default: the primary key
    assert vfk.comment == "Rails app: no FK; <b>checked</b> nightly"
    assert base.relation(S("s", "orders")).foreign_keys == ()
    assert [fk.virtual for fk in shown.relation(S("s", "items")).foreign_keys] == [False]
    assert [(r.qname, k.name) for r, k in shown.referenced_by[S("s", "customers")]] == [(S("s", "orders"), vfk.name)]
    # the snapshot is the database's alone: unchanged, and a view with virtual keys is refused
    assert '"virtual"' not in snapshot.dumps(base) and "vfkey" not in snapshot.dumps(base)
    with pytest.raises(ValueError, match="virtual"):
        snapshot.dumps(shown)


def test_er_graph_and_diagrams_draw_virtual_keys_dashed(tmp_path: Path) -> None:
    shown = relations.with_virtual(shop(), project(tmp_path, ORDERS_CUSTOMERS))
    graph = er_graph(shown)
    edges = {(s.name, t.name): d["fk"].virtual for s, t, d in graph.edges(data=True) if d["kind"] is Edge.FOREIGN_KEY}
    assert edges == {("orders", "customers"): True, ("items", "orders"): False}
    assert nx.has_path(graph.to_undirected(), S("s", "items"), S("s", "customers"))  # one connected model now
    dot = er_diagram(shown, graph, S("s", "orders"), "s/orders.md").dot
    (virtual_line,) = [line for line in dot.splitlines() if "->" in line and "label=customer_id" in line]
    (declared_line,) = [line for line in dot.splitlines() if "->" in line and 'label=order_id' in line]
    assert "style=dashed" in virtual_line and "style=dashed" not in declared_line
    schema_dot = schema_diagram(shown, graph, sorted(graph.nodes), "s/index.md", detailed=False).dot
    assert sum("style=dashed" in line for line in schema_dot.splitlines() if "->" in line) == 1
    assert "-.->" in er_diagram(shown, graph, S("s", "orders"), "s/orders.md").mermaid  # the Mermaid fallback too


def test_relation_page_marks_virtual_rows_with_their_note(tmp_path: Path) -> None:
    shown = relations.with_virtual(shop(), project(tmp_path, ORDERS_CUSTOMERS))
    lineage = nx.DiGraph()
    orders = relation_page_context(shown, lineage, shown.relation(S("s", "orders")))
    (ref,) = orders.references
    assert (ref.relation.text, ref.columns, ref.ref_columns, ref.virtual) == ("customers", "customer_id", "id", True)
    assert ref.note == "Rails app: no FK; <b>checked</b> nightly"
    assert [c.kind for c in orders.constraints] == ["primary key"]  # not a database constraint
    badges = {c.name: c.badges for c in orders.columns}
    assert "virtual-FK" in badges["customer_id"] and "FK" not in badges["customer_id"]
    (back,) = relation_page_context(shown, lineage, shown.relation(S("s", "customers"))).referenced_by
    assert back.virtual and back.relation.text == "orders"
    (real,) = relation_page_context(shown, lineage, shown.relation(S("s", "items"))).references
    assert not real.virtual and real.note is None


def test_health_rules_see_virtual_keys_and_say_so(tmp_path: Path) -> None:
    shown = relations.with_virtual(shop(), project(tmp_path, ORDERS_CUSTOMERS + """
  - from: s.orders
    columns: [parent_id]
    to: s.orders
"""))
    from schemadocs.checks.config import Settings
    from schemadocs.checks.engine import lint

    messages = {f.object: f.message for f in lint(shown, Settings(rules=("fk-without-index",))).findings}
    assert "virtual foreign key orders_customer_id_vfkey (from the project file)" in messages["s.orders.customer_id"]
    assert messages["s.items.order_id"].startswith("foreign key items_order_id_fkey ")
    assert [obj for _, obj, _ in found(shop(), "fk-without-index")] == ["s.items.order_id"]  # without the file
    # a self-reference the database does not enforce has no ON DELETE to advise on
    assert found(shown, "self-fk-without-delete-rule") == []


def test_optional_entries_naming_nothing_are_dropped(tmp_path: Path) -> None:
    entries = project(tmp_path, """
relations:
  - {from: s.orders, columns: [customer_id], to: s.customers}
  - {from: s.gone, columns: [x_id], to: s.customers, optional: true}
  - {from: s.orders, columns: [nope], to: s.customers, optional: true}
""")
    shown = relations.with_virtual(shop(), entries)
    assert [(r.name, k.columns) for r in shown.relations for k in r.foreign_keys if k.virtual] == \
        [("orders", ("customer_id",))]


@pytest.mark.parametrize("text, message", [
    ("- {from: s.orderz, columns: [customer_id], to: s.customers}",
     "line 3: from: s.orderz is not a relation of 'd' (did you mean s.orders?); fix the name, or add optional: true"),
    ("- {from: s.orders, columns: [customer_id], to: s.customer}",
     "line 3: to: s.customer is not a relation of 'd' (did you mean s.customers?)"),
    ("- {from: s.orders, columns: [customerid], to: s.customers}",
     "line 3: columns: s.orders has no column 'customerid' (did you mean customer_id?)"),
    ("- {from: s.orders, columns: [customer_id], to: s.customers, to_columns: [ident]}",
     "line 3: to_columns: s.customers has no column 'ident'"),
    ("- {from: s.orders, columns: [customer_id, parent_id], to: s.customers}",
     "line 3: s.orders (customer_id, parent_id) has 2 column(s) but s.customers (id) has 1"),
    ("- {from: s.orders, columns: [code], to: s.customers}",
     "line 3: s.orders.code is text but s.customers.id is integer; a virtual foreign key joins columns of the same type"),
    ("- {from: s.items, columns: [order_id], to: s.orders}",
     "line 3: this relation is already declared by the database's foreign key items_order_id_fkey"),
    ("- {from: s.orders, columns: [customer_id], to: s.customers}\n  - {from: s.orders, columns: [customer_id], to: s.customers}",
     "line 4: this relation is already declared by an earlier entry"),
])
def test_catalog_errors_name_the_line_and_both_sides(tmp_path: Path, text: str, message: str) -> None:
    entries = project(tmp_path, f"\nrelations:\n  {text}\n")
    with pytest.raises(ConfigError) as err:
        relations.with_virtual(shop(), entries)
    assert str(err.value).startswith(str(tmp_path / "schemadocs.yml"))
    assert message in str(err.value)


def test_a_target_without_primary_key_needs_to_columns(tmp_path: Path) -> None:
    cat = catalog(table("a", (col("id"), col("b_code", "text"))), table("b", (col("code", "text"),)))
    with pytest.raises(ConfigError, match="line 3: s.b has no primary key; name the referenced columns with to_columns"):
        relations.with_virtual(cat, project(tmp_path, "\nrelations:\n  - {from: s.a, columns: [b_code], to: s.b}\n"))
    shown = relations.with_virtual(cat, project(
        tmp_path, "\nrelations:\n  - {from: s.a, columns: [b_code], to: s.b, to_columns: [code]}\n"))
    assert shown.relation(S("s", "a")).foreign_keys[0].ref_columns == ("code",)


@pytest.mark.parametrize("text, message", [
    ("relations: {from: s.a}", "line 2: relations: must be a list"),
    ("relations:\n  - {from: s.a, columns: [x], to: s.b, colour: red}", "line 3: unknown key 'colour' in a relations: entry"),
    ("relations:\n  - {from: s.a, to: s.b}", "line 3: a relations: entry needs 'columns'"),
    ("relations:\n  - {from: a, columns: [x], to: s.b}", "line 3: from: 'a' must name a relation as schema.table"),
    ("relations:\n  - {from: s.a, columns: x, to: s.b}", "line 3: columns: of a relations: entry must be a list"),
    ("relations:\n  - {from: s.a, columns: [], to: s.b}", "line 3: columns: must list one or more distinct column names"),
    ("relations:\n  - {from: s.a, columns: [x], to: s.b, optional: maybe}", "line 3: optional: must be true or false"),
    ("relations:\n  - {from: s.a, columns: [x], to: s.b, note: [1]}", "line 3: note: must be text"),
    ("relation:\n  - {}", "line 2: unknown section 'relation'"),
])
def test_shape_errors_before_any_catalog(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        project(tmp_path, "\n" + text + "\n")
    assert message in str(err.value)


def test_quoted_names_with_dots_and_quotes(tmp_path: Path) -> None:
    from schemadocs.project.suggest_yaml import spell

    odd = S('my.schema', 'or"ders.v2')
    assert spell(odd) == '"my.schema"."or""ders.v2"'
    (entry,) = project(tmp_path, f"relations:\n  - from: '{spell(odd)}'\n    columns: [a]\n    to: plain.t\n")
    assert entry.source == odd and entry.target == S("plain", "t")


def test_no_relations_section_leaves_the_catalog_as_is(tmp_path: Path) -> None:
    base = shop()
    assert relations.with_virtual(base, project(tmp_path, "checks: {}\n")) is base
    assert relations.with_virtual(base, project(tmp_path, "relations:\n")) is base


def test_integer_widths_join_and_fk_type_mismatch_names_the_virtual_key(tmp_path: Path) -> None:
    cat = catalog(table("customers", (col("id", "bigint", nullable=False),), constraints=(pk("customers", "id"),)),
                  table("orders", (col("id"), col("customer_id", "integer"))))
    shown = relations.with_virtual(cat, project(tmp_path, "relations:\n  - {from: s.orders, columns: [customer_id], to: s.customers}\n"))
    from schemadocs.checks.config import Settings
    from schemadocs.checks.engine import lint

    (finding,) = lint(shown, Settings(rules=("fk-type-mismatch",))).findings
    assert finding.message == ("customer_id is integer but references s.customers.id, bigint "
                               "(virtual foreign key orders_customer_id_vfkey (from the project file))")


def test_subject_areas_count_virtual_keys(tmp_path: Path) -> None:
    from schemadocs.lineage.areas import schema_areas

    assert schema_areas(er_graph(shop()), "s", limit=10).unconnected == (S("s", "customers"),)
    shown = relations.with_virtual(shop(), project(tmp_path, ORDERS_CUSTOMERS))
    areas = schema_areas(er_graph(shown), "s", limit=10)
    assert areas.unconnected == () and [a.tables for a in areas.areas] == [(S("s", "customers"), S("s", "items"), S("s", "orders"))]
