"""The static JSON API of a built site: every file valid against the shipped JSON Schema,
every link resolving to a file of the site, the content matching the catalog; hostile names
get the site's safe file names."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from schemadocs.api.objects import sources
from schemadocs.api.paths import INDEX
from schemadocs.api.static import api_files
from schemadocs.checks.engine import lint
from schemadocs.model import Catalog, QualifiedName

SCHEMA = json.loads(resources.files("schemadocs.api").joinpath("api.schema.json").read_text(encoding="utf-8"))


def validator(part: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**SCHEMA, "oneOf": [{"$ref": f"#/$defs/{part}"}]})


def api_of(site: Path) -> dict[str, Any]:
    return {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((site / "api").rglob("*.json"))}


def links(data: Any) -> list[dict[str, str]]:
    """Every `links` object anywhere in a file."""
    found = []
    if isinstance(data, dict):
        if isinstance(data.get("links"), dict):
            found.append(data["links"])
        for value in data.values():
            found += links(value)
    elif isinstance(data, list):
        for value in data:
            found += links(value)
    return found


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("site_fixture", ["demo_site", "edge_site"])
def test_every_api_file_is_valid_and_every_link_resolves(site_fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    files = api_of(site)
    assert INDEX in files and len(files) > 10
    for path, data in files.items():
        part = "index" if path == INDEX else data["kind"]
        errors = [f"{path}: {e.json_path}: {e.message[:200]}" for e in validator(part).iter_errors(data)]
        assert errors == []
        for link in links(data):
            assert (site / link["api"]).is_file(), (path, link)
            assert (site / link["html"].split("#")[0]).is_file(), (path, link)
        if path.startswith("api/health/"):
            assert (site / data["html"]).is_file(), path
    listed = {e["links"]["api"] for e in files[INDEX]["objects"]} | set(files[INDEX]["health_rules"].values())
    assert listed == set(files) - {INDEX}, "the index lists every object file and health rule file, and nothing else"


def test_the_schema_rejects_what_it_should() -> None:
    relation = validator("relation")
    assert list(relation.iter_errors({"kind": "relation"}))
    bad_link = {"api": "../../etc/passwd", "html": "schemas/a/b.html"}
    assert list(validator("index").iter_errors({"api_version": 1, "database": "d", "server_version": "16", "schemas": [],
                                               "objects": [{"kind": "relation", "schema": "a", "name": "b",
                                                            "qualified_name": "a.b", "links": bad_link}]}))


def test_index_and_objects_match_the_catalog(demo_site: Path, demo_catalog: Catalog) -> None:
    files = api_of(demo_site)
    index = files[INDEX]
    assert index["database"] == demo_catalog.database
    kinds = [e["kind"] for e in index["objects"]]
    assert kinds.count("relation") == len(demo_catalog.relations)
    assert kinds.count("type") == len(demo_catalog.enums) + len(demo_catalog.domains) + len(demo_catalog.composite_types)
    assert kinds.count("routine") == len({(f.schema, f.name) for f in demo_catalog.routines})
    assert sum(index["health"].values()) == len(lint(demo_catalog).findings)

    entry = next(e for e in index["objects"] if e["qualified_name"] == "billing.invoices")
    invoices = files[entry["links"]["api"]]
    rel = demo_catalog.relation(QualifiedName("billing", "invoices"))
    assert rel is not None
    assert [c["name"] for c in invoices["columns"]] == [c.name for c in rel.columns]
    assert invoices["comment"] == rel.comment
    assert {fk["references"]["name"] for fk in invoices["foreign_keys"]} == {"subscriptions", "tenants"}
    assert {fk["from"]["name"] for fk in invoices["referenced_by"]} == {"payments", "events"}
    assert [v["name"] for v in invoices["dependents"]["views"]] == ["invoice_balances"]
    assert any(f["rule"] == "fk-without-index" for f in invoices["health"])
    status = next(c for c in invoices["columns"] if c["name"] == "status")
    assert status["user_type"]["name"] == "invoice_status"

    balances = files["api/relations/analytics/invoice_balances.json"]
    value_from = {c["column"]: c["value_from"] for c in balances["lineage"]["columns"]}
    assert {"schema": "billing", "name": "invoices", "column": "total"} in value_from["total"]

    routine = files["api/routines/billing/mark_invoice_paid.json"]
    (overload,) = routine["overloads"]
    assert [w["name"] for w in overload["writes"]] == ["invoices"]
    assert {f["rule"] for f in routine["health"]} >= {"security-definer-search-path"}


def test_files_are_deterministic_and_without_health_when_no_checks_ran(demo_catalog: Catalog) -> None:
    first = api_files(sources(demo_catalog, lint(demo_catalog)))
    assert first == api_files(sources(demo_catalog, lint(demo_catalog)))
    bare = api_files(sources(demo_catalog))
    assert set(bare) == {path for path in first if not path.startswith("api/health/")}
    assert all("health" not in json.loads(text) for text in bare.values())
    assert all(text.endswith("\n") and "\n" not in text[:-1] for text in first.values()), "compact, one line each"


def test_hostile_names_get_safe_unique_file_names(edge_site: Path, edge_catalog: Catalog) -> None:
    files = api_of(edge_site)
    names = [(e["schema"], e["name"]) for e in files[INDEX]["objects"] if e["kind"] == "relation"]
    assert len(names) == len(edge_catalog.relations)
    odd = [e for e in files[INDEX]["objects"] if e["kind"] == "relation" and not e["name"].isidentifier()]
    assert odd, "the edge-case fixture has relations with hostile names"
    for e in odd:
        data = files[e["links"]["api"]]
        assert (data["schema"], data["name"]) == (e["schema"], e["name"]), "the file holds the exact name"
    assert len({e["links"]["api"].lower() for e in files[INDEX]["objects"]}) == len(files[INDEX]["objects"])
