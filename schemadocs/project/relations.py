"""Virtual relations: the foreign keys a project file declares that the database does not.

In: the `relations:` section of `schemadocs.yml` (a list of {from, columns, to, to_columns,
note, optional}) and a `Catalog`. Out: `with_virtual(catalog, relations)`, the catalog seen with
those keys added as `VirtualForeignKey`s, which every graph, diagram, page and health rule then
treats as foreign keys (marked virtual). The catalog that is saved, diffed and checked never
holds them: only the view returned here does, and `snapshot` refuses to save one that does.

Every mistake is a `ConfigError` naming the file and line: a relation or column the catalog does
not hold (unless the entry says `optional: true`, which then drops it quietly), column lists of
different lengths or of types that do not join (naming both sides), a key the database already declares.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from typing import ClassVar

import yaml

from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, ConstraintKind, ForeignKey, QualifiedName, Relation, quote_ident
from schemadocs.project.file import ProjectFile, fail, mapping, strings, text

SECTION = "relations"
KEYS = ("from", "columns", "to", "to_columns", "note", "optional")
_NAME = re.compile(r'\s*("(?:[^"]|"")+"|[^."]+)\s*\.\s*("(?:[^"]|"")+"|[^"]+?)\s*')
_TYPMOD = re.compile(r"\(\d+(,\s*\d+)?\)")


@dataclass(frozen=True, kw_only=True, slots=True)
class VirtualForeignKey(ForeignKey):
    """A foreign key the project file declares; its `comment` is the file's note."""

    virtual: ClassVar[bool] = True


@dataclass(frozen=True)
class VirtualRelation:
    """One entry of `relations:` as written (not yet checked against a catalog)."""

    source: QualifiedName
    columns: tuple[str, ...]
    target: QualifiedName
    to_columns: tuple[str, ...]  # empty: the target's primary key
    note: str | None
    optional: bool
    where: str  # "FILE line N", for messages


def with_virtual(catalog: Catalog, relations: tuple[VirtualRelation, ...]) -> Catalog:
    """The catalog with each relation's virtual foreign keys added after its own constraints."""
    added: dict[QualifiedName, list[VirtualForeignKey]] = {}
    for entry in relations:
        fk = resolve(catalog, entry, added)
        if fk is not None:
            added.setdefault(entry.source, []).append(fk)
    if not added:
        return catalog
    relations_out = tuple(dataclasses.replace(r, constraints=(*r.constraints, *added[r.qname])) if r.qname in added else r
                          for r in catalog.relations)
    return dataclasses.replace(catalog, relations=relations_out)


def load(project: ProjectFile) -> tuple[VirtualRelation, ...]:
    """The `relations:` section of the project file, checked for its shape (not the catalog yet)."""
    node = project.sections.get(SECTION)
    if node is None:
        return ()
    source = project.source
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise fail(source, node, "relations: must be a list of {from, columns, to, to_columns, note, optional}")
    return tuple(_entry(item, source) for item in node.value)


def _entry(node: yaml.Node, source: str) -> VirtualRelation:
    what = "a relations: entry"
    entries = mapping(node, source, what)
    for key, (key_node, _) in entries.items():
        if key not in KEYS:
            raise fail(source, key_node, f"unknown key {key!r} in {what} (known: {', '.join(KEYS)})")
    for key in ("from", "columns", "to"):
        if key not in entries:
            raise fail(source, node, f"{what} needs {key!r} (from: schema.table, columns: [...], to: schema.table)")

    def names(key: str) -> tuple[str, ...]:
        if key not in entries:
            return ()
        found = tuple(name for name, _ in strings(entries[key][1], source, f"{key}: of {what}"))
        if not found or len(set(found)) != len(found):
            raise fail(source, entries[key][1], f"{key}: must list one or more distinct column names")
        return found

    optional_node = entries.get("optional", (None, None))[1]
    optional = False
    if optional_node is not None:
        value = yaml.constructor.SafeConstructor().construct_object(optional_node) \
            if isinstance(optional_node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            raise fail(source, optional_node, "optional: must be true or false")
        optional = value
    note = text(entries["note"][1], source, "note:") if "note" in entries else None
    return VirtualRelation(
        source=_qname(entries["from"][1], source, "from:"), columns=names("columns"),
        target=_qname(entries["to"][1], source, "to:"), to_columns=names("to_columns"),
        note=note.strip() or None if note is not None else None, optional=optional,
        where=f"{source} line {node.start_mark.line + 1}")


def _qname(node: yaml.Node, source: str, what: str) -> QualifiedName:
    """'schema.table' (either part may be double-quoted: "My Schema"."Orders")."""
    value = text(node, source, what)
    match = _NAME.fullmatch(value)
    if match is None:
        raise fail(source, node, f"{what} {value!r} must name a relation as schema.table")
    schema, name = (p[1:-1].replace('""', '"') if p.startswith('"') else p for p in match.groups())
    return QualifiedName(schema, name)


def resolve(catalog: Catalog, entry: VirtualRelation,
            added: dict[QualifiedName, list[VirtualForeignKey]] | None = None) -> VirtualForeignKey | None:
    """The entry as a foreign key of `catalog`, or None when it is optional and names what the
    catalog does not hold. `added`: the keys resolved before it (a repeated entry is an error)."""
    try:
        source = _relation(catalog, entry.source, entry, "from")
        target = _relation(catalog, entry.target, entry, "to")
        _columns(source, entry.columns, entry, "columns")
        if entry.to_columns:
            _columns(target, entry.to_columns, entry, "to_columns")
    except _Missing as missing:
        if entry.optional:
            return None
        raise ConfigError(str(missing)) from None
    to_columns = entry.to_columns or _primary_key(target, entry)
    if len(to_columns) != len(entry.columns):
        raise ConfigError(f"{entry.where}: {entry.source} ({', '.join(entry.columns)}) has {len(entry.columns)} "
                          f"column(s) but {entry.target} ({', '.join(to_columns)}) has {len(to_columns)}; "
                          "give as many columns on both sides")
    types = {c.name: c.type for c in source.columns}
    ref_types = {c.name: c.type for c in target.columns}
    for col, ref in zip(entry.columns, to_columns):
        if not same_type(types[col], ref_types[ref]):
            raise ConfigError(f"{entry.where}: {entry.source}.{col} is {types[col]} but {entry.target}.{ref} is "
                              f"{ref_types[ref]}; a virtual foreign key joins columns of the same type (or two integers, two strings)")
    same = [fk for fk in source.foreign_keys + tuple((added or {}).get(source.qname, ()))
            if fk.columns == entry.columns and fk.target == entry.target and fk.ref_columns == to_columns]
    if same:
        what = "an earlier entry" if same[0].virtual else f"the database's foreign key {same[0].name}"
        raise ConfigError(f"{entry.where}: this relation is already declared by {what}; remove it from relations:")
    return VirtualForeignKey(
        name=_name(source, entry.columns, (added or {}).get(source.qname, ())), kind=ConstraintKind.FOREIGN_KEY,
        columns=entry.columns, ref_schema=entry.target.schema, ref_name=entry.target.name, ref_columns=to_columns,
        definition=f"FOREIGN KEY ({', '.join(map(quote_ident, entry.columns))}) REFERENCES {entry.target}"
                   f"({', '.join(map(quote_ident, to_columns))}) -- virtual (project file)",
        comment=entry.note)


class _Missing(Exception):
    """A relation or column the catalog does not hold (quietly dropped when the entry is optional)."""


def _relation(catalog: Catalog, qname: QualifiedName, entry: VirtualRelation, key: str) -> Relation:
    rel = catalog.relation(qname)
    if rel is None:
        close = difflib.get_close_matches(str(qname), [str(r.qname) for r in catalog.relations], n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        selected = " selected by --include/--exclude" if catalog.selected else ""
        raise _Missing(f"{entry.where}: {key}: {qname} is not a relation{selected} of {catalog.database!r}{hint}; "
                       "fix the name, or add optional: true if it may be absent")
    return rel


def _columns(rel: Relation, columns: tuple[str, ...], entry: VirtualRelation, key: str) -> None:
    known = [c.name for c in rel.columns]
    for col in columns:
        if col not in known:
            close = difflib.get_close_matches(col, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise _Missing(f"{entry.where}: {key}: {rel.qname} has no column {col!r}{hint}; "
                           "fix the name, or add optional: true if it may be absent")


def _primary_key(target: Relation, entry: VirtualRelation) -> tuple[str, ...]:
    pk = target.primary_key
    if pk is None:
        raise ConfigError(f"{entry.where}: {target.qname} has no primary key; name the referenced columns "
                          "with to_columns: [...]")
    return pk.columns


def same_type(a: str, b: str) -> bool:
    """Whether two column types, as spelled, can be a foreign key's: the same type (a typmod aside:
    varchar(20), varchar(40)), or two integers or two strings, as PostgreSQL accepts them too (the
    health rule fk-type-mismatch then reports the difference)."""
    a, b = _TYPMOD.sub("", a), _TYPMOD.sub("", b)
    return a == b or _FAMILIES.get(a, a) == _FAMILIES.get(b, b)


_FAMILIES = {"smallint": "integer", "integer": "integer", "bigint": "integer",
             "text": "text", "character varying": "text"}


def _name(rel: Relation, columns: tuple[str, ...], earlier: list[VirtualForeignKey] | tuple = ()) -> str:
    """`<table>_<columns>_vfkey`, numbered when the table already has a constraint of that name."""
    base = f"{rel.name}_{'_'.join(columns)}_vfkey"
    taken = {c.name for c in rel.constraints} | {fk.name for fk in earlier}
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name
