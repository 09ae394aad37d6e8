"""The schema diff: a realistic migration sequence on the demo schema, step by step against
a real PostgreSQL, with the exact changes and their classification after each step; the
rules on synthetic changes; renames by OID (and, without OIDs, drop plus add); empty
self-diffs on the demo, the edge fixture and every corpus entry; the renderings; the CLI.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs import snapshot
from schemadocs.diff.change import Change, Diff
from schemadocs.diff.diff import diff
from schemadocs.diff.markdown import MARKER, render_markdown
from schemadocs.diff.render import render
from schemadocs.diff.types import TypeChange, type_change
from schemadocs.embedded import demo_sql
from schemadocs.model import Catalog, Column, ConstraintKind, Grant, QualifiedName
from tests.corpus import CORPUS, entries
from tests.test_cli import assert_clean_error, run


class _Anything:
    """Equal to any value: for long values asserted on their own."""

    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Anything()
Row = tuple[str, str, str, str, "str | None", "str | None", "str | None", tuple[str, ...]]


def rows(result: Diff) -> list[Row]:
    """(severity, object, name, action, field, old, new, impact) per change, in diff order."""
    return [(c.severity.value, c.object, c.name, c.action.value, c.field, c.old, c.new,
             tuple(str(q) for q in c.impact)) for c in result.changes]


@dataclass(frozen=True)
class Step:
    name: str
    sql: str
    expected: list[Row]


ORDER_TOTALS = """
CREATE OR REPLACE VIEW analytics.order_totals AS
SELECT o.tenant_id, o.order_no, o.user_id, o.status, o.placed_at,
       count(oi.line_no)                          AS item_count,
       COALESCE(sum(oi.quantity), 0)              AS units,
       COALESCE(sum(oi.line_total), 0)::numeric(12,2) AS order_total,
       max(oi.unit_price)                         AS max_unit_price
FROM app.orders o
LEFT JOIN app.order_items oi ON oi.tenant_id = o.tenant_id AND oi.order_no = o.order_no
GROUP BY o.tenant_id, o.order_no;
"""

STEPS = [
    Step("add_table", """
        CREATE TYPE app.shipment_status AS ENUM ('pending', 'shipped', 'delivered', 'lost');
        CREATE TABLE app.shipments (
            id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id bigint NOT NULL,
            order_no  integer NOT NULL,
            status    app.shipment_status NOT NULL DEFAULT 'pending',
            carrier   text,
            FOREIGN KEY (tenant_id, order_no) REFERENCES app.orders ON DELETE CASCADE
        );""", [
        ("safe", "enum", "app.shipment_status", "added", None, None, None, ()),
        ("safe", "table", "app.shipments", "added", None, None, None, ()),
    ]),
    Step("add_nullable_column", "ALTER TABLE app.orders ADD COLUMN notes text", [
        ("safe", "column", "app.orders.notes", "added", None, None, None, ()),
    ]),
    Step("drop_column_used_by_a_view", "ALTER TABLE app.page_views DROP COLUMN user_id CASCADE", [
        ("breaking", "view", "analytics.daily_traffic", "removed", None, None, None, ()),
        ("breaking", "column", "app.page_views.user_id", "removed", None, None, None, ("analytics.daily_traffic",)),
    ]),
    Step("rename_column", "ALTER TABLE app.users RENAME COLUMN full_name TO display_name", [
        ("breaking", "column", "app.users.display_name", "renamed", "name", "full_name", "display_name", ()),
    ]),
    Step("narrow_a_type", """
        ALTER TABLE app.products ALTER COLUMN sku TYPE varchar(30);
        ALTER TABLE app.events ALTER COLUMN event_type TYPE varchar(128);""", [
        ("safe", "column", "app.events.event_type", "changed", "type",
         "character varying(64)", "character varying(128)", ()),
        ("breaking", "column", "app.products.sku", "changed", "type",
         "character varying(40)", "character varying(30)", ()),
    ]),
    Step("add_not_null", """
        UPDATE app.users SET display_name = '' WHERE display_name IS NULL;
        ALTER TABLE app.users ALTER COLUMN display_name SET NOT NULL;""", [
        ("breaking", "column", "app.users.display_name", "changed", "nullable", "true", "false", ()),
    ]),
    Step("drop_an_index", "DROP INDEX app.events_type_occurred_idx; DROP INDEX app.users_tenant_lower_email_key", [
        ("safe", "index", "app.events.events_type_occurred_idx", "removed", None, None, None, ()),
        ("breaking", "index", "app.users.users_tenant_lower_email_key", "removed", None, None, None, ()),
    ]),
    Step("change_a_view", ORDER_TOTALS, [
        ("safe", "view", "analytics.order_totals", "changed", "view_definition", ANY, ANY, ()),
        ("safe", "column", "analytics.order_totals.max_unit_price", "added", None, None, None, ()),
    ]),
    Step("add_an_enum_label", "ALTER TYPE app.shipment_status ADD VALUE 'returned' AFTER 'delivered'", [
        ("safe", "enum", "app.shipment_status", "changed", "label", None, "returned", ()),
    ]),
    Step("remove_an_enum_label", """
        ALTER TYPE app.shipment_status RENAME TO shipment_status_old;
        CREATE TYPE app.shipment_status AS ENUM ('pending', 'shipped', 'delivered', 'returned');
        ALTER TABLE app.shipments
            ALTER COLUMN status DROP DEFAULT,
            ALTER COLUMN status TYPE app.shipment_status USING status::text::app.shipment_status,
            ALTER COLUMN status SET DEFAULT 'pending';
        DROP TYPE app.shipment_status_old;""", [
        ("breaking", "enum", "app.shipment_status", "changed", "label", "lost", None, ()),
    ]),
    Step("change_a_policy", """
        ALTER POLICY orders_tenant_isolation ON app.orders
            USING (tenant_id = current_setting('app.tenant_id')::bigint)""", [
        ("safe", "policy", "app.orders.orders_tenant_isolation", "changed", "using",
         "tenant_id = NULLIF(current_setting('app.tenant_id'::text, true), ''::text)::bigint",
         "tenant_id = current_setting('app.tenant_id'::text)::bigint", ()),
    ]),
    Step("rename_a_table", "ALTER TABLE app.audit_log RENAME TO audit_events", [
        ("breaking", "table", "app.audit_events", "renamed", "name", "app.audit_log", "app.audit_events", ()),
    ]),
]


@pytest.fixture(scope="module")
def migrated(new_database):
    """Factory: (catalog before, catalog after) step i, the steps applied in order to one demo database."""
    dsn = new_database(demo_sql(), prefix="diff")
    catalogs = [introspect(dsn, stats=False)]

    def before_after(i: int) -> tuple[Catalog, Catalog]:
        while len(catalogs) <= i + 1:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(STEPS[len(catalogs) - 1].sql)
            catalogs.append(introspect(dsn, stats=False))
        return catalogs[i], catalogs[i + 1]
    return before_after


@pytest.mark.parametrize("i", range(len(STEPS)), ids=[s.name for s in STEPS])
def test_migration_step(i, migrated):
    old, new = migrated(i)
    result = diff(old, new)
    assert rows(result) == STEPS[i].expected
    assert all(c.reason for c in result.changes)
    assert diff(new, new).changes == ()


def test_changed_view_shows_its_new_query(migrated):
    old, new = migrated(STEPS.index(next(s for s in STEPS if s.name == "change_a_view")))
    (query, _) = diff(old, new).changes
    assert "max_unit_price" not in (query.old or "") and "max(oi.unit_price) AS max_unit_price" in (query.new or "")


def test_whole_sequence_in_one_diff(migrated):
    first, last = migrated(0)[0], migrated(len(STEPS) - 1)[1]
    got = {(s, o, n, a, f) for s, o, n, a, f, *_ in rows(diff(first, last))}
    assert got == {
        ("safe", "enum", "app.shipment_status", "added", None),
        ("safe", "table", "app.shipments", "added", None),
        ("safe", "column", "app.orders.notes", "added", None),
        ("breaking", "view", "analytics.daily_traffic", "removed", None),
        ("breaking", "column", "app.page_views.user_id", "removed", None),
        ("breaking", "column", "app.users.display_name", "renamed", "name"),
        ("breaking", "column", "app.users.display_name", "changed", "nullable"),
        ("breaking", "column", "app.products.sku", "changed", "type"),
        ("safe", "column", "app.events.event_type", "changed", "type"),
        ("safe", "index", "app.events.events_type_occurred_idx", "removed", None),
        ("breaking", "index", "app.users.users_tenant_lower_email_key", "removed", None),
        ("safe", "view", "analytics.order_totals", "changed", "view_definition"),
        ("safe", "column", "analytics.order_totals.max_unit_price", "added", None),
        ("safe", "policy", "app.orders.orders_tenant_isolation", "changed", "using"),
        ("breaking", "table", "app.audit_events", "renamed", "name"),
    }


def test_without_oids_a_rename_is_a_drop_and_an_add(migrated):
    # As after a dump and restore: no OID in common, so objects can only be matched by name.
    first, last = migrated(0)[0], migrated(len(STEPS) - 1)[1]
    got = {(s, o, n, a) for s, o, n, a, *_ in rows(diff(strip_oids(first), last))}
    assert ("breaking", "table", "app.audit_log", "removed") in got
    assert ("safe", "table", "app.audit_events", "added") in got
    assert ("breaking", "column", "app.users.full_name", "removed") in got
    assert ("breaking", "column", "app.users.display_name", "added") in got  # NOT NULL, no default
    assert not any(a == "renamed" for *_, a in got)


def test_two_databases_loaded_alike_have_no_differences(demo_catalog, new_database):
    # Different OIDs for every object: matched by name, and nothing differs.
    other = introspect(new_database(demo_sql(), prefix="demo2"), stats=False)
    assert {r.qname: r.oid for r in other.relations} != {r.qname: r.oid for r in demo_catalog.relations}
    assert diff(demo_catalog, other).changes == ()


# ------------------------------------------------------------------------- rules on synthetic changes

def strip_oids(catalog: Catalog) -> Catalog:
    return dataclasses.replace(
        catalog,
        schemas=tuple(dataclasses.replace(s, oid=None) for s in catalog.schemas),
        relations=tuple(dataclasses.replace(r, oid=None) for r in catalog.relations),
        routines=tuple(dataclasses.replace(f, oid=None) for f in catalog.routines),
        enums=tuple(dataclasses.replace(e, oid=None) for e in catalog.enums),
    )


def edit_relation(catalog: Catalog, qname: QualifiedName, **changes: Any) -> Catalog:
    return dataclasses.replace(catalog, relations=tuple(
        dataclasses.replace(r, **changes) if r.qname == qname else r for r in catalog.relations))


def edit_column(catalog: Catalog, qname: QualifiedName, column: str, **changes: Any) -> Catalog:
    rel = catalog.relation(qname)
    assert rel is not None
    columns = tuple(dataclasses.replace(c, **changes) if c.name == column else c for c in rel.columns)
    return edit_relation(catalog, qname, columns=columns)


def only(result: Diff) -> Change:
    assert len(result.changes) == 1, rows(result)
    return result.changes[0]


Q = QualifiedName
ORDERS, ORDER_TOTALS_VIEW = Q("app", "orders"), Q("analytics", "order_totals")
BELOW_ORDER_TOTALS = ("analytics.order_totals", "analytics.tenant_monthly_revenue", "analytics.tenant_scorecard",
                      "analytics.tenant_scorecard_snapshot")


def test_incompatible_type_change_reports_the_views_that_break(demo_catalog):
    change = only(diff(demo_catalog, edit_column(demo_catalog, ORDERS, "status", type="integer")))
    assert (change.severity.value, change.field) == ("breaking", "type")
    assert "incompatibly" in change.reason
    assert tuple(str(q) for q in change.impact) == BELOW_ORDER_TOTALS


def test_view_output_column_retyped_or_removed_is_breaking(demo_catalog):
    retyped = only(diff(demo_catalog, edit_column(demo_catalog, ORDER_TOTALS_VIEW, "order_total", type="numeric")))
    assert retyped.breaking and "retyped" in retyped.reason
    assert tuple(str(q) for q in retyped.impact) == BELOW_ORDER_TOTALS[1:]
    view = demo_catalog.relation(ORDER_TOTALS_VIEW)
    assert view is not None
    fewer = edit_relation(demo_catalog, ORDER_TOTALS_VIEW, columns=tuple(c for c in view.columns if c.name != "order_total"))
    removed = only(diff(demo_catalog, fewer))
    assert (removed.action.value, removed.breaking, removed.name) == ("removed", True, "analytics.order_totals.order_total")
    assert "view output column removed" in removed.reason


def test_relation_dropped_reports_everything_reading_it(demo_catalog):
    without = dataclasses.replace(demo_catalog, relations=tuple(
        r for r in demo_catalog.relations if r.qname != ORDER_TOTALS_VIEW))
    change = only(diff(demo_catalog, without))
    assert change.breaking and tuple(str(q) for q in change.impact) == BELOW_ORDER_TOTALS[1:]


def test_rename_is_detected_by_oid_only(demo_catalog):
    renamed = edit_relation(demo_catalog, Q("app", "audit_log"), name="history")
    change = only(diff(demo_catalog, renamed))
    assert (change.action.value, change.old, change.new, change.breaking) == ("renamed", "app.audit_log", "app.history", True)
    kinds = sorted(c.action.value for c in diff(strip_oids(demo_catalog), strip_oids(renamed)).changes)
    assert kinds == ["added", "removed"]


def test_renamed_relation_is_followed_in_definitions_that_name_it(new_database):
    # app.orders is named by foreign keys, views and a policy's table: one change, the rename
    dsn = new_database(demo_sql(), prefix="rename")
    before = introspect(dsn, stats=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE app.orders RENAME TO purchases")
    change = only(diff(before, introspect(dsn, stats=False)))
    assert (change.action.value, change.old, change.new, change.breaking) == ("renamed", "app.orders", "app.purchases", True)


def test_column_identity_is_its_attnum(demo_catalog):
    # Same relation (OID), same name, another attnum: dropped and re-added, not the same column.
    rel = demo_catalog.relation(ORDERS)
    assert rel is not None
    moved = edit_column(demo_catalog, ORDERS, "currency", position=max(c.position for c in rel.columns) + 1)
    assert sorted(c.action.value for c in diff(demo_catalog, moved).changes) == ["added", "removed"]


@pytest.mark.parametrize("change, breaking, reason", [
    ({"nullable": False}, True, "NOT NULL added"),
    ({"default": "'x'::text"}, False, "default changed"),
    ({"comment": "new"}, False, "comment changed"),
    ({"type": "character varying(20)"}, False, "widened"),
    ({"type": "text"}, False, "widened"),
    ({"type": "character varying(2)"}, True, "narrowed"),
    ({"type": "integer"}, True, "incompatibly"),
    ({"collation": '"C"'}, True, "collation"),
])
def test_column_rules(demo_catalog, change, breaking, reason):
    # app.users.full_name is text, nullable, no default: start from varchar(10) where widening is tested
    base = edit_column(demo_catalog, Q("app", "users"), "full_name", type="character varying(10)") \
        if "type" in change and change["type"] != "integer" else demo_catalog
    result = only(diff(base, edit_column(base, Q("app", "users"), "full_name", **change)))
    assert result.breaking is breaking and reason in result.reason


def test_new_not_null_column_without_default_is_breaking(demo_catalog):
    rel = demo_catalog.relation(ORDERS)
    assert rel is not None
    added = Column(name="region", type="text", nullable=False, position=99)
    change = only(diff(demo_catalog, edit_relation(demo_catalog, ORDERS, columns=(*rel.columns, added))))
    assert change.breaking and "without a default" in change.reason
    with_default = dataclasses.replace(added, default="'eu'::text")
    assert not only(diff(demo_catalog, edit_relation(demo_catalog, ORDERS, columns=(*rel.columns, with_default)))).breaking


def test_primary_key_or_unique_dropped_is_breaking_check_dropped_is_not(demo_catalog):
    rel = demo_catalog.relation(ORDERS)
    assert rel is not None
    for kind, breaking in ((ConstraintKind.PRIMARY_KEY, True), (ConstraintKind.CHECK, False)):
        kept = tuple(c for c in rel.constraints if c.kind is not kind)
        change = only(diff(demo_catalog, edit_relation(demo_catalog, ORDERS, constraints=kept)))
        assert (change.object, change.action.value, change.breaking) == ("constraint", "removed", breaking)


def test_function_signature_change_and_removal(demo_catalog):
    (f, *_) = [r for r in demo_catalog.routines if r.name == "set_updated_at"]
    changed = dataclasses.replace(demo_catalog, routines=tuple(
        dataclasses.replace(r, arguments="stamp timestamp with time zone", oid=None) if r is f else r
        for r in demo_catalog.routines))
    change = only(diff(demo_catalog, changed))
    assert (change.field, change.old, change.new, change.breaking) == ("arguments", "", "stamp timestamp with time zone", True)
    returns = dataclasses.replace(demo_catalog, routines=tuple(
        dataclasses.replace(r, returns="void") if r is f else r for r in demo_catalog.routines))
    assert only(diff(demo_catalog, returns)).breaking
    body = dataclasses.replace(demo_catalog, routines=tuple(
        dataclasses.replace(r, definition="BEGIN RETURN NEW; END") if r is f else r for r in demo_catalog.routines))
    assert not only(diff(demo_catalog, body)).breaking
    gone = dataclasses.replace(demo_catalog, routines=tuple(r for r in demo_catalog.routines if r is not f))
    assert (only(diff(demo_catalog, gone)).action.value, only(diff(demo_catalog, gone)).breaking) == ("removed", True)


def test_grants(demo_catalog):
    grant = Grant(grantee="reporting", privilege="SELECT")
    granted = edit_relation(demo_catalog, ORDERS, grants=(grant,))
    change = only(diff(demo_catalog, granted))
    assert (change.object, change.action.value, change.new, change.breaking) == ("grant", "added", "SELECT to reporting", False)
    revoked = only(diff(granted, demo_catalog))
    assert revoked.breaking and "reporting can no longer SELECT" in revoked.reason


def test_enum_label_order_and_rename(demo_catalog):
    (status,) = demo_catalog.enums
    reordered = dataclasses.replace(demo_catalog, enums=(dataclasses.replace(status, labels=status.labels[::-1]),))
    assert only(diff(demo_catalog, reordered)).breaking
    renamed = dataclasses.replace(demo_catalog, enums=(dataclasses.replace(status, name="invoice_state"),))
    change = only(diff(demo_catalog, renamed))
    assert (change.action.value, change.old, change.breaking) == ("renamed", "billing.invoice_status", True)


def test_statistics_are_never_compared(demo_dsn, demo_catalog):
    assert demo_catalog.by_name[ORDERS].stats is not None
    assert diff(demo_catalog, introspect(demo_dsn, stats=False)).changes == ()


@pytest.mark.parametrize("old, new, expected", [
    ("character varying(100)", "character varying(50)", TypeChange.NARROWED),
    ("character varying(50)", "character varying(100)", TypeChange.WIDENED),
    ("character varying(50)", "text", TypeChange.WIDENED),
    ("character varying", "text", TypeChange.WIDENED),
    ("text", "character varying(50)", TypeChange.NARROWED),
    ("text", "integer", TypeChange.INCOMPATIBLE),
    ("character(2)", "text", TypeChange.WIDENED),
    ("text", "character(2)", TypeChange.INCOMPATIBLE),
    ("integer", "bigint", TypeChange.WIDENED),
    ("bigint", "integer", TypeChange.NARROWED),
    ("smallint", "numeric", TypeChange.WIDENED),
    ("integer", "numeric(12,2)", TypeChange.WIDENED),
    ("bigint", "numeric(12,2)", TypeChange.NARROWED),
    ("numeric(12,2)", "numeric(14,2)", TypeChange.WIDENED),
    ("numeric(12,2)", "numeric(13,3)", TypeChange.WIDENED),
    ("numeric(12,2)", "numeric(12,3)", TypeChange.NARROWED),
    ("numeric(12,2)", "numeric(10,2)", TypeChange.NARROWED),
    ("numeric(12,2)", "numeric(12,1)", TypeChange.NARROWED),
    ("numeric(12,2)", "numeric", TypeChange.WIDENED),
    ("numeric", "numeric(12,2)", TypeChange.NARROWED),
    ("real", "double precision", TypeChange.WIDENED),
    ("double precision", "real", TypeChange.NARROWED),
    ("timestamp(3) with time zone", "timestamp with time zone", TypeChange.WIDENED),
    ("timestamp with time zone", "timestamp(0) with time zone", TypeChange.NARROWED),
    ("timestamp without time zone", "timestamp with time zone", TypeChange.INCOMPATIBLE),
    ("character varying(20)[]", "character varying(40)[]", TypeChange.WIDENED),
    ("integer[]", "integer", TypeChange.INCOMPATIBLE),
    ("bit(3)", "bit varying(8)", TypeChange.WIDENED),
    ("bit(3)", "bit(5)", TypeChange.INCOMPATIBLE),
    ("billing.invoice_status", "text", TypeChange.INCOMPATIBLE),
])
def test_type_changes(old, new, expected):
    assert type_change(old, new) is expected


# ------------------------------------------------------------------------- empty self-diffs

@pytest.mark.parametrize("which", ["demo_catalog", "edge_catalog"])
def test_a_snapshot_has_no_diff_with_itself(which, request):
    catalog = request.getfixturevalue(which)
    assert diff(catalog, catalog).changes == ()
    reloaded = snapshot.loads(snapshot.dumps(catalog))
    assert diff(catalog, reloaded).changes == ()
    assert diff(strip_oids(catalog), catalog).changes == ()  # matched by name alone


ENTRIES = entries()


@pytest.mark.skipif(not ENTRIES, reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS to the corpus directory")
@pytest.mark.parametrize("entry", ENTRIES)
def test_corpus_entry_has_no_diff_with_itself(entry, corpus_db):
    catalog = introspect(corpus_db(entry).dsn, stats=False)
    assert diff(catalog, catalog).changes == ()
    assert diff(snapshot.loads(snapshot.dumps(catalog)), catalog).changes == ()
    assert diff(strip_oids(catalog), catalog).changes == ()


# ------------------------------------------------------------------------- renderings

def test_renderings(migrated):
    first, last = migrated(0)[0], migrated(len(STEPS) - 1)[1]
    result = dataclasses.replace(diff(first, last), old="main.json", new="pr.json")
    text = render(result, "text")
    assert text.startswith("schema diff main.json → pr.json: 15 changes (7 breaking, 8 safe)\nBREAKING\n")
    assert text.index("SAFE") > text.index("column app.page_views.user_id removed")
    assert "      breaks: analytics.daily_traffic" in text
    md = render(result, "markdown")
    assert md.startswith(MARKER + "\n### Schema changes: 15 changes (7 breaking, 8 safe)")
    assert md.index("| breaking change |") < md.index("<details><summary>8 safe changes</summary>")
    assert "| column `app.page_views.user_id` removed | column dropped" in md
    assert "| `analytics.daily_traffic` |" in md
    assert "index `users_tenant_lower_email_key` on `app.users` removed" in md
    assert "+    max(oi.unit_price) AS max_unit_price" in md  # the changed view query, as a diff
    data = json.loads(render(result, "json"))
    assert (data["format"], data["version"], data["old"], data["new"]) == ("schemadocs-diff", 1, "main.json", "pr.json")
    assert data["summary"] == {"breaking": 7, "safe": 8, "total": 15}
    dropped = next(c for c in data["changes"] if c["name"] == "app.page_views.user_id")
    assert dropped == {
        "object": "column", "name": "app.page_views.user_id", "path": ["app", "page_views", "user_id"],
        "action": "removed", "field": None, "old": None, "new": None, "severity": "breaking",
        "reason": "column dropped: queries that use it fail, and its data is gone",
        "impact": [{"schema": "analytics", "name": "daily_traffic"}],
        "relation": {"schema": "app", "name": "page_views"},
    }
    shuffled = Diff(tuple(reversed(result.changes)), "main.json", "pr.json")
    assert render(shuffled, "json") == render(result, "json")  # sorted however built


def test_empty_diff_renderings(demo_catalog):
    empty = diff(demo_catalog, demo_catalog)
    assert render(empty, "text").endswith(": no changes\n")
    assert "### Schema changes: no changes" in render(empty, "markdown")
    assert json.loads(render(empty, "json"))["changes"] == []


def test_markdown_escapes_and_stays_under_the_limit(demo_catalog):
    hostile = edit_column(demo_catalog, ORDERS, "status", comment="a | b `c` <script>")
    md = render(diff(demo_catalog, hostile), "markdown")
    assert "``a \\| b `c` <script>``" in md
    many = dataclasses.replace(demo_catalog, relations=())
    limited = render_markdown(diff(demo_catalog, many), limit=3000)
    assert len(limited) <= 3000 and "changes not shown** (comment size limit)" in limited
    assert limited.count("| table `") + limited.count("| view `") + limited.count("| partitioned table `") > 0


# ------------------------------------------------------------------------- CLI

def assert_gate(done: subprocess.CompletedProcess, *needles: str) -> None:
    """A tripped gate: exit 1, and the last line on stderr is one `error: ...` line (progress may precede it)."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith("error: ") and all(n in last for n in needles), last


@pytest.fixture(scope="module")
def snapshots(migrated, tmp_path_factory) -> dict[str, Path]:
    """Snapshot files: the demo, then before and after a safe step, after a breaking step."""
    folder = tmp_path_factory.mktemp("snapshots")
    names = {"demo": migrated(0)[0], "base": migrated(1)[0], "safe": migrated(1)[1], "breaking": migrated(2)[1]}
    for name, catalog in names.items():
        snapshot.save(catalog, folder / f"{name}.json")
    return {name: folder / f"{name}.json" for name in names}


def test_cli_diff_formats_and_gate(snapshots):
    base, safe, breaking = (str(snapshots[k]) for k in ("base", "safe", "breaking"))
    done = run("diff", base, safe)
    assert done.returncode == 0 and done.stdout.startswith(f"schema diff {base} → {safe}: 1 change (0 breaking, 1 safe)")
    assert run("diff", base, safe, "--fail-on", "breaking").returncode == 0
    gated = run("diff", base, safe, "--fail-on", "any")
    assert gated.returncode == 1 and "column app.orders.notes added" in gated.stdout
    assert_gate(gated, "1 schema change (--fail-on any)")
    gated = run("diff", safe, breaking, "--fail-on", "breaking", "--format", "markdown")
    assert gated.returncode == 1 and gated.stdout.startswith(MARKER)
    assert_gate(gated, "2 breaking schema changes (--fail-on breaking)", "--fail-on never")
    assert run("diff", safe, breaking, "--fail-on", "never").returncode == 0
    data = json.loads(run("diff", safe, breaking, "--format", "json").stdout)
    assert data["summary"] == {"breaking": 2, "safe": 0, "total": 2}


def test_cli_diff_against_a_database(snapshots, new_database):
    dsn = new_database(demo_sql(), prefix="diffcli")
    done = run("diff", str(snapshots["demo"]), dsn)
    # another database: no OIDs in common, but the same schema, so nothing differs
    assert done.returncode == 0, done.stderr
    assert ": no changes" in done.stdout and "Traceback" not in done.stderr
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE billing.plans DROP COLUMN features")
    done = run("diff", str(snapshots["demo"]), dsn, "--fail-on", "breaking", "--exclude", "app")
    assert done.returncode == 1 and "column billing.plans.features removed" in done.stdout


@pytest.mark.parametrize("args, needle", [
    (("nope.json", "nope2.json"), "cannot read snapshot nope.json"),
    (("a.json", "b.json", "--format", "yaml"), "Invalid value for '--format'"),
])
def test_cli_diff_errors(args, needle, tmp_path):
    done = run("diff", *args, cwd=tmp_path)
    assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr


def test_cli_bad_snapshot_is_a_clean_error(tmp_path):
    (tmp_path / "bad.json").write_text("{}")
    assert_clean_error(run("diff", str(tmp_path / "bad.json"), str(tmp_path / "bad.json")), "no format_version")


def test_cli_check(new_database, tmp_path):
    dsn = new_database(demo_sql(), prefix="check")
    committed = tmp_path / "catalog.json"
    assert run("snapshot", "--dsn", dsn, "-o", str(committed)).returncode == 0  # with statistics
    done = run("check", "--dsn", dsn, "--snapshot", str(committed))
    assert done.returncode == 0 and done.stdout == "" and "matches the database" in done.stderr
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE app.orders ADD COLUMN notes text; ANALYZE")
    done = run("check", "--dsn", dsn, "--snapshot", str(committed))
    assert done.returncode == 1 and "column app.orders.notes added" in done.stdout
    assert_gate(done, f"no longer matches {committed} (1 change, 0 breaking)", "schemadocs snapshot --no-stats")
    assert "--stats" not in run("check", "--help").stdout
    assert_clean_error(run("check", "--dsn", dsn, "--snapshot", str(tmp_path / "missing.json")), "cannot read snapshot")


def test_cli_check_needs_a_snapshot():
    done = run("check")
    assert done.returncode == 2 and "--snapshot" in done.stderr and "Traceback" not in done.stderr
