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

    def encode(catalog):
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
