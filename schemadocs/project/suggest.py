"""Candidate virtual relations: columns whose name, type and target say "foreign key", undeclared.

In: a `Catalog` and naming patterns. Out: `Candidate`s, each a column of a table that looks like a
reference to a single-column unique key of another table (or its own), with its evidence: the
pattern its name follows, the type both sides share, the key that makes the target unique.
Nothing is applied: `schemadocs suggest-relations` prints them as YAML to review and paste into
the project file's `relations:` (`suggest_yaml.py`), and `orphans.py` can check them on the data.

A pattern is a column name with placeholders, matched case-insensitively: `{table}` stands for a
table's name (singular or plural: customer_id matches `customers` and `customer`) and `{column}`
for its key column's name. `{column}` alone matches only a key whose name contains its table's
name (pagila's customer_id), as `id` alone would match everything. A name with a prefix before
the pattern (`billing_address_id`, or `shiptoaddressid` in a schema without underscores) matches
too, ranked below an exact one. When several targets
rank equal (a table of that name in two schemas), the one in the column's schema wins; a tie
that remains gives every tied target (up to MAX_TIED, else none), marked ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, ConstraintKind, QualifiedName, Relation, RelationKind
from schemadocs.project.relations import same_type

DEFAULT_PATTERNS = ("{table}_{column}", "{table}{column}", "{table}", "{column}")
MAX_TIED = 3  # more targets tied for one column: no candidate
_TABLES = (RelationKind.TABLE, RelationKind.PARTITIONED_TABLE)


@dataclass(frozen=True, order=True)
class Candidate:
    source: QualifiedName
    columns: tuple[str, ...]
    target: QualifiedName
    to_columns: tuple[str, ...]
    evidence: tuple[str, ...]  # why, one short sentence each
    rank: tuple[int, int, int, int] = (0, 0, 0, 0)  # lower is stronger: (prefixed, weak key name, other schema, pattern)


@dataclass(frozen=True)
class _Key:
    """A target: a table's single-column unique key."""

    table: Relation
    column: str
    type: str
    why: str  # "primary key" | "unique constraint ..." | "unique index ..."


def suggest(catalog: Catalog, patterns: Sequence[str] = DEFAULT_PATTERNS,
            known: Iterable[tuple[QualifiedName, tuple[str, ...]]] = ()) -> tuple[Candidate, ...]:
    """Candidates for every table column that no foreign key (declared, or in `known`: the project
    file's relations, as (table, columns)) covers, sorted by table and column."""
    check_patterns(patterns)
    expected = _expected_names(_keys(catalog), patterns)
    covered = {(r.qname, c) for r in catalog.relations for fk in r.foreign_keys for c in fk.columns}
    covered |= {(q, c) for q, cols in known for c in cols}
    found: list[Candidate] = []
    for rel in catalog.relations:
        if rel.kind not in _TABLES or rel.partition_of is not None:
            continue
        for col in rel.columns:
            if (rel.qname, col.name) not in covered:
                found += _best(rel, col.name, col.type, expected)
    return tuple(sorted(found))


def check_patterns(patterns: Sequence[str]) -> None:
    """Every pattern names `{table}` or `{column}` and no other placeholder."""
    for p in patterns:
        names = set(re.findall(r"\{([^}]*)\}", p))
        if not names or not names <= {"table", "column"} or p.count("{table}") > 1 or p.count("{column}") > 1:
            raise ConfigError(f"--pattern {p!r} must hold {{table}} and/or {{column}} once each and no other "
                              "placeholder, e.g. '{table}_{column}' or 'fk_{table}'")


def _keys(catalog: Catalog) -> list[_Key]:
    """Every single-column primary key, unique constraint and valid non-partial unique index of a table."""
    keys = []
    for rel in catalog.relations:
        if rel.kind not in _TABLES or rel.partition_of is not None:
            continue
        types = {c.name: c.type for c in rel.columns}
        seen: set[str] = set()
        for c in sorted(rel.constraints, key=lambda c: c.kind is not ConstraintKind.PRIMARY_KEY):
            if c.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE) and len(c.columns) == 1 \
                    and c.columns[0] in types and c.columns[0] not in seen:
                seen.add(c.columns[0])
                why = "primary key" if c.kind is ConstraintKind.PRIMARY_KEY else f"unique constraint {c.name}"
                keys.append(_Key(rel, c.columns[0], types[c.columns[0]], why))
        for i in rel.indexes:
            if i.unique and i.valid and i.predicate is None and len(i.columns) == 1 and i.columns[0] in types \
                    and i.columns[0] not in seen:
                seen.add(i.columns[0])
                keys.append(_Key(rel, i.columns[0], types[i.columns[0]], f"unique index {i.name}"))
    return keys


def _expected_names(keys: list[_Key], patterns: Sequence[str]) -> dict[str, list[tuple[_Key, int, int, str]]]:
    """Column name (casefolded) → the keys a column of that name would reference, with the
    index of the pattern that says so, 1 when only a weakly distinctive key name allowed it, and
    the pattern."""
    expected: dict[str, list[tuple[_Key, int, int, str]]] = {}
    for key in keys:
        forms = table_forms(key.table.name)
        distinctive = _distinctive(key)
        for n, pattern in enumerate(patterns):
            if "{table}" not in pattern and not distinctive:
                continue  # `{column}` alone: only a key whose name says which table it belongs to
            names = {pattern.replace("{table}", f).replace("{column}", key.column).casefold() for f in forms}
            for name in names:
                expected.setdefault(name, []).append((key, n, int("{table}" not in pattern and distinctive == 1), pattern))
    return expected


def _distinctive(key: _Key) -> int:
    """How surely a key is named after its table: 2 when the table's name is in it (staff.staff_id),
    1 when its name without `id` starts the table's (salesorderheader.salesorderid), else 0."""
    name = key.column.casefold()
    stem = name.removesuffix("id").removesuffix("_")
    if any(f in name for f in table_forms(key.table.name)):
        return 2
    return int(len(stem) >= 4 and key.table.name.casefold().startswith(stem))


def table_forms(name: str) -> set[str]:
    """A table name, casefolded, in its singular and plural forms (customers: customer, customers)."""
    name = name.casefold()
    forms = {name}
    if name.endswith("ies") and len(name) > 3:
        forms.add(name[:-3] + "y")
    elif name.endswith(("ses", "xes", "ches", "shes")):
        forms.add(name[:-2])
    elif name.endswith("s") and not name.endswith("ss"):
        forms.add(name[:-1])
    else:
        forms.add(name[:-1] + "ies" if name.endswith("y") and name[-2:-1] not in "aeiou" else
                  name + "es" if name.endswith(("s", "x", "ch", "sh")) else name + "s")
    return forms


def _best(rel: Relation, column: str, spelled: str, expected: dict[str, list[tuple[_Key, int, int, str]]]) -> list[Candidate]:
    """The strongest candidates for one column (several only when they tie)."""
    folded = column.casefold()
    parts = folded.split("_")
    found: list[Candidate] = []
    suffixes = ["_".join(parts[i:]) for i in range(1, len(parts))] or [folded[i:] for i in range(1, len(folded) - 3)]
    for prefixed, name in [(0, folded)] + [(1, s) for s in suffixes]:  # no underscore: any suffix (shiptoaddressid)
        for key, n, weak, pattern in expected.get(name, ()):
            if key.table.qname == rel.qname and key.column == column:
                continue  # the key itself
            if not same_type(key.type, spelled):
                continue
            target = key.table.qname
            how = (f"{column} follows {pattern!r} for {target}.{key.column}" if not prefixed else
                   f"{column} ends with {name!r}, {pattern!r} for {target}.{key.column}")
            found.append(Candidate(
                source=rel.qname, columns=(column,), target=target, to_columns=(key.column,),
                evidence=(how, f"both are {spelled}" if spelled == key.type else f"{spelled} and {key.type}",
                          f"{target}.{key.column} is unique ({key.why})"),
                rank=(prefixed, weak, int(target.schema != rel.schema), n)))
    if not found:
        return []
    best = min(c.rank for c in found)
    tied = sorted({(c.target, c.to_columns): c for c in found if c.rank == best}.values())
    if len(tied) == 1:
        return tied
    if len(tied) > MAX_TIED:
        return []  # a name that many tables' keys share says nothing
    others = lambda c: ", ".join(f"{t.target}.{t.to_columns[0]}" for t in tied if t is not c)  # noqa: E731
    return [Candidate(c.source, c.columns, c.target, c.to_columns, (*c.evidence, f"ambiguous: also {others(c)}"), c.rank)
            for c in tied]

