"""The compact snapshot (format 2): a schema family held once, its members as what differs.

On the families fixture (300 identical tenants, two near-members, a hostile-named family) with
per-member statistics, comments, owners and privileges laid over it, and on small hostile
families made by hypothesis: `loads(dump(c)) == c` exactly, the full form's bytes come back,
the form is deterministic, corrupt entries are one-line errors, and the CLI writes both forms.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemadocs import snapshot
from schemadocs.errors import SnapshotError
from schemadocs.families.detect import Families, Family, detect
from schemadocs.families.settings import FamilySettings
from schemadocs.families.structure import renamed
from schemadocs.model import Catalog, Grant, RelationStats
from tests.families.fixture import EXTRA, HOSTILE, NOINDEX, TENANTS
from tests.inprocess import run_cli

SCHEMA = json.loads((Path(snapshot.__file__).parent / "snapshot.schema.json").read_text(encoding="utf-8"))


def varied(catalog: Catalog) -> Catalog:
    """`catalog` with each tenant's own statistics, and here and there its own comments, owner and grants."""
    def own(rel):  # noqa: ANN001, ANN202
        n = int(rel.schema[-4:]) if rel.schema[-4:].isdigit() else 7
        change = {"stats": RelationStats(estimated_rows=n * 1000 + len(rel.name), total_size=8192 * n, seq_scans=n % 5,
                                         last_analyze=f"2026-01-{n % 28 + 1:02d}T00:00:00+00:00", row_width=n % 3 or None)}
        if n % 7 == 0:
            change["comment"] = f"See {rel.schema}.orders and \"{rel.schema}\".x \\ 'q' tenant_0001.y \u00e9\n"
        if n == 42:
            change["owner"] = "tenant_42_owner"
            change["grants"] = (Grant("reporting", "SELECT"),)
            change["columns"] = tuple(dataclasses.replace(c, comment=f"{c.name} of {rel.schema}") for c in rel.columns)
        return dataclasses.replace(rel, **change)

    return dataclasses.replace(catalog, relations=tuple(own(r) if r.schema != "public" else r for r in catalog.relations))


@pytest.fixture(scope="module")
def catalog(tenants: Catalog) -> Catalog:
    return varied(tenants)


def test_a_family_of_300_round_trips_exactly(catalog: Catalog) -> None:
    found = detect(catalog)  # statistics, comments, owners and grants make no difference to the structure
    assert [(f.name, f.size, len(f.near)) for f in found.families] == [("tenant_*", TENANTS, 2), ('we\'ird "x" <b>*', 3, 0)]
    full, compact = snapshot.dump_bytes(catalog), snapshot.dump_bytes(catalog, found)
    data = orjson.loads(compact)
    assert data["format_version"] == 2 and orjson.loads(full)["format_version"] == 1
    members = [e["schema"] for e in data["family_members"]]
    assert members == sorted([f"tenant_{i:04d}" for i in range(2, TENANTS + 1)] + list(HOSTILE[1:]))
    stored = {s["name"] for s in data["schemas"]}
    assert stored == {"public", "tenant_0001", EXTRA, NOINDEX, HOSTILE[0]}  # near-members in full
    jsonschema.validate(data, SCHEMA)
    loaded = snapshot.loads(compact)
    assert loaded == catalog
    assert snapshot.dump_bytes(loaded) == full and snapshot.dump_bytes(loaded, found) == compact
    assert len(compact) * 8 < len(full), (len(compact), len(full))


def test_a_member_is_stored_as_only_what_differs(catalog: Catalog) -> None:
    data = orjson.loads(snapshot.dump_bytes(catalog, detect(catalog)))
    entry = next(e for e in data["family_members"] if e["schema"] == "tenant_0042")
    assert entry["like"] == "tenant_0001"

    def fields(differs: dict) -> set[str]:  # the object fields patched, per list and object
        return {field for objects in differs.values() for patch in objects.values() for field in patch}

    assert fields(entry["differs"]) == {"owner", "grants", "comment", "stats", "oid", "columns"}
    columns = [c for patch in entry["differs"]["relations"].values() for c in patch.get("columns", {}).values()]
    assert columns and all(set(c) == {"comment"} for c in columns)  # of each column, its comment alone
    plain = next(e for e in data["family_members"] if e["schema"] == "tenant_0043")
    assert fields(plain["differs"]) == {"oid", "stats", "comment"}
    comments = [p["comment"] for p in plain["differs"]["relations"].values() if "comment" in p]
    assert comments == [["Customers of tenant_0043"]]  # the fixture's comment on customers, the one that differs


def test_the_compact_form_is_deterministic(catalog: Catalog) -> None:
    found = detect(catalog)
    shuffled = Families(tuple(Family(f.name, f.representative, tuple(reversed(f.members)), f.objects, f.near)
                              for f in reversed(found.families)))
    assert snapshot.dump_bytes(catalog, shuffled) == snapshot.dump_bytes(catalog, found) == \
        snapshot.dump_bytes(catalog, detect(catalog))


NAMES = st.text(st.sampled_from(list("ab_.$'\"\\ é<>{}") + ["\n", "\x1f"]), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(names=st.lists(NAMES, min_size=3, max_size=5, unique=True), data=st.data())
def test_hostile_families_round_trip_exactly(tenants: Catalog, names: list[str], data: st.DataObject) -> None:
    parts = [renamed(tenants, "tenant_0001", name) for name in names]
    texts = st.one_of(st.none(), NAMES, st.builds(lambda a, n, b: f"{a}{n}.{b}", NAMES, st.sampled_from(names), NAMES))
    relations = []
    for part in parts:
        for rel in part.relations:
            comment = data.draw(texts)
            rows = data.draw(st.one_of(st.none(), st.integers(0, 10**15)))
            relations.append(dataclasses.replace(rel, comment=comment, oid=data.draw(st.integers(1, 2**32)),
                                                 stats=None if rows is None else RelationStats(estimated_rows=rows)))
    catalog = dataclasses.replace(
        parts[0], schemas=tuple(sorted((s for p in parts for s in p.schemas), key=lambda s: s.name)),
        relations=tuple(sorted(relations, key=lambda r: (r.schema, r.name))),
        sequences=tuple(sorted((s for p in parts for s in p.sequences), key=lambda s: (s.schema, s.name))))
    rep = data.draw(st.sampled_from(names))
    family = Families((Family("f", rep, tuple(sorted(names)), len(parts[0].relations)),))
    compact = snapshot.dump_bytes(catalog, family)
    assert orjson.loads(compact)["format_version"] == 2
    loaded = snapshot.loads(compact)
    assert loaded == catalog and snapshot.dump_bytes(loaded) == snapshot.dump_bytes(catalog)
    found = detect(catalog, FamilySettings(min_members=2))  # what detection proves of this catalog (`families/proof.py`)
    proven = Families(family.families, found.proven)
    assert snapshot.dump_bytes(catalog, proven) == compact  # the proven path: the checked path's bytes


def test_a_member_unlike_its_representative_is_kept_whole(catalog: Catalog) -> None:
    wrong = Families((Family("f", "tenant_0001", ("tenant_0001", EXTRA, "public", "tenant_0002", "tenant_0003"), 3),
                      Family("g", "tenant_0003", ("tenant_0002", "tenant_0003", "tenant_0004"), 3)))  # overlapping
    data = orjson.loads(snapshot.dump_bytes(catalog, wrong))
    members = {e["schema"]: e for e in data["family_members"]}
    assert sorted(members) == ["tenant_0002", "tenant_0004", EXTRA]  # public, one table to three, is kept whole
    assert members["tenant_0002"]["like"] == "tenant_0001" and members["tenant_0004"]["like"] == "tenant_0003"
    patched = [p for p in members[EXTRA]["differs"]["relations"].values() if "columns" in p]
    assert len(patched) == 1 and isinstance(patched[0]["columns"], list)  # a column more: its columns replaced
    assert snapshot.loads(snapshot.dump_bytes(catalog, wrong)) == catalog


@pytest.mark.parametrize("corrupt, message", [
    (lambda d: d["family_members"][0].update(like="nope"), "which the snapshot lacks"),
    (lambda d: d["family_members"][0]["differs"].update(relations={"99": {"oid": [1]}}), "missing item"),
    (lambda d: d["family_members"][0]["differs"].update(bogus={}), "may name only"),
    (lambda d: d["family_members"][0]["differs"]["relations"]["0"].update(nope=[1]), "missing key"),
    (lambda d: d["family_members"][0]["differs"]["relations"]["0"].update(oid=[1, 2]), "array of one value"),
    (lambda d: d.update(family_members=[]), "non-empty family_members"),
    (lambda d: d.update(format_version=1), "unknown keys"),
    (lambda d: d.pop("family_members"), "non-empty family_members"),
])
def test_a_corrupt_compact_snapshot_is_one_line_error(catalog: Catalog, corrupt, message: str) -> None:  # noqa: ANN001
    data = orjson.loads(snapshot.dump_bytes(catalog, detect(catalog)))
    corrupt(data)
    with pytest.raises(SnapshotError, match=message) as err:
        snapshot.loads(orjson.dumps(data))
    assert "\n" not in str(err.value)


def test_the_snapshot_command_writes_the_compact_form_and_full_on_request(tenants_dsn: str, tmp_path: Path) -> None:
    compact, full = tmp_path / "compact.json", tmp_path / "full.json"
    assert run_cli("snapshot", "--dsn", tenants_dsn, "-o", str(compact), "--no-stats")[0] == 0
    assert run_cli("snapshot", "--dsn", tenants_dsn, "-o", str(full), "--no-stats", "--full")[0] == 0
    assert orjson.loads(compact.read_bytes())["format_version"] == 2
    assert orjson.loads(full.read_bytes())["format_version"] == 1  # the form older snapshots have: still loads
    assert snapshot.load(compact) == snapshot.load(full)
    assert compact.stat().st_size * 5 < full.stat().st_size
    code, err = run_cli("diff", str(full), str(compact), "--fail-on", "any")
    assert code == 0, err


def test_the_list_wide_masking_gives_what_the_object_by_object_one_gives(catalog: Catalog) -> None:
    """`compact` masks every member of a family at once (`_masked_all`); on the fixture (each tenant's
    statistics, comments here and there, one tenant with its own owner, grants and column comments;
    the near-members' relations paired by name, so that some lists differ in length) its masked
    objects and patches are exactly those of `_masked`, pair by pair, and the snapshot the same."""
    from schemadocs.families.compact import _masked, _masked_all

    found = detect(catalog)
    for family in found.families:
        by_name = {r.name: r for r in catalog.relations if r.schema == family.representative}
        pairs = [(r, by_name[r.name]) for s in (*family.members[1:], *(n.schema for n in family.near))
                 for r in catalog.relations if r.schema == s and r.name in by_name]
        mine, reps = [a for a, _ in pairs], [b for _, b in pairs]
        one_by_one = [_masked(a, b) for a, b in pairs]
        masked, patches = _masked_all(mine, reps)
        assert masked == [m for m, _ in one_by_one] and patches == [p for _, p in one_by_one]
        assert sum(map(bool, patches)) >= len(family.members) - 1  # each tenant's statistics differ
    own = next(r for r in catalog.relations if r.schema == "tenant_0042" and r.name == "customers")
    rep = next(r for r in catalog.relations if r.schema == "tenant_0001" and r.name == "customers")
    masked, patches = _masked_all([own, own], [rep, rep])
    assert patches[0] == patches[1] == _masked(own, rep)[1] and "columns" in patches[0]
