"""Find schema families: schemas whose structure is identical, and the schemas that nearly are.

In: a `Catalog` and `FamilySettings`. Out: `Families`: each `Family` (its name, its
representative, the member schemas, sorted) and each `NearMember` (a schema at most
`max_differences` changes away from one family's structure, with those changes as
`Difference`s, found by the diff engine on the two schemas' normalised structures).

The structure compared is `structure.Structure`: everything but statistics, sizes, OIDs,
comments, owners, privileges and column positions, with each schema's own name normalised out.
Schemas holding no object never form a family. The representative is the first member by
name; the family is named after what its members' names share (`tenant_*`), else after its
representative (`like tenant_0001`). Deterministic: the same catalog gives the same families.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from types import MappingProxyType

from schemadocs.diff.change import Action, Change
from schemadocs.diff.diff import diff
from schemadocs.families.settings import FamilySettings
from schemadocs.families.structure import Structure, renamed, structures
from schemadocs.model import Catalog, quote_ident


@dataclass(frozen=True, order=True)
class Difference:
    """How a near-member differs from its family: `what` is `extra`, `missing`, `changed` or
    `renamed`; `object` the kind (column, index, table, ...); `name` the object's name inside
    the schema (`t.c`); `detail` its type, definition or the change (`integer`, `old → new`)."""

    what: str
    object: str
    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.what} {self.object} {self.name}" + (f" {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class NearMember:
    schema: str
    family: str  # the family's name
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Family:
    name: str  # `tenant_*`, or `like tenant_0001`
    representative: str  # the schema documented for all members
    members: tuple[str, ...]  # sorted, the representative among them
    objects: int  # objects in each member (relations, routines, types, sequences)
    near: tuple[NearMember, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, eq=False)
class Proven:
    """Each schema's fingerprint as detection made it on `catalog` (the very object), for the
    schemas whose fingerprint is unambiguous (`Structure.unambiguous`): two of them with equal
    fingerprints have the same structure. The compact snapshot patches a member's objects
    without checking each one where its fingerprint is its representative's (`families/proof.py`)."""

    catalog: Catalog
    fingerprints: Mapping[str, str]


@dataclass(frozen=True)
class Families:
    families: tuple[Family, ...] = ()  # sorted by name
    proven: Proven | None = field(default=None, compare=False, repr=False)  # set by `detect`

    def proven_in(self, catalog: Catalog) -> Mapping[str, str]:
        """The fingerprints `proven` holds, if detection ran on `catalog` itself; else none."""
        return self.proven.fingerprints if self.proven is not None and self.proven.catalog is catalog else {}

    def __bool__(self) -> bool:
        return bool(self.families)

    @cached_property
    def of_schema(self) -> dict[str, Family]:
        """Each member's and near-member's family."""
        return {**{s: f for f in self.families for s in f.members},
                **{n.schema: f for f in self.families for n in f.near}}

    @cached_property
    def hidden(self) -> frozenset[str]:
        """The schemas not documented on their own: every member but the representative, every near-member."""
        return frozenset(s for f in self.families for s in (*f.members, *(n.schema for n in f.near))
                         if s != f.representative)

    def named(self, name: str) -> Family | None:
        return next((f for f in self.families if f.name == name), None)


NONE = Families()


def detect(catalog: Catalog, settings: FamilySettings | None = None) -> Families:
    """The catalog's families and near-members (none when disabled or when no family forms)."""
    settings = settings or FamilySettings()
    if not settings.enable or os.environ.get("SCHEMADOCS_FAMILIES") == "0":
        return NONE
    candidates = [s.name for s in catalog.schemas
                  if not settings.include or any(fnmatchcase(s.name, glob) for glob in settings.include)]
    if len(candidates) < settings.min_members:
        return NONE
    shapes = {name: s for name, s in structures(catalog, candidates).items() if s.items}
    groups: dict[str, list[str]] = {}
    for name in sorted(shapes):
        groups.setdefault(shapes[name].fingerprint, []).append(name)
    found = [members for members in groups.values() if len(members) >= settings.min_members]
    if not found:
        return NONE
    names = _names([m for m in found])
    families = [Family(name=n, representative=m[0], members=tuple(m), objects=len(shapes[m[0]].items))
                for n, m in zip(names, found)]
    grouped = {s for f in families for s in f.members}
    near: dict[str, list[NearMember]] = {}
    if settings.max_differences > 0:
        for schema in sorted(set(shapes) - grouped):
            close = _nearest(catalog, shapes, schema, families, settings.max_differences)
            if close is not None:
                near.setdefault(close.family, []).append(close)
    families = [Family(f.name, f.representative, f.members, f.objects, tuple(near.get(f.name, ())))
                for f in families]
    proven = Proven(catalog, MappingProxyType({n: shape.fingerprint for n, shape in shapes.items() if shape.unambiguous}))
    return Families(tuple(sorted(families, key=lambda f: f.name)), proven)


def _names(groups: list[list[str]]) -> list[str]:
    """Each group's name: its members' common prefix and `*` (`tenant_*`), unless that is too
    short or two groups would share it; then `like` its first member."""
    prefixes = [os.path.commonprefix(g).rstrip("0123456789") for g in groups]
    wanted = [f"{p}*" if len(p) >= 2 else f"like {g[0]}" for p, g in zip(prefixes, groups)]
    return [w if wanted.count(w) == 1 else f"like {g[0]}" for w, g in zip(wanted, groups)]


def _nearest(catalog: Catalog, shapes: dict[str, Structure], schema: str, families: list[Family],
             limit: int) -> NearMember | None:
    """The family `schema` is closest to, within `limit` changes, with its differences."""
    mine = shapes[schema].digests
    best: tuple[int, str, Family] | None = None
    for family in families:
        theirs = shapes[family.representative].digests
        differing = sum(1 for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
        shared = len(theirs) - sum(1 for k in theirs if mine.get(k) != theirs[k])
        if differing <= limit and shared > differing and (best is None or differing < best[0]):
            best = (differing, family.name, family)
    if best is None:
        return None
    family = best[2]
    base = renamed(catalog, family.representative, family.representative, structural=True)
    other = renamed(catalog, schema, family.representative, structural=True)
    changes = diff(base, other).changes
    if len(changes) > limit:
        return None
    return NearMember(schema=schema, family=family.name,
                      differences=tuple(sorted(difference(c, base, other) for c in changes)))


_WHAT = {Action.ADDED: "extra", Action.REMOVED: "missing", Action.CHANGED: "changed", Action.RENAMED: "renamed"}


def difference(change: Change, base: Catalog, other: Catalog) -> Difference:
    """One change from the family's structure (`base`) to a near-member's (`other`, under the
    representative's name) as the near-member's difference, named without the schema."""
    parts = change.path[2:] if change.object == "index" else change.path[1:]  # an index is named in its schema
    name = ".".join(quote_ident(p) for p in parts) or quote_ident(change.path[0])
    detail = ""
    if change.action is Action.CHANGED:
        detail = f"{change.field}: {change.old} → {change.new}"
    elif change.action is Action.RENAMED:
        detail = f"{change.old} → {change.new}"
    else:
        detail = _describe(change, other if change.action is Action.ADDED else base)
    return Difference(_WHAT[change.action], change.object, name, detail)


def _describe(change: Change, catalog: Catalog) -> str:
    """What the added or removed object is: a column's type, an index's or constraint's definition."""
    if change.relation is None or len(change.path) < 3:
        return ""
    rel = catalog.relation(change.relation)
    if rel is None:
        return ""
    child = change.path[2]
    if change.object == "column":
        col = next((c for c in rel.columns if c.name == child), None)
        if col is None:
            return ""
        return col.type + ("" if col.nullable else " not null") + (f" default {col.default}" if col.default else "")
    if change.object == "index":
        idx = next((i for i in rel.indexes if i.name == child), None)
        if idx is not None:
            how = ("unique " if idx.unique else "") + ("" if idx.method == "btree" else f"{idx.method} ")
            where = f" where {idx.predicate}" if idx.predicate else ""
            return f"{how}on {quote_ident(rel.name)}({', '.join(idx.columns)}){where}"
    con = next((c for c in rel.constraints if c.name == child), None)
    return con.definition if con is not None else ""
