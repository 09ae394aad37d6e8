"""A schema's structure with its own name normalised out: what makes two tenant schemas "the same".

In: a `Catalog`. Out: per schema, its objects (relations, routines, enums, domains, composite
types, sequences) and their fingerprint (`Structure`): the objects' fields as canonical JSON, where

- statistics, sizes, OIDs, comments, owners, privileges and column positions are left out (they
  differ from tenant to tenant without the structure differing: a tenant's own role owns its
  schema, a dropped column leaves a gap in attnum);
- the schema's own name is replaced by a placeholder wherever it appears: as a value (the
  objects' own schema, foreign-key targets, partition parents, trigger functions, view reads and
  column lineage), and in text, where PostgreSQL writes it as a qualified prefix (`s.seq` in
  `nextval('s.seq'::regclass)`, `ON s.t` in index definitions, `s.t` in view queries, qualified
  type names), quoted as quote_ident() quotes it and, inside string literals, with quotes doubled.

`renamed` uses the same rewriting to move one schema's objects under another schema's name,
so the diff engine can compare a near-member with its family's representative.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from collections.abc import Callable
from functools import cache, cached_property
from operator import attrgetter
from typing import Any

import orjson

from schemadocs import model
from schemadocs.model import Catalog, quote_ident

PLACEHOLDER = "\x00family"  # no schema can be named this: PostgreSQL names hold no NUL

IGNORED = frozenset({"stats", "size", "scans", "oid", "comment", "owner", "grants", "acl_empty", "position"})


@dataclass(frozen=True)
class Structure:
    """One schema's objects, in catalog order: (kind, name within the schema, object). Normalised
    lazily: the fingerprint from all of them written at once (one encoding and one rewriting per
    schema, however many objects it holds), `objects` one by one (only near-members need them)."""

    schema: str
    items: tuple[tuple[str, str, Any], ...]

    @cached_property
    def fingerprint(self) -> str:
        return self._digest[0]

    @cached_property
    def unambiguous(self) -> bool:
        """Whether the normalised text reads back as one text under any name: the objects hold no
        NUL, the placeholder's first character (`families/proof.py` relies on it)."""
        return self._digest[1]

    @cached_property
    def _digest(self) -> tuple[str, bool]:
        keys = "\x00".join(f"{kind}\x00{name}" for kind, name, _ in self.items).encode()
        text = orjson.dumps([_plain(x) for *_, x in self.items])
        body = _Rewriter(self.schema, PLACEHOLDER, values=True)(text)
        return hashlib.sha256(keys + b"\x01" + body).hexdigest(), b"\\u0000" not in text

    @cached_property
    def objects(self) -> tuple[tuple[tuple[str, str], bytes], ...]:
        """(kind, name) -> the object's structure as canonical JSON, normalised."""
        rewrite = _Rewriter(self.schema, PLACEHOLDER, values=True)
        return tuple(((kind, name), rewrite(orjson.dumps(_plain(x)))) for kind, name, x in self.items)

    @cached_property
    def digests(self) -> dict[tuple[str, str], bytes]:
        return {key: hashlib.sha256(body).digest() for key, body in self.objects}


def _plain(item: Any) -> Any:
    """A model object's structural fields (all but IGNORED) as a tuple or list in field order, for
    orjson: no field name repeated, and a nested object converted only where it has ignored
    fields of its own (orjson writes the others, such as QualifiedName, as they are)."""
    kind = type(item)
    getter, nested = _LAYOUTS[kind] if kind in _LAYOUTS else _layout(kind)
    values = getter(item)
    if not nested:
        return values
    values = list(values)
    for i in nested:
        value = values[i]
        if value:
            values[i] = _many(value) if type(value) is tuple else _plain(value)
    return values


def _many(items: tuple[Any, ...]) -> list[Any]:
    """`_plain` of each item; at C speed when all are of one class without nested fields (columns),
    else one getter call each when none has nested fields (constraints: foreign keys among them)."""
    kinds = set(map(type, items))
    if len(kinds) == 1:
        getter, nested = _layout(kinds.pop())
        if not nested:
            return list(map(getter, items))
    elif not any(_layout(k)[1] for k in kinds):
        return [_LAYOUTS[type(v)][0](v) for v in items]
    return [_plain(v) for v in items]


@cache
def _layout(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], tuple[int, ...]]:
    """The getter of a model class's structural fields, and which of them hold model objects
    that have ignored fields of their own."""
    fields = [f for f in dataclasses.fields(cls) if f.name not in IGNORED]
    names = [f.name for f in fields]
    nested = tuple(i for i, f in enumerate(fields) if set(re.findall(r"\w+", str(f.type))) & _WITH_IGNORED)
    getter = attrgetter(*names)
    _LAYOUTS[cls] = (getter if len(names) > 1 else lambda x: (getter(x),)), nested
    return _LAYOUTS[cls]


_LAYOUTS: dict[type, tuple[Callable[[Any], tuple[Any, ...]], tuple[int, ...]]] = {}  # `_layout`'s, read without a call


# the model classes with fields IGNORED names (and their subclasses: a ForeignKey is a Constraint)
_WITH_IGNORED = frozenset(name for name, value in vars(model).items()
                          if isinstance(value, type) and dataclasses.is_dataclass(value)
                          and {f.name for f in dataclasses.fields(value)} & IGNORED)


def structures(catalog: Catalog, schemas: Iterable[str] | None = None) -> dict[str, Structure]:
    """Each schema's structure (only `schemas`, when given), keyed by schema name."""
    wanted = {s.name for s in catalog.schemas} if schemas is None else set(schemas)
    found: dict[str, list[tuple[str, str, Any]]] = {name: [] for name in sorted(wanted)}
    for kind, key, item in _objects(catalog):
        if item.schema in found:
            found[item.schema].append((kind, key, item))
    return {name: Structure(name, tuple(items)) for name, items in found.items()}


def renamed(catalog: Catalog, source: str, target: str, structural: bool = False) -> Catalog:
    """Schema `source`'s objects alone, moved under the name `target`: a catalog to diff or lint
    against `target`'s own. `structural`: without the ignored fields (IGNORED), as compared."""
    from schemadocs.snapshot import from_plain

    rewrite = _Rewriter(source, target)
    part: dict[str, Any] = {"relations": [], "routines": [], "enums": [], "domains": [], "composite_types": [],
                            "sequences": []}
    fields = {"relation": "relations", "routine": "routines", "enum": "enums", "domain": "domains",
              "composite": "composite_types", "sequence": "sequences"}
    for kind, _, item in _objects(catalog):
        if item.schema == source:
            part[fields[kind]].append(orjson.loads(rewrite(orjson.dumps(item))))
    schema = next((s for s in catalog.schemas if s.name == source), None)
    schemas = [] if schema is None else [{**orjson.loads(orjson.dumps(schema)), "name": target}]
    data = {"format_version": catalog.format_version, "database": catalog.database,
            "server_version": catalog.server_version, "search_path": catalog.search_path, "schemas": schemas, **part,
            "extensions": [], "skipped_sizes": [], "selected": True}
    result: Catalog = from_plain(Catalog, data)
    return _structural(result) if structural else result


def _structural(catalog: Catalog) -> Catalog:
    """The catalog without what IGNORED names (comments, owners, privileges, statistics, OIDs)."""
    def bare(item: Any, **more: Any) -> Any:
        names = {f.name for f in dataclasses.fields(item)}
        return dataclasses.replace(item, **{k: v for k, v in _BARE.items() if k in names}, **more)

    return dataclasses.replace(
        catalog,
        schemas=tuple(bare(s) for s in catalog.schemas),
        relations=tuple(bare(r, columns=tuple(bare(c) for c in r.columns),
                             constraints=tuple(bare(c) for c in r.constraints),
                             indexes=tuple(bare(i) for i in r.indexes), triggers=tuple(bare(t) for t in r.triggers),
                             policies=tuple(bare(p) for p in r.policies)) for r in catalog.relations),
        routines=tuple(bare(x) for x in catalog.routines), enums=tuple(bare(x) for x in catalog.enums),
        domains=tuple(bare(x) for x in catalog.domains),
        composite_types=tuple(bare(x) for x in catalog.composite_types),
        sequences=tuple(bare(x) for x in catalog.sequences))


_BARE: dict[str, Any] = {"stats": None, "size": None, "scans": None, "oid": None, "comment": None, "owner": None,
                         "grants": (), "acl_empty": False}


def _objects(catalog: Catalog) -> Iterable[tuple[str, str, Any]]:
    """Every object that lives in a schema: (kind, key within its schema, object)."""
    for r in catalog.relations:
        yield "relation", r.name, r
    for f in catalog.routines:  # argument types may name the routine's own schema: not part of the key
        yield "routine", f"{f.name}({f.arguments.replace(quote_ident(f.schema) + '.', '')})", f
    for e in catalog.enums:
        yield "enum", e.name, e
    for d in catalog.domains:
        yield "domain", d.name, d
    for c in catalog.composite_types:
        yield "composite", c.name, c
    for s in catalog.sequences:
        yield "sequence", s.name, s


_NAME_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$") | frozenset(range(0x80, 0x100))


class _Rewriter:
    """Rewrites canonical JSON bytes so that schema `source` reads as schema `target`. Plain byte
    replacement (made by the hundred thousand, a regular expression per schema costs more than
    the rewriting): the `schema` and `ref_schema` fields whose value is exactly `source`, and
    `source` as a qualified prefix, quoted as quote_ident() quotes it (and with its quotes
    doubled, as inside a string literal), where no identifier character runs into it."""

    def __init__(self, source: str, target: str, values: bool = False) -> None:
        self._fields = [(f'"{key}":'.encode() + orjson.dumps(source), f'"{key}":'.encode() + orjson.dumps(target))
                        for key in ("schema", "ref_schema")]
        if values:  # `_plain`'s lists: no field names, the schema is any value that is exactly its name
            self._fields = [(orjson.dumps(source), orjson.dumps(target))]
        pairs = {orjson.dumps(quote_ident(source) + ".")[1:-1]: orjson.dumps(quote_ident(target) + ".")[1:-1],
                 orjson.dumps(quote_ident(source).replace("'", "''") + ".")[1:-1]:
                     orjson.dumps(quote_ident(target).replace("'", "''") + ".")[1:-1]}
        self._prefixes = sorted(pairs.items(), key=lambda p: len(p[0]), reverse=True)

    def __call__(self, body: bytes) -> bytes:
        for old, new in self._fields:
            body = body.replace(old, new)
        for old, new in self._prefixes:
            if old in body:
                body = _replace_prefix(body, old, new)
        return body


def _replace_prefix(body: bytes, old: bytes, new: bytes) -> bytes:
    """`old` replaced by `new` wherever the byte before it is not part of an identifier (`xs.t`
    does not hold the prefix `s.`)."""
    pieces = body.split(old)
    out = [pieces[0]]
    for before, piece in zip(pieces, pieces[1:]):
        out += [old if before and before[-1] in _NAME_BYTES else new, piece]
    return b"".join(out)
