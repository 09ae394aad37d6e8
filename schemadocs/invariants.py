"""What every catalog holds, checked when a snapshot is loaded.

In: a `Catalog` read from a file, and how to name the file. Out: nothing, or a one-line
`SnapshotError` naming the first broken rule: a schema, relation, routine, type or
sequence that appears twice or lives in a schema the snapshot lacks; a column, constraint,
index, trigger or policy name repeated within its relation; a constraint, INCLUDE column
or foreign key naming a column its relation lacks; a foreign key with a different number
of columns on each side, or naming a column its target lacks.

A foreign key references a relation the snapshot holds, or one it records as outside the
documented set (an extension's table, `Catalog.outside`); in a catalog `--include`/`--exclude`
chose a part of (`Catalog.selected`), it may reference any relation: those options keep a
relation's foreign keys to relations they leave out, and pages show them unlinked.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemadocs.errors import SnapshotError
from schemadocs.json_input import shorten
from schemadocs.model import Catalog, ForeignKey, QualifiedName, Relation


def check_catalog(catalog: Catalog, source: str) -> None:
    """Raise `SnapshotError` for the first invariant `catalog` breaks."""
    problem = first_problem(catalog)
    if problem is not None:
        raise SnapshotError(f"{source} is inconsistent: {shorten(problem, 200)}; re-create it with `schemadocs snapshot`")


def first_problem(catalog: Catalog) -> str | None:
    """The first broken invariant, described, or None."""
    schemas = {s.name for s in catalog.schemas}
    found = _repeated("schema", (s.name for s in catalog.schemas))
    groups = (("relation", catalog.relations), ("enum", catalog.enums), ("domain", catalog.domains),
              ("composite type", catalog.composite_types), ("sequence", catalog.sequences))
    for kind, objects in groups:
        found = found or _repeated(kind, (f"{o.schema}.{o.name}" for o in objects))
        found = found or next((f"{kind} {o.schema}.{o.name} is in schema {o.schema}, which the snapshot lacks"
                               for o in objects if o.schema not in schemas), None)
    found = found or _repeated("routine", (r.signature for r in catalog.routines))
    found = found or next((f"routine {r.signature} is in schema {r.schema}, which the snapshot lacks"
                           for r in catalog.routines if r.schema not in schemas), None)
    by_name = {(r.schema, r.name): r for r in catalog.relations}
    outside = None if catalog.selected else set(catalog.outside)  # None: any missing target is allowed
    for relation in catalog.relations:
        found = found or _relation_problem(relation, by_name, outside)
    return found


def _relation_problem(relation: Relation, by_name: dict[tuple[str, str], Relation],
                      outside: set[QualifiedName] | None) -> str | None:
    where = f"{relation.schema}.{relation.name}"
    columns = {c.name for c in relation.columns}
    for kind, names in (("column", (c.name for c in relation.columns)),
                        ("constraint", (c.name for c in relation.constraints)),
                        ("index", (i.name for i in relation.indexes)),
                        ("trigger", (t.name for t in relation.triggers)),
                        ("policy", (p.name for p in relation.policies))):
        repeated = _repeated(kind, names)
        if repeated:
            return f"{repeated} in {where}"
    named = [(f"constraint {c.name}", c.columns) for c in relation.constraints]
    named += [(f"index {i.name}", i.include_columns) for i in relation.indexes]
    for what, used in named:
        missing = next((c for c in used if c not in columns), None)
        if missing is not None:
            return f"{what} of {where} names column {missing}, which {where} lacks"
    for fk in relation.constraints:
        if isinstance(fk, ForeignKey):
            if len(fk.columns) != len(fk.ref_columns):
                return f"foreign key {fk.name} of {where} has {len(fk.columns)} columns and {len(fk.ref_columns)} referenced"
            target = by_name.get((fk.ref_schema, fk.ref_name))
            if target is None and outside is not None and fk.target not in outside:
                return f"foreign key {fk.name} of {where} references {fk.target}, which the snapshot lacks"
            known = {c.name for c in target.columns} if target is not None else set(fk.ref_columns)
            missing = next((c for c in fk.ref_columns if c not in known), None)
            if missing is not None:
                return f"foreign key {fk.name} of {where} references column {missing}, which {fk.target} lacks"
    return None


def _repeated(kind: str, names: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return f"{kind} {name} appears twice"
        seen.add(name)
    return None
