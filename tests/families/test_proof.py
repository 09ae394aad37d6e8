"""The compact snapshot's proven path (`families/proof.py`): members detection proved equal to
their representative are patched without masking and encoding each object, and the snapshot is
byte for byte the one the checked path writes.

On six tenants of the families fixture, each trap laid over all of them (a column, an index column
or an owner named like the schema, the name in a string literal, quoted, after a backslash, a NUL
beside it, a member whose dropped column shifts positions, equal statistics written apart; the
first three are what the proof covers, the others what it must leave to the checked path): detection still finds the family, the
snapshot written with the proof (`detect`'s `Families`) equals the one written without it (the same
families, unproven: every object checked), and loads back as exactly the catalog.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from schemadocs import snapshot
from schemadocs.families.detect import Families, Family, detect
from schemadocs.model import Catalog, Column, Relation, RelationStats

SIX = tuple(f"tenant_{i:04d}" for i in range(1, 7))


def six(catalog: Catalog, change: Callable[[Relation], Relation] = lambda r: r) -> Catalog:
    """The fixture's `public` and first six tenants, each tenant's relations through `change`, each
    with statistics and an OID of its own (as a real database has them)."""
    def own(rel: Relation) -> Relation:
        n = SIX.index(rel.schema) + 1
        rel = dataclasses.replace(rel, oid=(rel.oid or 0) + 1000 * n,
                                  stats=RelationStats(estimated_rows=n * 10 + len(rel.name), total_size=8192 * n))
        return change(rel)

    keep = {"public", *SIX}
    return dataclasses.replace(
        catalog, schemas=tuple(s for s in catalog.schemas if s.name in keep),
        relations=tuple(own(r) if r.schema in SIX else r for r in catalog.relations if r.schema in keep),
        sequences=tuple(s for s in catalog.sequences if s.schema in keep))


def both_ways(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes, int, int]:
    """The compact snapshot with the proof and without it, and how many relations each encoded."""
    found = detect(catalog)
    assert [f.members for f in found.families] == [SIX], "the trap must keep the six tenants one family"
    encoded = [0]
    encode_all = snapshot._encode_all

    def counting(value: Any) -> list[bytes]:
        if isinstance(value, tuple) and value and isinstance(value[0], Relation):
            encoded[0] += len(value)
        return encode_all(value)

    monkeypatch.setattr(snapshot, "_encode_all", counting)
    proven = snapshot.dump_bytes(catalog, found)
    with_proof, encoded[0] = encoded[0], 0
    unproven = snapshot.dump_bytes(catalog, Families(found.families))  # the same families, nothing proven
    return proven, unproven, with_proof, encoded[0]


def test_proven_members_are_not_encoded_and_the_bytes_are_the_same(tenants: Catalog,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = six(tenants)
    proven, unproven, with_proof, without = both_ways(catalog, monkeypatch)
    assert proven == unproven
    relations = sum(r.schema in SIX for r in catalog.relations)
    public = sum(r.schema == "public" for r in catalog.relations)
    per_tenant = relations // len(SIX)
    assert with_proof == public + 2 * per_tenant  # the representative's, written in full and as the members' base
    assert without == with_proof + relations - per_tenant  # and every member's relation masked and checked
    assert snapshot.loads(proven) == catalog


def _column(rel: Relation, column: Column) -> Relation:
    return dataclasses.replace(rel, columns=(*rel.columns, column))


def _named_column(rel: Relation) -> Relation:  # a column named like the schema (a whole value: both rewrite it)
    if rel.name != "customers":
        return rel
    return _column(rel, Column(name=rel.schema, type="text", nullable=True, position=len(rel.columns) + 1))


def _indexed_column(rel: Relation) -> Relation:  # ... and an index on it (a list item: the fingerprint alone)
    rel = _named_column(rel)
    if rel.name != "customers" or not rel.indexes:
        return rel
    index = dataclasses.replace(rel.indexes[0], name="by_schema_column", columns=(rel.schema,),
                                definition=f"CREATE INDEX by_schema_column ON {rel.schema}.customers USING btree (x)")
    return dataclasses.replace(rel, indexes=(*rel.indexes, index))


def _default(text: str) -> Callable[[Relation], Relation]:
    def change(rel: Relation) -> Relation:
        if rel.name != "customers":
            return rel
        return _column(rel, Column(name="note", type="text", nullable=True, default=text.replace("{s}", rel.schema),
                                   position=len(rel.columns) + 1))
    return change


def _owned(rel: Relation) -> Relation:  # each tenant's role named like its schema: a per-member value both rewrite
    return dataclasses.replace(rel, owner=rel.schema)


def _commented(rel: Relation) -> Relation:  # the schema's name as a comment, and as a prefix in one
    return dataclasses.replace(rel, comment=rel.schema if rel.name == "orders" else f"see {rel.schema}.orders")


def _shifted(rel: Relation) -> Relation:  # a dropped column left a gap in one tenant: positions differ
    if rel.schema != "tenant_0004" or rel.name != "customers":
        return rel
    return dataclasses.replace(rel, columns=tuple(dataclasses.replace(c, position=c.position + 1) for c in rel.columns))


def _nul(rel: Relation) -> Relation:
    """The representative's whole value `tenant_0001` where the members hold the placeholder detection
    normalises to: the same fingerprint, and only the NUL tells them apart."""
    if rel.name != "customers":
        return rel
    return _column(rel, Column(name="trap", type="text", nullable=True, default=rel.schema if rel.schema == "tenant_0001" else "\x00family",
                               position=len(rel.columns) + 1))


def _equal_apart(rel: Relation) -> Relation:  # 7 == 7.0, written apart: equal values, other JSON
    return dataclasses.replace(rel, stats=RelationStats(estimated_rows=7.0 if rel.schema == "tenant_0003" else 7))


TRAPS = {
    "column named like the schema": _named_column,
    "index column named like the schema": _indexed_column,
    "own name in a literal": _default("'{s}.x'::text"),
    "one name in a literal, in all": _default("'tenant_0001'::text"),
    "quoted name in all": _default('"tenant_0001".f()'),
    "own name after a backslash": _default("'\\{s}.x'::text"),
    "own name bare, one quoted in all": _default('{s}.f("tenant_0001".x)'),
    "owner named like the schema": _owned,
    "comment naming the schema": _commented,
    "dropped column shifts positions": _shifted,
    "NUL beside the placeholder": _nul,
    "equal statistics written apart": _equal_apart,
}


@pytest.mark.parametrize("trap", TRAPS)
def test_a_trap_gives_the_bytes_of_the_checked_path(tenants: Catalog, monkeypatch: pytest.MonkeyPatch,
                                                    trap: str) -> None:
    catalog = six(tenants, TRAPS[trap])
    proven, unproven, _, _ = both_ways(catalog, monkeypatch)
    assert proven == unproven
    if trap != "equal statistics written apart":  # a float where the model says int: no snapshot holds it
        assert snapshot.loads(proven) == catalog


def test_proof_holds_for_the_catalog_it_was_detected_on_only(tenants: Catalog) -> None:
    catalog = six(tenants)
    found = detect(catalog)
    fingerprints = found.proven_in(catalog)
    assert set(fingerprints) == {"public", *SIX} and len({fingerprints[s] for s in SIX}) == 1
    other = six(tenants, _shifted)  # equal families, another catalog object: nothing proven for it
    assert found == detect(other) and found.proven_in(other) == {}
    assert Families(found.families).proven_in(catalog) == {}


def test_a_member_regrouped_against_its_fingerprint_is_checked(tenants: Catalog) -> None:
    """Families with detection's proof but other groups: `zz1`, of a family of its own (copies of
    `tenant_0002` that kept its name in their text), put among the tenants. Its fingerprint is not
    its representative's, so its objects take the checked path."""
    catalog = six(tenants)
    public = next(s for s in catalog.schemas if s.name == "public")
    copies = ("zz1", "zz2", "zz3")
    extra = dataclasses.replace(
        catalog, schemas=(*catalog.schemas, *(dataclasses.replace(public, name=z) for z in copies)),
        relations=(*catalog.relations, *(dataclasses.replace(r, schema=z, oid=(r.oid or 0) + 7) for z in copies
                                         for r in catalog.relations if r.schema == "tenant_0002")),
        sequences=(*catalog.sequences, *(dataclasses.replace(q, schema=z) for z in copies
                                         for q in catalog.sequences if q.schema == "tenant_0002")))
    found = detect(extra)
    assert [f.members for f in found.families] == [SIX, copies]
    entries = orjson.loads(snapshot.dump_bytes(extra, Families(found.families)))["family_members"]
    assert "zz1" not in {e["schema"] for e in entries} and "zz2" in {e["schema"] for e in entries}
    regrouped = Families((Family("f", "tenant_0002", (*SIX, "zz1"), 3),), found.proven)
    compact = snapshot.dump_bytes(extra, regrouped)
    assert "zz1" in {e["schema"] for e in orjson.loads(compact)["family_members"]}  # folded, as what differs
    assert compact == snapshot.dump_bytes(extra, Families(regrouped.families))
    assert snapshot.loads(compact) == extra
