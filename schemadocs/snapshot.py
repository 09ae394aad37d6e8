"""The versioned JSON snapshot: `Catalog` ⇄ bytes, deterministic and lossless.

In: a `Catalog` (save) or a snapshot file (load). Out: the other one.
The same catalog always gives byte-identical JSON, and load → save round-trips exactly.
The format is documented in `snapshot.schema.json` beside this file. Given the catalog's schema
families, the snapshot holds each family once (format 2, `families/compact.py`): its members
other than the representative as their name and what differs; `loads` expands them back.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
import zlib
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from schemadocs.atomic import write_atomic
from schemadocs.errors import SnapshotError
from schemadocs.gc_pause import gc_paused
from schemadocs.json_input import parse_json, shorten
from schemadocs.model import FORMAT_VERSION, Catalog, Constraint, ConstraintKind, ForeignKey, Relation, Routine
from schemadocs.model_fields import class_fields

if TYPE_CHECKING:
    from schemadocs.families.detect import Families

COMPACT_VERSION = 2  # format 1 with schema families held once (`family_members`); the model is the same
FAMILY_MEMBERS = "family_members"

def dumps(catalog: Catalog, families: Families | None = None) -> str:
    """Serialize a catalog to its canonical JSON text (see `dump_bytes`)."""
    return dump_bytes(catalog, families).decode("utf-8")


def dump_bytes(catalog: Catalog, families: Families | None = None) -> bytes:
    """The canonical JSON of a catalog, UTF-8 encoded.

    Layout: one top-level key per line, and one schema, relation, routine, ... per line
    inside the lists, so a snapshot committed to git diffs object by object. orjson encodes
    the dataclasses natively, in field order, with UTF-8 kept as is; the output is the same
    as `json.dumps(to_plain(...), ensure_ascii=False, separators=(",", ":"))` per object.
    All pieces are joined once, so the text is copied once. The garbage collector is paused
    meanwhile: encoding makes no cycles, and a collection would only walk the catalog.
    `families` (the catalog's, `families.detect`): each family's members but its representative
    are written as their name and what differs from it (format 2), where that expands back
    exactly; without it (or without families) the full form, format 1.
    """
    if any(c.virtual for r in catalog.relations for c in r.constraints):
        raise ValueError("a catalog seen with the project file's virtual foreign keys is never saved as a snapshot")
    with gc_paused():
        return _dump_bytes(catalog, families)


def _dump_bytes(catalog: Catalog, families: Families | None) -> bytes:
    omitted = OMITTED_AT_DEFAULT[Catalog]
    fields = [f for f in dataclasses.fields(catalog) if f.name not in omitted or getattr(catalog, f.name) != omitted[f.name]]
    entries: list[dict[str, Any]] = []
    folded: frozenset[str] = frozenset()
    if families and _sorted_by_schema(catalog):
        from schemadocs.families.compact import compact

        by_schema: dict[str, dict[str, list[Any]]] = {}
        for name in _FOLDED_LISTS:
            key = "schema" if name == "schemas" else name
            for item in getattr(catalog, name):
                schema = item.name if name == "schemas" else item.schema
                lists = by_schema.get(schema)
                if lists is None:
                    lists = by_schema[schema] = _empty_lists()
                lists[key].append(item)
        entries, folded = compact(by_schema, [(f.representative, f.members) for f in families.families], _encode,
                                  _encode_all, families.proven_in(catalog))
    pieces = [b"{\n"]
    for i, field in enumerate(fields):
        value = getattr(catalog, field.name)
        pieces += [b",\n" if i else b"", orjson.dumps(field.name), b": "]
        if field.name == "format_version" and entries:
            pieces.append(orjson.dumps(COMPACT_VERSION))
        elif isinstance(value, tuple) and value:
            if folded and field.name in _FOLDED_LISTS:
                value = tuple(x for x in value if (x.name if field.name == "schemas" else x.schema) not in folded)
            items = _encode_all(value)
            pieces += [b"[\n", b",\n".join(items), b"\n]"] if items else [b"[]"]
        else:
            pieces.append(orjson.dumps(value))
    if entries:
        pieces += [b",\n", orjson.dumps(FAMILY_MEMBERS), b": [\n", b",\n".join(map(orjson.dumps, entries)), b"\n]"]
    pieces.append(b"\n}\n")
    return b"".join(pieces)


_FOLDED_LISTS = ("schemas", "relations", "routines", "enums", "domains", "composite_types", "sequences")


def _empty_lists() -> dict[str, list[Any]]:
    return {"schema": [], **{name: [] for name in _FOLDED_LISTS[1:]}}


def _encode_all(value: Any) -> list[bytes]:
    """Each item of a catalog list as the snapshot writes it."""
    if not isinstance(value, tuple) or not value:
        return []
    suffix = _SUFFIXES.get(type(value[0]))
    plain = type(value[0]) in _VIA_PLAIN
    out = []
    for item in value:
        encoded = orjson.dumps(to_plain(item) if plain else item)
        if suffix is not None and encoded.endswith(suffix):
            encoded = encoded[:-len(suffix)] + b"}"
        out.append(encoded)
    return out


def _encode(item: Any) -> bytes:
    """One catalog item as the snapshot writes it."""
    return _encode_all((item,))[0]


def _sorted_by_schema(catalog: Catalog) -> bool:
    """Whether every list a family folds is sorted by schema (as introspection sorts it): the loader
    puts the members' objects back by that order."""
    names = [s.name for s in catalog.schemas]
    if names != sorted(names):
        return False
    for name in _FOLDED_LISTS[1:]:
        schemas = [x.schema for x in getattr(catalog, name)]
        if any(a > b for a, b in zip(schemas, schemas[1:])):
            return False
    return True


def loads(text: str | bytes, source: str = "snapshot") -> Catalog:
    """Parse snapshot JSON back into a catalog, checked against the format and the model's
    invariants (`schemadocs.invariants`): anything else is a one-line `SnapshotError`.
    The garbage collector is paused meanwhile, as in `dump_bytes`: loading makes about a
    million acyclic objects, which collections would only walk."""
    with gc_paused():
        return _loads(text, source)


def _loads(text: str | bytes, source: str) -> Catalog:
    from schemadocs.invariants import check_catalog

    data = parse_json(text, source, "pass a file written by `schemadocs snapshot`")
    if not isinstance(data, dict) or "format_version" not in data:
        raise SnapshotError(f"{source} has no format_version; pass a file written by `schemadocs snapshot`")
    version = data["format_version"]
    if type(version) is not int or version not in (FORMAT_VERSION, COMPACT_VERSION):
        raise SnapshotError(
            f"{source} has format_version {shorten(repr(version), 40)}, this schemadocs reads {FORMAT_VERSION} "
            f"and {COMPACT_VERSION}; re-create it with this version's `schemadocs snapshot`"
        )
    try:
        if version == COMPACT_VERSION:
            data = _expanded(data)
        catalog = from_plain(Catalog, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"{source} does not match the snapshot format ({shorten(str(exc))}); "
                            "re-create it with `schemadocs snapshot`") from None
    check_catalog(catalog, source)
    return catalog


def _expanded(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2's data as format 1's: each family member's objects back in its lists, by schema order."""
    from schemadocs.families.compact import expand

    entries = data.pop(FAMILY_MEMBERS, None)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"format_version {COMPACT_VERSION} needs a non-empty {FAMILY_MEMBERS} list")
    reps = {e.get("like") for e in entries if isinstance(e, dict)}
    parsed: dict[str, dict[str, list[Any]]] = {}
    for name in _FOLDED_LISTS:
        key = "schema" if name == "schemas" else name
        for item in data.get(name, ()):
            schema = item.get("name" if name == "schemas" else "schema") if isinstance(item, dict) else None
            if schema in reps:
                parsed.setdefault(schema, {}).setdefault(key, []).append(item)
    more = expand(entries, parsed)
    for name, items in more.items():
        if items:
            field = "name" if name == "schemas" else "schema"
            data[name] = sorted([*data.get(name, ()), *items], key=lambda x: x[field])  # stable: each schema's order kept
    data["format_version"] = FORMAT_VERSION
    return data


def save(catalog: Catalog, path: Path, families: Families | None = None) -> None:
    """Write the snapshot atomically: a crash never leaves a half-written file, and a
    failed write (a directory in the way, a full disk) leaves no temporary file behind.
    `families`: each family held once (see `dump_bytes`)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, dump_bytes(catalog, families))
    except OSError as exc:
        raise SnapshotError(f"cannot write snapshot {path}: {exc.strerror or exc}; "
                            "pass a file path in a writable directory with free space") from None


def load(path: Path) -> Catalog:
    """Read a snapshot file, plain or gzip-compressed (a large site's `catalog.json.gz`,
    `schemadocs.site_snapshot`)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror or exc}; check the path") from None
    if raw[:2] == b"\x1f\x8b":
        raw = _inflated(raw, path)
    return loads(raw, source=f"snapshot {path}")


MAX_INFLATED = 2 << 30  # bytes a compressed snapshot may inflate to: ~30 times the snapshot of 10,000 tables


def _inflated(raw: bytes, path: Path) -> bytes:
    """The gzip file `raw` inflated, member after member, never past MAX_INFLATED bytes (a small
    file can inflate to far more than memory holds)."""
    out = bytearray()
    try:
        while raw:
            member = zlib.decompressobj(wbits=31)
            out += member.decompress(raw, MAX_INFLATED + 1 - len(out))
            if len(out) > MAX_INFLATED or member.unconsumed_tail:
                raise SnapshotError(f"snapshot {path} inflates to more than {MAX_INFLATED >> 30} GiB, more than a "
                                    "snapshot schemadocs writes; pass the catalog.json.gz of a schemadocs site")
            if not member.eof:
                raise EOFError("the file ends inside the compressed data")
            raw = member.unused_data
    except (EOFError, zlib.error) as exc:
        raise SnapshotError(f"snapshot {path} is not a whole gzip file ({exc}); download it again") from None
    return bytes(out)


def to_plain(value: Any) -> Any:
    """Dataclasses become dicts in field order; tuples become lists; enums their values."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [to_plain(v) for v in value]
    plan = _PLANS.get(kind)
    if plan is None:
        if isinstance(value, Enum):
            return value.value
        if not dataclasses.is_dataclass(value):
            return value
        plan = _PLANS[kind] = _plan(kind)
    names, getter, nested = plan
    values = getter(value)
    if not nested:
        plain = dict(zip(names, values))
    else:
        plain = {name: (to_plain(v) if i in nested else v) for i, (name, v) in enumerate(zip(names, values))}
    for name, default in OMITTED_AT_DEFAULT.get(kind, {}).items():
        if plain[name] in (default, to_plain(default)):
            del plain[name]
    return plain


def _plan(kind: type) -> tuple[tuple[str, ...], Any, frozenset[int]]:
    """Per dataclass: its field names, a C-level getter for them (`model_fields`), and which fields need converting."""
    names, getter, _ = class_fields(kind)
    hints = _hints(kind)
    scalar = {str, int, float, bool, type(None)}
    nested = frozenset(i for i, n in enumerate(names)
                       if not set(typing.get_args(hints[n]) or (hints[n],)) <= scalar)
    return names, getter, nested


# Fields added after format 1, written only when they differ from their default: a snapshot of a
# catalog that does not use them (a --no-stats one has no statistics) stays byte-identical to the
# one written before they existed, and old snapshots load with the defaults. They are the last
# fields of their class. Where there is one, the encoded object ends with it (see _SUFFIXES);
# objects with more (routines, far fewer than relations) are encoded from `to_plain`, which
# leaves out each one at its default.
OMITTED_AT_DEFAULT: dict[type, dict[str, Any]] = {
    Catalog: {"database_stats": None, "outside": (), "selected": False},
    Relation: {"options": ()},
    Routine: {"acl_empty": False, "argument_types": None},
}
_SUFFIXES = {kind: b"," + orjson.dumps(name) + b":" + orjson.dumps(default) + b"}"
             for kind, fields in OMITTED_AT_DEFAULT.items() if kind is not Catalog and len(fields) == 1
             for name, default in fields.items()}
_VIA_PLAIN = frozenset(kind for kind, fields in OMITTED_AT_DEFAULT.items() if kind is not Catalog and len(fields) > 1)
assert all([f.name for f in dataclasses.fields(kind)][-len(fields):] == list(fields)
           for kind, fields in OMITTED_AT_DEFAULT.items())
_SCALARS = frozenset({str, int, float, bool, type(None)})
_PLANS: dict[type, tuple[tuple[str, ...], Any, frozenset[int]]] = {}


def from_plain(cls: Any, data: Any) -> Any:
    """Rebuild a value of type `cls` from its plain JSON form, strictly."""
    origin = typing.get_origin(cls)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        (inner,) = [a for a in typing.get_args(cls) if a is not type(None)]
        return from_plain(inner, data)
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError(f"expected a list, got {type(data).__name__}")
        items = typing.get_args(cls)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(from_plain(items[0], v) for v in data)
        if len(data) != len(items):
            raise ValueError(f"expected a list of {len(items)}, got {len(data)} items")
        return tuple(from_plain(item, v) for item, v in zip(items, data))
    if isinstance(cls, type) and issubclass(cls, Enum):
        return cls(data)
    if dataclasses.is_dataclass(cls):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {cls.__name__}")
        if cls is Constraint and data.get("kind") == ConstraintKind.FOREIGN_KEY:
            cls = ForeignKey
        hints = _hints(cls)
        if data.keys() != _init_names(cls):  # every field is written: the usual case needs no more
            unknown = set(data) - _init_names(cls)
            if unknown:
                raise ValueError(f"unknown keys {sorted(unknown)} in {cls.__name__}")
            missing = required_keys(cls).difference(data)
            if missing:
                raise ValueError(f"missing keys {sorted(missing)} in {cls.__name__}")
        return cls(**{k: from_plain(hints[k], v) for k, v in data.items()})
    if type(data) is bool and cls is not bool:
        raise TypeError(f"expected {getattr(cls, '__name__', cls)}, got bool")
    if cls is float and isinstance(data, int):
        return float(data)
    if isinstance(cls, type) and not isinstance(data, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(data).__name__}")
    return data


@functools.cache
def _init_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


@functools.cache
def required_keys(cls: type) -> frozenset[str]:
    """The keys `snapshot.schema.json` requires in the object of dataclass `cls`."""
    schema = json.loads(resources.files("schemadocs").joinpath("snapshot.schema.json").read_text(encoding="utf-8"))
    if cls is Catalog:
        return frozenset(schema["required"])
    if cls is ForeignKey:
        constraint = schema["$defs"]["Constraint"]
        return frozenset(constraint["required"]) | frozenset(constraint["then"]["required"])
    if cls.__name__ in schema["$defs"]:
        return frozenset(schema["$defs"][cls.__name__].get("required", ()))
    return frozenset(f.name for f in dataclasses.fields(cls)  # not a snapshot object (a change history's)
                     if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]
