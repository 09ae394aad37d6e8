"""The JSON snapshot: contract keys, determinism, round trip, JSON Schema, bad input."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import jsonschema
import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs import snapshot
from schemadocs.errors import SnapshotError
from schemadocs.model import QualifiedName

SCHEMA = json.loads((Path(snapshot.__file__).parent / "snapshot.schema.json").read_text())


def test_contract_keys(demo_catalog):
    data = json.loads(snapshot.dumps(demo_catalog))
    assert data["format_version"] == 1
    rel = next(r for r in data["relations"] if r["schema"] == "app" and r["name"] == "order_items")
    assert {"schema", "name", "kind", "comment", "columns", "constraints", "indexes"} <= set(rel)
    assert {"name", "type", "nullable", "default", "comment"} <= set(rel["columns"][0])
    fk = next(c for c in rel["constraints"] if c["kind"] == "foreign_key" and c["ref_name"] == "orders")
    assert fk["columns"] == ["tenant_id", "order_no"] and fk["ref_schema"] == "app"
    assert fk["ref_columns"] == ["tenant_id", "order_no"]
    assert {"name", "definition"} <= set(rel["indexes"][0])
    assert {r["kind"] for r in data["relations"]} <= {"table", "partitioned_table", "view", "materialized_view", "foreign_table"}


def test_same_database_gives_identical_bytes(demo_dsn, edge_dsn):
    # Statistics change as a database is used; the structure alone must be byte-identical.
    for dsn in (demo_dsn, edge_dsn):
        assert snapshot.dumps(introspect(dsn, stats=False)) == snapshot.dumps(introspect(dsn, stats=False))


@pytest.mark.parametrize("which", ["demo_catalog", "edge_catalog"])
def test_round_trip_is_byte_identical(which, request, tmp_path):
    catalog = request.getfixturevalue(which)
    path = tmp_path / "catalog.json"
    snapshot.save(catalog, path)
    loaded = snapshot.load(path)
    assert loaded == catalog
    assert snapshot.dumps(loaded) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["demo_catalog", "edge_catalog"])
def test_snapshot_matches_its_json_schema(which, request):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(json.loads(snapshot.dumps(request.getfixturevalue(which))), SCHEMA)


def test_json_schema_rejects_a_foreign_key_without_target(demo_catalog):
    data = json.loads(snapshot.dumps(demo_catalog))
    fk = next(c for r in data["relations"] for c in r["constraints"] if c["kind"] == "foreign_key")
    del fk["ref_schema"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("text, message", [
    ("not json", "not valid JSON"),
    ("{}", "no format_version"),
    ('{"format_version": 99}', "format_version 99"),
    ('{"format_version": 1, "database": "x", "server_version": "16", "bogus": 1}', "unknown keys"),
])
def test_bad_snapshots_give_clear_errors(text, message, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(SnapshotError, match=message):
        snapshot.load(path)


def test_missing_snapshot_file(tmp_path):
    with pytest.raises(SnapshotError, match="cannot read snapshot"):
        snapshot.load(tmp_path / "nope.json")


@pytest.mark.parametrize("which", ["demo_catalog", "edge_catalog"])
def test_fast_encoding_equals_the_plain_form(which, request):
    catalog = request.getfixturevalue(which)
    data = json.loads(snapshot.dumps(catalog))
    assert data == snapshot.to_plain(catalog)
    lines = snapshot.dumps(catalog).splitlines()
    assert len(lines) > len(catalog.relations), "one object per line"


@pytest.mark.parametrize("enabled", [True, False])
def test_introspection_and_encoding_leave_the_collector_as_they_found_it(enabled, demo_dsn, monkeypatch):
    # Both pause the cyclic garbage collector while they run (their objects form no cycles).
    seen = []

    def encode(catalog, families=None):
        seen.append(gc.isenabled())
        return b""

    monkeypatch.setattr(snapshot, "_dump_bytes", encode)
    (gc.enable if enabled else gc.disable)()
    try:
        catalog = introspect(demo_dsn, stats=False)
        assert gc.isenabled() is enabled
        snapshot.dump_bytes(catalog)
        assert seen == [False] and gc.isenabled() is enabled
    finally:
        gc.enable()


def test_a_foreign_key_to_a_relation_the_snapshot_lacks_is_refused_unless_selected(demo_catalog, tmp_path):
    import dataclasses

    from schemadocs.project.selection import Selection, select

    referenced = next(fk.target for r in demo_catalog.relations for fk in r.declared_foreign_keys
                      if fk.target != r.qname)
    broken = dataclasses.replace(demo_catalog, relations=tuple(r for r in demo_catalog.relations
                                                               if r.qname != referenced and not r.reads))
    (tmp_path / "broken.json").write_bytes(snapshot.dump_bytes(broken))
    with pytest.raises(SnapshotError, match=f"references {referenced}, which the snapshot lacks"):
        snapshot.load(tmp_path / "broken.json")
    part = select(demo_catalog, Selection(include=("app.order_items",)))  # its FKs point out of the selection
    assert part.selected and any(fk.target not in {r.qname for r in part.relations}
                                 for r in part.relations for fk in r.foreign_keys)
    (tmp_path / "part.json").write_bytes(snapshot.dump_bytes(part))
    assert snapshot.load(tmp_path / "part.json") == part
    assert b'"selected"' not in snapshot.dump_bytes(demo_catalog)  # written only when true


def test_a_foreign_key_to_an_extension_table_is_recorded_outside(new_database, tmp_path):
    dsn = new_database("""
        CREATE SCHEMA s;
        CREATE TABLE s.ext_codes (code int PRIMARY KEY);
        ALTER EXTENSION plpgsql ADD TABLE s.ext_codes;  -- now an extension member: not documented
        CREATE TABLE s.orders (id int PRIMARY KEY, code int REFERENCES s.ext_codes (code));
    """, prefix="outside")
    catalog = introspect(dsn, stats=False)
    (fk,) = catalog.relation(QualifiedName("s", "orders")).foreign_keys
    assert catalog.relation(fk.target) is None and fk.ref_columns == ("code",)
    assert catalog.outside == (QualifiedName("s", "ext_codes"),) and not catalog.selected
    snapshot.save(catalog, tmp_path / "c.json")
    assert snapshot.load(tmp_path / "c.json") == catalog
