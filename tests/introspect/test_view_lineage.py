"""Column lineage: exact against pg_depend, the shapes it must follow, impact vs DROP ... CASCADE."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs.introspect.node_tree import _TOKEN, _tokens, node_tree
from schemadocs.lineage.direct import direct_lineage
from schemadocs.lineage.impact import impact
from schemadocs.lineage.lineage_graph import RoutineKey, lineage_graph
from schemadocs.lineage.routine_lineage import routine_lineage
from schemadocs.lineage.trace import parse_name, trace
from schemadocs import snapshot
from schemadocs.errors import ConfigError
from schemadocs.model import ColumnRef, QualifiedName, RelationKind
from tests.lineage_check import check_lineage, dropped_by_cascade

Q, C = QualifiedName, ColumnRef

SHAPES = """
CREATE SCHEMA l;
CREATE TABLE l.t (id int PRIMARY KEY, v text, w int, ts timestamptz);
CREATE TABLE l.u (id int, t_id int, z text);
CREATE VIEW l.expr AS
  WITH c AS (SELECT id, w FROM l.t WHERE w > 0)
  SELECT t.id, upper(t.v) AS uv, (SELECT max(z) FROM l.u WHERE u.t_id = t.id) AS mz, c.w,
         CASE WHEN t.ts > now() THEN 'future' ELSE 'past' END AS tense
  FROM l.t JOIN c ON c.id = t.id WHERE t.v <> '' ORDER BY t.w;
CREATE VIEW l.setop AS SELECT id, uv FROM l.expr UNION SELECT id, z FROM l.u
                       INTERSECT SELECT t_id, z FROM l.u EXCEPT SELECT w, v FROM l.t;
CREATE VIEW l.agg AS SELECT w, count(*) AS n, sum(id) AS total, rank() OVER (ORDER BY sum(id)) AS r
                     FROM l.t GROUP BY w HAVING max(ts) IS NOT NULL;
CREATE VIEW l.rec AS WITH RECURSIVE r(n, id) AS (SELECT 1, id FROM l.t UNION ALL SELECT n + 1, r.id FROM r WHERE n < 3)
                     SELECT n, id FROM r;
CREATE VIEW l.lat AS SELECT x.a, t.v FROM l.t, LATERAL unnest(ARRAY[t.w, t.id]) AS x(a);
CREATE VIEW l.vals AS SELECT vv.k, t.v FROM (VALUES (1, 'a'), (2, 'b')) AS vv(k, l) JOIN l.t ON t.id = vv.k;
CREATE VIEW l.whole AS SELECT row_to_json(t) AS j FROM l.t;
CREATE VIEW l.star AS SELECT * FROM l.u;
CREATE MATERIALIZED VIEW l.mv AS SELECT s.id, s.uv FROM l.setop s;
CREATE VIEW l.top AS SELECT id, uv AS label FROM l.mv;
CREATE VIEW l.win AS SELECT id, sum(w) OVER (PARTITION BY v) AS s, rank() OVER (ORDER BY ts) AS rk,
                            sum(w) OVER (PARTITION BY w ORDER BY ts) AS sw, v || rank() OVER (ORDER BY v) AS vr
                     FROM l.t;
CREATE VIEW l.wincte AS
  WITH q AS (SELECT u.z, rank() OVER (PARTITION BY u.t_id ORDER BY t.ts, t.id) AS rk
             FROM l.u JOIN l.t ON t.id = u.id)
  SELECT q.rk, q.z FROM q;
"""


@pytest.fixture(scope="module")
def shapes(new_database):
    dsn = new_database(SHAPES)
    return dsn, introspect(dsn, stats=False)


def sources(catalog, view, column):
    rel = catalog.relation(Q("l", view))
    return {str(s) for s in next(c for c in rel.column_lineage if c.column == column).sources}


def test_value_lineage_follows_every_shape(shapes):
    _, cat = shapes
    assert sources(cat, "expr", "uv") == {"l.t.v"}
    assert sources(cat, "expr", "mz") == {"l.u.z"}, "scalar subquery: its output column"
    assert sources(cat, "expr", "w") == {"l.t.w"}, "through the CTE"
    assert sources(cat, "expr", "tense") == {"l.t.ts"}, "CASE conditions"
    assert sources(cat, "setop", "uv") == {"l.expr.uv", "l.u.z", "l.t.v"}, "every set-operation branch"
    assert sources(cat, "agg", "total") == {"l.t.id"} and sources(cat, "agg", "n") == set()
    assert sources(cat, "agg", "r") == set(), "a window's ORDER BY key (here an aggregate) is not a value source"
    assert sources(cat, "rec", "id") == {"l.t.id"}, "recursive CTE"
    assert sources(cat, "lat", "a") == {"l.t.w", "l.t.id"}, "set-returning function in FROM"
    assert sources(cat, "vals", "k") == set() and sources(cat, "vals", "v") == {"l.t.v"}
    assert sources(cat, "whole", "j") == {"l.t.id", "l.t.v", "l.t.w", "l.t.ts"}, "whole-row reference"
    assert [c.column for c in cat.relation(Q("l", "star")).column_lineage] == ["id", "t_id", "z"]
    assert sources(cat, "mv", "uv") == {"l.setop.uv"} and sources(cat, "top", "label") == {"l.mv.uv"}
    expr = cat.relation(Q("l", "expr"))
    assert {str(c) for c in expr.filter_columns} == {"l.u.t_id"}
    assert {str(c) for c in cat.relation(Q("l", "agg")).filter_columns} == {"l.t.ts"}


def test_window_keys_are_filter_columns(shapes, tmp_path):
    dsn, cat = shapes
    assert sources(cat, "win", "s") == {"l.t.w"}, "the argument only, not the PARTITION BY key"
    assert sources(cat, "win", "rk") == set(), "rank() reads nothing but its ORDER BY key"
    assert sources(cat, "win", "sw") == {"l.t.w"}, "a key that is also the argument stays a value source"
    assert sources(cat, "win", "vr") == {"l.t.v"}, "a key the expression also reads stays a value source"
    assert {str(c) for c in cat.relation(Q("l", "win")).filter_columns} == {"l.t.ts"}
    assert sources(cat, "wincte", "rk") == set(), "a window inside a CTE, read by the outer query"
    assert sources(cat, "wincte", "z") == {"l.u.z"}
    assert {str(c) for c in cat.relation(Q("l", "wincte")).filter_columns} == {"l.u.t_id", "l.u.id", "l.t.ts", "l.t.id"}
    snap = tmp_path / "s.json"
    snapshot.save(cat, snap)

    def cli(*args):
        done = subprocess.run([sys.executable, "-m", "schemadocs", "lineage", "--snapshot", str(snap), *args],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    everything = json.loads(cli("--all", "--format", "json"))
    assert everything["l.wincte"] == {"rk": [], "z": ["l.u.z"]} and everything["l.win"]["s"] == ["l.t.w"]
    assert cli("l.wincte.rk").splitlines() == ["l.wincte.rk"], "no upstream tree"
    assert "l.wincte  (filter)" in cli("--downstream", "l.u.t_id"), "the key is a filter column downstream"
    assert "l.wincte" not in cli("--downstream", "l.t.ts").replace("l.wincte  (filter)", "")


def test_node_tree_tokens_without_backslashes_split_like_the_full_tokenizer(edge_dsn):
    with psycopg.connect(edge_dsn) as conn:
        actions = [a for (a,) in conn.execute("SELECT ev_action::text FROM pg_rewrite WHERE ev_class >= 16384")]
    plain = [a for a in actions if "\\" not in a]
    assert plain and len(plain) < len(actions), "the edge cases have views with and without escapes"
    for action in plain:
        assert _tokens(action) == _TOKEN.findall(action)
    assert node_tree(r'{CONST :v 4 [ 1 0 ] :s "a\ b\(c" :n <> :l (i 1 2) :w ("x" {A :b c})}') == {
        "_": "CONST", "v": ["4", "[", "1", "0", "]"], "s": "a b(c", "n": None, "l": [1, 2], "w": ["x", {"_": "A", "b": "c"}]}


@pytest.mark.parametrize("which", ["shapes", "demo", "edge"])
def test_lineage_is_exact_against_pg_depend(which, request):
    if which == "shapes":
        dsn, cat = request.getfixturevalue("shapes")
    else:
        dsn, cat = request.getfixturevalue(f"{which}_dsn"), request.getfixturevalue(f"{which}_catalog")
    check = check_lineage(cat, dsn)
    print(f"{which}: {check.views} views, {check.edges_checked} edges checked, "
          f"{len(check.mismatches)} mismatches, {len(check.unresolved)} unresolved")
    assert check.views > 0 and check.edges_checked > 0
    assert check.mismatches == [] and check.unresolved == []


def test_direct_lineage_json_shape(edge_catalog):
    data = direct_lineage(edge_catalog)
    assert set(data) == {str(r.qname) for r in edge_catalog.relations if r.kind.is_view}
    union = data['sales."v Orders Union"']
    assert all(v == sorted(v) for cols in data.values() for v in cols.values())
    assert any('"Sales"."Customer Orders"' in s or "sales.v_orders_all" in s for v in union.values() for s in v)
    assert '"Sales"."Ünïcødé View"' in data


@pytest.mark.parametrize("column", [("l", "t", "id"), ("l", "t", "v"), ("l", "t", "w"), ("l", "t", "ts"),
                                    ("l", "u", "z"), ("l", "u", "t_id")])
def test_impact_equals_what_postgres_drops(shapes, column):
    dsn, cat = shapes
    with psycopg.connect(dsn) as conn:
        assert dropped_by_cascade(conn, C(*column)) == set(impact(cat, C(*column)).all)


def test_impact_on_the_demo_and_edge(demo_dsn, demo_catalog, edge_dsn, edge_catalog):
    checked = 0
    for dsn, cat in ((demo_dsn, demo_catalog), (edge_dsn, edge_catalog)):
        with psycopg.connect(dsn) as conn:
            for rel in cat.relations:
                if rel.kind is not RelationKind.TABLE or rel.partition_of:
                    continue
                for col in rel.columns[:3]:
                    column = C(rel.schema, rel.name, col.name)
                    assert dropped_by_cascade(conn, column) == set(impact(cat, column).all), str(column)
                    checked += 1
            conn.rollback()
    assert checked > 30


def test_trace_up_and_down(demo_catalog):
    g = lineage_graph(demo_catalog)
    up = trace(g, C("analytics", "tenant_scorecard_snapshot", "health"), upstream=True)
    text = up.to_text()
    assert "billing.invoices.status" in text and text.startswith("analytics.tenant_scorecard_snapshot.health\n")
    down = trace(g, C("app", "order_items", "quantity"), upstream=False)
    assert [str(c.node) for c in down.children] == ["analytics.order_totals.units"]
    shallow = trace(g, Q("app", "orders"), upstream=False, depth=1)
    assert shallow.children and all(c.more or not c.children for c in shallow.children)


def test_parse_name(edge_catalog):
    assert parse_name(edge_catalog, '"Sales"."Customer Orders"."say ""hi"""') == C("Sales", "Customer Orders", 'say "hi"')
    assert parse_name(edge_catalog, "admin.users") == Q("admin", "users")
    with pytest.raises(ConfigError, match="ambiguous"):
        parse_name(edge_catalog, "users")
    with pytest.raises(ConfigError, match="names no relation"):
        parse_name(edge_catalog, "nope.nothing")


def test_routines_read_and_write_tables(demo_catalog, edge_catalog):
    audit = next(r for r in demo_catalog.routines if r.name == "audit_row_change")
    assert routine_lineage(demo_catalog, audit).writes == (Q("app", "audit_log"),)
    reset = next(r for r in edge_catalog.routines if r.name == "reset")
    found = routine_lineage(edge_catalog, reset)
    assert found.writes == (Q("coverage", "accounts"),) and found.unresolved == ()
    g = lineage_graph(demo_catalog)
    key = RoutineKey(audit.schema, audit.name, audit.arguments)
    assert g.edges[Q("billing", "invoices"), key]["kind"] == "trigger"
    assert g.edges[key, Q("app", "audit_log")]["kind"] == "routine_writes"
    for routine in demo_catalog.routines + edge_catalog.routines:
        assert lineage_graph(demo_catalog).nodes.get(RoutineKey(routine.schema, routine.name, routine.arguments),
                                                     {}).get("unresolved", ()) == ()


def test_graph_edges_point_at_real_objects(demo_catalog, edge_catalog):
    for cat in (demo_catalog, edge_catalog):
        g = lineage_graph(cat)
        routines = {RoutineKey(r.schema, r.name, r.arguments) for r in cat.routines}
        for source, target in g.edges():
            for node in (source, target):
                if isinstance(node, QualifiedName):
                    assert cat.relation(node) is not None
                elif isinstance(node, ColumnRef):
                    assert node.column in {c.name for c in cat.relation(node.relation).columns}
                else:
                    assert node in routines


def test_lineage_cli(demo_dsn, tmp_path):
    snap = tmp_path / "s.json"
    snapshot.save(introspect(demo_dsn, stats=False), snap)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "schemadocs", "lineage", "--snapshot", str(snap), *args],
                              capture_output=True, text=True, timeout=60)

    done = cli("analytics.order_totals.units")
    assert done.returncode == 0 and done.stdout.splitlines() == ["analytics.order_totals.units", "└─ app.order_items.quantity"]
    tree = json.loads(cli("--downstream", "--format", "json", "app.order_items.quantity").stdout)
    assert tree["name"] == "app.order_items.quantity" and tree["children"][0]["name"] == "analytics.order_totals.units"
    everything = json.loads(cli("--all", "--format", "json").stdout)
    assert everything["analytics.order_totals"]["units"] == ["app.order_items.quantity"]
    bad = cli("no_such.thing")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
