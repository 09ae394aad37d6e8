"""Compare two catalogs: what was added, removed, renamed or changed, and what it breaks.

In: the old and the new `Catalog` (from snapshots or live databases). Out: a `Diff`, the
sorted, deterministic list of `Change`s, each classified by `classify` and, where views
break downstream, with its impact: for a column, the views PostgreSQL records as reading
it and everything reading those (`lineage.impact`); for a relation, everything that reads
it, transitively (`Catalog.read_by`), both taken from the old catalog.

Compared: schemas, relations (kind, comment, owner, row-level security, view query,
partitioning, inheritance parents, foreign table options), columns (type, nullability,
default, identity, generated, collation, comment), constraints, indexes, triggers, policies, grants on every
object that has them, routines, enums, domains, composite types, sequences and extensions.
Not compared: statistics and sizes, and what is derived from a view's query (the relations
and columns it reads, its column lineage), which changes only with the query itself.

Objects are paired by OID where both catalogs come from the same database (see `match`),
columns of the same relation by attnum, so renames are renames; otherwise by name.
Not repeated: the contents of an added or removed relation, partitions added or removed
with their parent, the columns of a partition (they always follow its parent), constraints
a partition inherits, the indexes behind a primary key, unique or exclusion constraint,
and the sequences behind identity columns or owned by an added or removed table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from schemadocs.lineage.impact import impact, readers
from schemadocs.diff import classify as rules
from schemadocs.diff.change import Action, Change, Diff
from schemadocs.diff.classify import Verdict
from schemadocs.diff.match import match, oids_comparable
from schemadocs.model import (
    Catalog,
    ColumnRef,
    ConstraintKind,
    Grant,
    QualifiedName,
    Relation,
    Routine,
    quote_ident,
)

RELATION_FIELDS = ("kind", "comment", "owner", "rls_enabled", "rls_forced", "view_definition", "populated",
                   "partition_key", "partition_of", "partition_bound", "foreign_server", "foreign_options")
COLUMN_FIELDS = ("type", "nullable", "default", "identity", "generated", "collation", "comment")
CONSTRAINT_FIELDS = ("definition", "validated", "comment")
INDEX_FIELDS = ("definition", "valid", "comment")
TRIGGER_FIELDS = ("definition", "enabled", "comment")
POLICY_FIELDS = ("command", "roles", "permissive", "using", "with_check", "comment")
ROUTINE_FIELDS = ("arguments", "kind", "returns", "language", "volatility", "security_definer", "definition",
                  "settings", "owner", "comment")
SEQUENCE_FIELDS = ("type", "start", "increment", "min_value", "max_value", "cache", "cycle", "owned_by",
                   "owned_by_column", "owner", "comment")
KEY_KINDS = (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE, ConstraintKind.EXCLUSION)


def diff(old: Catalog, new: Catalog) -> Diff:
    """Every change from `old` to `new`, classified, sorted."""
    differ = _Differ(old, new, same_database=oids_comparable(_oids(old), _oids(new)))
    differ.run()
    return Diff(changes=tuple(differ.changes), old=old.database, new=new.database)


def _oids(catalog: Catalog) -> list[tuple[object, int | None]]:
    return [
        *((("schema", s.name), s.oid) for s in catalog.schemas),
        *((("relation", r.qname), r.oid) for r in catalog.relations),
        *((("routine", f.schema, f.name, f.arguments), f.oid) for f in catalog.routines),
        *((("enum", e.qname), e.oid) for e in catalog.enums),
    ]


@dataclass
class _Differ:
    old: Catalog
    new: Catalog
    same_database: bool
    changes: list[Change] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # old → new quoted names of renamed relations
    added_relations: set[QualifiedName] = field(default_factory=set)
    removed_relations: set[QualifiedName] = field(default_factory=set)
    _renames: re.Pattern[str] | None = None  # compiled from `renamed` on first use

    def run(self) -> None:
        self.schemas()
        self.relations()
        self.routines()
        self.enums()
        self.domains()
        self.composite_types()
        self.sequences()
        self.extensions()

    def emit(self, obj: str, name: str, path: tuple[str, ...], action: Action, verdict: Verdict, *,
             field_name: str | None = None, old: object = None, new: object = None,
             impact: Iterable[QualifiedName] = (), relation: QualifiedName | None = None) -> None:
        severity, reason = verdict
        self.changes.append(Change(
            object=obj, name=name, path=path, action=action, field=field_name, old=_text(old), new=_text(new),
            severity=severity, reason=reason, impact=tuple(sorted(set(impact))), relation=relation,
        ))

    def identity(self, get: Callable[[Any], int | None]) -> Callable[[Any], int | None] | None:
        return get if self.same_database else None

    # ------------------------------------------------------------------ schemas
    def schemas(self) -> None:
        found = match(self.old.schemas, self.new.schemas, lambda s: s.name, self.identity(lambda s: s.oid))
        for s in found.added:
            self.emit("schema", quote_ident(s.name), (s.name,), Action.ADDED, rules.object_added("schema"))
        for s in found.removed:
            self.emit("schema", quote_ident(s.name), (s.name,), Action.REMOVED, rules.object_removed("schema"))
        for a, b in found.pairs:
            name, path = quote_ident(b.name), (b.name,)
            if a.name != b.name:
                self.emit("schema", name, path, Action.RENAMED, rules.object_renamed("schema"),
                          field_name="name", old=quote_ident(a.name), new=name)
            self.fields("schema", name, path, a, b, ("owner", "comment"), lambda f, x, y: (rules.SAFE, f"{f} changed"))
            self.grants(name, path, a.grants, b.grants)

    # ---------------------------------------------------------------- relations
    def relations(self) -> None:
        found = match(self.old.relations, self.new.relations, lambda r: r.qname, self.identity(lambda r: r.oid))
        self.added_relations = {r.qname for r in found.added}
        self.removed_relations = {r.qname for r in found.removed}
        self.renamed = {str(a.qname): str(b.qname) for a, b in found.pairs if a.qname != b.qname}
        for r in found.added:
            if r.partition_of not in self.added_relations:
                self.emit(r.kind.label, str(r.qname), (r.schema, r.name), Action.ADDED,
                          rules.object_added(r.kind.label), relation=r.qname)
        for r in found.removed:
            if r.partition_of not in self.removed_relations:
                self.emit(r.kind.label, str(r.qname), (r.schema, r.name), Action.REMOVED,
                          rules.object_removed(r.kind.label), impact=readers(self.old, [r.qname]) - {r.qname}, relation=r.qname)
        for a, b in found.pairs:
            self.relation(a, b)

    def relation(self, a: Relation, b: Relation) -> None:
        name, path, kind = str(b.qname), (b.schema, b.name), b.kind.label
        if a.qname != b.qname:
            self.emit(kind, name, path, Action.RENAMED, rules.object_renamed(kind), field_name="name",
                      old=str(a.qname), new=name, relation=b.qname)
        for f in RELATION_FIELDS:
            x, y = getattr(a, f), getattr(b, f)
            if f == "view_definition" and x is not None:
                x = self.follow_renames(x)
            if f == "partition_of" and x is not None:
                x = self.follow_renames(str(x))
                y = None if y is None else str(y)
            if x != y:
                self.emit(kind, name, path, Action.CHANGED, rules.relation_field(f, x, y), field_name=f,
                          old=x, new=y, relation=b.qname)
        self.inheritance(a, b)
        self.columns(a, b)
        self.constraints(a, b)
        self.indexes(a, b)
        self.children("trigger", a, b, a.triggers, b.triggers, TRIGGER_FIELDS, rules.trigger_change)
        self.children("policy", a, b, a.policies, b.policies, POLICY_FIELDS, rules.policy_change)
        self.grants(name, path, a.grants, b.grants, relation=b.qname)

    def inheritance(self, a: Relation, b: Relation) -> None:
        """INHERITS parents removed (NO INHERIT) or added (INHERIT), one change per parent."""
        name, path, kind = str(b.qname), (b.schema, b.name), b.kind.label
        old = {self.follow_renames(str(p)) for p in a.inherits}
        new = {str(p) for p in b.inherits}
        for parent in sorted(old - new):
            self.emit(kind, name, path, Action.CHANGED, rules.inheritance_removed(), field_name="inherits",
                      old=parent, relation=b.qname)
        for parent in sorted(new - old):
            self.emit(kind, name, path, Action.CHANGED, rules.inheritance_added(), field_name="inherits",
                      new=parent, relation=b.qname)

    def columns(self, a: Relation, b: Relation) -> None:
        in_view = b.kind.is_view
        partition = a.partition_of is not None and b.partition_of is not None  # columns follow the parent
        same_object = self.same_database and a.oid is not None and a.oid == b.oid
        # In one relation attnum is the column's identity: a column dropped and re-added under
        # the same name is another column (its data is gone), a renamed one is the same.
        found = match(a.columns, b.columns, lambda c: c.name, (lambda c: c.position) if same_object else None,
                      by_name=not same_object)

        def ref(rel: Relation, column: str) -> ColumnRef:
            return ColumnRef(rel.schema, rel.name, column)

        def breaks(column: str) -> tuple[QualifiedName, ...]:
            return impact(self.old, ref(a, column)).all

        for c in (found.added if not partition else ()):
            self.emit("column", str(ref(b, c.name)), (b.schema, b.name, c.name), Action.ADDED,
                      rules.column_added(c, in_view), relation=b.qname)
        for c in (found.removed if not partition else ()):
            self.emit("column", str(ref(b, c.name)), (b.schema, b.name, c.name), Action.REMOVED,
                      rules.column_removed(in_view), impact=breaks(c.name), relation=b.qname)
        for x, y in found.pairs:
            name, path = str(ref(b, y.name)), (b.schema, b.name, y.name)
            if x.name != y.name and not partition:
                self.emit("column", name, path, Action.RENAMED, rules.column_renamed(), field_name="name",
                          old=x.name, new=y.name, relation=b.qname)
            for f in COLUMN_FIELDS:
                if getattr(x, f) == getattr(y, f) or (f == "type" and partition):
                    continue
                verdict = rules.column_field(f, x, y, in_view)
                hit = breaks(x.name) if f == "type" and verdict[0] is rules.BREAKING else ()
                self.emit("column", name, path, Action.CHANGED, verdict, field_name=f, old=getattr(x, f),
                          new=getattr(y, f), impact=hit, relation=b.qname)

    def constraints(self, a: Relation, b: Relation) -> None:
        found = match([c for c in a.constraints if not c.inherited], [c for c in b.constraints if not c.inherited],
                      lambda c: c.name)
        for c in found.added:
            self.emit("constraint", _child(b, c.name), (b.schema, b.name, c.name), Action.ADDED,
                      rules.constraint_added(c), relation=b.qname)
        for c in found.removed:
            self.emit("constraint", _child(b, c.name), (b.schema, b.name, c.name), Action.REMOVED,
                      rules.constraint_removed(c), relation=b.qname)
        for x, y in found.pairs:
            for f in CONSTRAINT_FIELDS:
                old = self.follow_renames(x.definition) if f == "definition" else getattr(x, f)
                if old != getattr(y, f):
                    self.emit("constraint", _child(b, y.name), (b.schema, b.name, y.name), Action.CHANGED,
                              rules.constraint_field(f, x, y), field_name=f, old=old, new=getattr(y, f),
                              relation=b.qname)

    def indexes(self, a: Relation, b: Relation) -> None:
        keys = {c.name for rel in (a, b) for c in rel.constraints if c.kind in KEY_KINDS}
        found = match([i for i in a.indexes if i.name not in keys], [i for i in b.indexes if i.name not in keys],
                      lambda i: i.name)
        for i in found.added:
            self.emit("index", _child(b, i.name), (b.schema, b.name, i.name), Action.ADDED, rules.index_added(i),
                      relation=b.qname)
        for i in found.removed:
            self.emit("index", _child(b, i.name), (b.schema, b.name, i.name), Action.REMOVED, rules.index_removed(i),
                      relation=b.qname)
        for x, y in found.pairs:
            for f in INDEX_FIELDS:
                old = self.follow_renames(x.definition) if f == "definition" else getattr(x, f)
                if old != getattr(y, f):
                    self.emit("index", _child(b, y.name), (b.schema, b.name, y.name), Action.CHANGED,
                              rules.index_field(f, x, y), field_name=f, old=old, new=getattr(y, f), relation=b.qname)

    def children(self, obj: str, a: Relation, b: Relation, old: Sequence[Any], new: Sequence[Any],
                 fields: tuple[str, ...], rule: Callable[..., Verdict]) -> None:
        """Triggers and policies: named per relation, safe whatever changed."""
        found = match(old, new, lambda x: x.name)
        for action, items in ((Action.ADDED, found.added), (Action.REMOVED, found.removed)):
            for x in items:
                self.emit(obj, _child(b, x.name), (b.schema, b.name, x.name), action, rule(action), relation=b.qname)
        for x, y in found.pairs:
            for f in fields:
                old_value = self.follow_renames(x.definition) if f == "definition" else getattr(x, f)
                if old_value != getattr(y, f):
                    self.emit(obj, _child(b, y.name), (b.schema, b.name, y.name), Action.CHANGED,
                              rule(Action.CHANGED, f), field_name=f, old=old_value, new=getattr(y, f), relation=b.qname)

    def grants(self, name: str, path: tuple[str, ...], old: Sequence[Grant], new: Sequence[Grant],
               relation: QualifiedName | None = None) -> None:
        for g in sorted(set(new) - set(old)):
            self.emit("grant", name, (*path, _grant_text(g)), Action.ADDED, rules.grant_added(), new=_grant_text(g),
                      relation=relation)
        for g in sorted(set(old) - set(new)):
            what = g.privilege + (f" column {g.column}" if g.column else "")
            self.emit("grant", name, (*path, _grant_text(g)), Action.REMOVED, rules.grant_removed(g.grantee, what),
                      old=_grant_text(g), relation=relation)

    def fields(self, obj: str, name: str, path: tuple[str, ...], a: object, b: object, names: Iterable[str],
               rule: Callable[[str, Any, Any], Verdict], relation: QualifiedName | None = None) -> None:
        for f in names:
            x, y = getattr(a, f), getattr(b, f)
            if x != y:
                self.emit(obj, name, path, Action.CHANGED, rule(f, x, y), field_name=f, old=x, new=y, relation=relation)

    def follow_renames(self, text: str) -> str:
        """Old SQL text with renamed relations' names replaced by their new names, so that a
        rename is reported once, not again in every definition that mentions the relation."""
        if not self.renamed:
            return text
        if self._renames is None:
            names = "|".join(re.escape(old) for old in sorted(self.renamed, key=len, reverse=True))
            self._renames = re.compile(rf'(?<![\w."$])(?:{names})(?![\w"$])')
        return self._renames.sub(lambda m: self.renamed[m.group(0)], text)

    # ---------------------------------------------------------------- routines
    def routines(self) -> None:
        found = match(self.old.routines, self.new.routines, lambda f: (f.schema, f.name, f.arguments),
                      self.identity(lambda f: f.oid))
        pairs = list(found.pairs)
        # One overload removed and one added under the same name: its signature changed.
        removed, added = list(found.removed), list(found.added)
        for x in list(removed):
            same = [y for y in added if (y.schema, y.name) == (x.schema, x.name)]
            if len(same) == 1 and sum((r.schema, r.name) == (x.schema, x.name) for r in removed) == 1:
                pairs.append((x, same[0]))
                removed.remove(x)
                added.remove(same[0])
        for f in added:
            self.emit(f.kind, f.signature, _routine_path(f), Action.ADDED, rules.object_added(f.kind))
        for f in removed:
            self.emit(f.kind, f.signature, _routine_path(f), Action.REMOVED, rules.object_removed(f.kind))
        for x, y in pairs:
            name, path = y.signature, _routine_path(y)
            if (x.schema, x.name) != (y.schema, y.name):
                self.emit(y.kind, name, path, Action.RENAMED, rules.object_renamed(y.kind), field_name="name",
                          old=x.signature, new=name)
            self.fields(y.kind, name, path, x, y, ROUTINE_FIELDS, lambda f, _x, _y: rules.routine_field(f))
            self.grants(name, path, x.grants, y.grants)

    # ------------------------------------------------------------------- types
    def enums(self) -> None:
        found = match(self.old.enums, self.new.enums, lambda e: e.qname, self.identity(lambda e: e.oid))
        for e in found.added:
            self.emit("enum", str(e.qname), (e.schema, e.name), Action.ADDED, rules.object_added("enum"))
        for e in found.removed:
            self.emit("enum", str(e.qname), (e.schema, e.name), Action.REMOVED, rules.object_removed("enum"))
        for x, y in found.pairs:
            name, path = str(y.qname), (y.schema, y.name)
            if x.qname != y.qname:
                self.emit("enum", name, path, Action.RENAMED, rules.object_renamed("enum"), field_name="name",
                          old=str(x.qname), new=name)
            gone = [label for label in x.labels if label not in y.labels]
            new_labels = [label for label in y.labels if label not in x.labels]
            for label in gone:
                self.emit("enum", name, path, Action.CHANGED, rules.enum_label_removed(), field_name="label", old=label)
            for label in new_labels:
                self.emit("enum", name, path, Action.CHANGED, rules.enum_label_added(), field_name="label", new=label)
            kept_old = [label for label in x.labels if label in y.labels]
            if kept_old != [label for label in y.labels if label in x.labels]:
                self.emit("enum", name, path, Action.CHANGED, rules.enum_order_changed(), field_name="labels",
                          old=x.labels, new=y.labels)
            self.fields("enum", name, path, x, y, ("comment",), lambda f, _x, _y: (rules.SAFE, f"{f} changed"))

    def domains(self) -> None:
        found = match(self.old.domains, self.new.domains, lambda d: d.qname)
        self.added_removed("domain", found.added, found.removed)
        for x, y in found.pairs:
            name, path = str(y.qname), (y.schema, y.name)
            if x.base_type != y.base_type:
                self.emit("domain", name, path, Action.CHANGED, rules.type_field("base type", x.base_type, y.base_type),
                          field_name="base_type", old=x.base_type, new=y.base_type)
            self.fields("domain", name, path, x, y, ("nullable", "default", "owner", "comment"), rules.domain_field)
            old_checks, new_checks = dict(x.constraints), dict(y.constraints)
            for check in sorted(old_checks.keys() | new_checks.keys()):
                before, after = old_checks.get(check), new_checks.get(check)
                if before == after:
                    continue
                verdict = (rules.domain_check_added() if before is None else
                           (rules.SAFE, "domain check dropped") if after is None else rules.domain_check_changed())
                self.emit("domain", name, path, Action.CHANGED, verdict, field_name=f"check {check}",
                          old=before, new=after)

    def composite_types(self) -> None:
        found = match(self.old.composite_types, self.new.composite_types, lambda t: t.qname)
        self.added_removed("composite type", found.added, found.removed)
        for x, y in found.pairs:
            name, path = str(y.qname), (y.schema, y.name)
            before, after = dict(x.attributes), dict(y.attributes)
            for attr in sorted(before.keys() | after.keys()):
                old, new = before.get(attr), after.get(attr)
                if old == new:
                    continue
                verdict = ((rules.SAFE, "new attribute") if old is None else
                           (rules.BREAKING, "attribute dropped: code that reads it fails") if new is None else
                           rules.type_field("attribute type", old, new))
                self.emit("composite type", name, path, Action.CHANGED, verdict, field_name=f"attribute {attr}",
                          old=old, new=new)
            self.fields("composite type", name, path, x, y, ("owner", "comment"),
                        lambda f, _x, _y: (rules.SAFE, f"{f} changed"))

    def sequences(self) -> None:
        def listed(catalog: Catalog, tables: set[QualifiedName]) -> list[Any]:
            return [s for s in catalog.sequences if not s.identity and s.owned_by not in tables]

        # identity sequences are part of their column; owned ones come and go with their table
        found = match(listed(self.old, self.removed_relations), listed(self.new, self.added_relations),
                      lambda s: s.qname)
        self.added_removed("sequence", found.added, found.removed)
        for x, y in found.pairs:
            name, path = str(y.qname), (y.schema, y.name)
            for f in SEQUENCE_FIELDS:
                old, new = getattr(x, f), getattr(y, f)
                if f == "owned_by":
                    old = None if old is None else self.follow_renames(str(old))
                    new = None if new is None else str(new)
                if old == new:
                    continue
                verdict = rules.type_field("type", old, new) if f == "type" else (rules.SAFE, f"{f.replace('_', ' ')} changed")
                self.emit("sequence", name, path, Action.CHANGED, verdict, field_name=f, old=old, new=new)
            self.grants(name, path, x.grants, y.grants)

    def extensions(self) -> None:
        found = match(self.old.extensions, self.new.extensions, lambda e: e.name)
        for e in found.added:
            self.emit("extension", quote_ident(e.name), ("", e.name), Action.ADDED, rules.object_added("extension"))
        for e in found.removed:
            self.emit("extension", quote_ident(e.name), ("", e.name), Action.REMOVED, rules.object_removed("extension"))
        for x, y in found.pairs:
            self.fields("extension", quote_ident(y.name), ("", y.name), x, y, ("version", "schema", "comment"),
                        lambda f, _x, _y: rules.extension_field(f))

    def added_removed(self, obj: str, added: Iterable[Any], removed: Iterable[Any]) -> None:
        for x in added:
            self.emit(obj, str(x.qname), (x.schema, x.name), Action.ADDED, rules.object_added(obj))
        for x in removed:
            self.emit(obj, str(x.qname), (x.schema, x.name), Action.REMOVED, rules.object_removed(obj))


def _child(rel: Relation, name: str) -> str:
    return f"{rel.qname}.{quote_ident(name)}"


def _routine_path(f: Routine) -> tuple[str, ...]:
    return (f.schema, f"{f.name}({f.arguments})")


def _grant_text(g: Grant) -> str:
    column = f" ({quote_ident(g.column)})" if g.column else ""
    option = " with grant option" if g.grantable else ""
    return f"{g.privilege}{column} to {g.grantee}{option}"


def _text(value: object) -> str | None:
    """A field's value as the text a Change carries."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (tuple, list)):
        return ", ".join(_text(v) or "" for v in value)
    return str(value)
