"""A snapshot that holds each schema family once: members as their name and what differs.

In (`compact`): the snapshot's encoded object lists (schema name → that schema's objects per
list, as the full form writes them) and the families to fold (each representative with its
members). Out: the members that fold, each as `{"schema": member, "like": representative,
"differs": patch}`, and the set of folded schemas, whose objects the snapshot then leaves out.
In (`expand`): those entries and the parsed lists of the rest. Out: the lists with every folded
member's objects back in place, exactly as they were.

A member's objects are the representative's, moved under the member's name by `moved` (a plain
byte rewriting of their JSON, frozen: it is part of the snapshot format), then patched by
`differs`: per list (`schema`, `relations`, `routines`, `enums`, `domains`, `composite_types`,
`sequences`), per object index, the fields that differ (OIDs, comments, owners, privileges,
statistics, anything the rewriting did not give). A patch is an object (patch these keys, or
these list indices, of the value below) or a one-item array (replace the value by its item).
A member is folded only when its expansion gives back its exact bytes (checked here, by the
same code the loader runs); any other member is stored in full, so folding never loses anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

LISTS = ("relations", "routines", "enums", "domains", "composite_types", "sequences")
Encoded = dict[str, list[bytes]]  # one schema's objects, per list ("schema": [its own object])


def compact(by_schema: Mapping[str, Encoded], groups: Iterable[tuple[str, Sequence[str]]]) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """The members of each (representative, members) group stored as patches on the representative,
    sorted by member name, and the folded member names (members that would not expand exactly stay out)."""
    entries: list[dict[str, Any]] = []
    for rep, members in groups:
        base = by_schema.get(rep)
        if base is None:
            continue
        block = _block(base)
        for member in members:
            own = by_schema.get(member)
            if member == rep or own is None or [len(own[k]) for k in _KEYS] != [len(base[k]) for k in _KEYS]:
                continue
            entry = _fold(block, rep, member, own)
            if entry is not None:
                entries.append(entry)
    entries.sort(key=lambda e: e["schema"])
    return entries, frozenset(e["schema"] for e in entries)


def expand(entries: list[Any], parsed: Mapping[str, dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """Each entry's objects, per list (`schemas` and LISTS), from its representative's in `parsed`
    (schema name → its parsed objects per list, "schema" its own object). ValueError or TypeError
    on an entry that does not fit (the loader turns them into one SnapshotError)."""
    out: dict[str, list[Any]] = {"schemas": [], **{k: [] for k in LISTS}}
    blocks: dict[str, bytes] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.keys() != {"schema", "like", "differs"}:
            raise ValueError("a family member must have exactly the keys schema, like and differs")
        member, rep, differs = entry["schema"], entry["like"], entry["differs"]
        if not isinstance(member, str) or not isinstance(rep, str) or not isinstance(differs, dict):
            raise TypeError("a family member's schema and like are names, its differs an object")
        if rep not in parsed:
            raise ValueError(f"family member {member!r} is like schema {rep!r}, which the snapshot lacks")
        if rep not in blocks:
            blocks[rep] = orjson.dumps({k: parsed[rep].get(k, []) for k in _KEYS})
        objects = _patched(orjson.loads(moved(blocks[rep], rep, member)), differs)
        for key in _KEYS:
            out["schemas" if key == "schema" else key] += objects[key]
    return out


_KEYS = ("schema", *LISTS)


def _block(objects: Encoded) -> bytes:
    """One schema's objects as one JSON object, in `_KEYS` order (the loader writes the same bytes
    from the parsed objects: orjson keeps their key order)."""
    return b"{" + b",".join(b'"%s":[%s]' % (k.encode(), b",".join(objects[k])) for k in _KEYS) + b"}"


def _fold(block: bytes, rep: str, member: str, own: Encoded) -> dict[str, Any] | None:
    """`member` as a patch on the representative's objects moved under its name; None unless
    that patch gives back the member's exact bytes."""
    try:
        moved_block = moved(block, rep, member)
        start = orjson.loads(moved_block)
    except orjson.JSONDecodeError:
        return None
    mine = orjson.loads(_block(own))
    differs = {}
    for key in _KEYS:
        if start[key] != mine[key]:
            differs[key] = _list_patch(start[key], mine[key])
    if orjson.dumps(_patched(orjson.loads(moved_block), differs)) != _block(own):
        return None  # Python's == took 1 for 1.0 or True, or -0.0 for 0.0: stored in full
    return {"schema": member, "like": rep, "differs": differs}


def _list_patch(a: list[Any], b: list[Any]) -> dict[str, Any]:
    return {str(i): _patch(x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y}


def _patch(a: Any, b: Any) -> Any:
    """What turns `a` into `b`: an object of the keys (indices) to patch, or [b]."""
    if type(a) is dict and type(b) is dict and list(a) == list(b):
        return {k: _patch(a[k], b[k]) for k in a if a[k] != b[k]}
    if type(a) is list and type(b) is list and len(a) == len(b):
        return _list_patch(a, b)
    return [b]


def _patched(objects: dict[str, Any], differs: Any) -> dict[str, Any]:
    """`objects` (the moved representative's, per list) with the member's patch applied."""
    if not isinstance(differs, dict) or not set(differs) <= set(_KEYS):
        raise ValueError(f"a family member's differs may name only {', '.join(_KEYS)}")
    for key, patch in differs.items():
        objects[key] = _apply(objects[key], patch)
    return objects


def _apply(value: Any, patch: Any) -> Any:
    if type(patch) is list:
        if len(patch) != 1:
            raise ValueError("a replacing patch is an array of one value")
        return patch[0]
    if type(patch) is not dict:
        raise TypeError("a patch is an object or an array of one value")
    if type(value) is dict:
        for key, sub in patch.items():
            if key not in value:
                raise ValueError(f"a patch names a missing key {key!r}")
            value[key] = _apply(value[key], sub)
        return value
    if type(value) is list:
        for key, sub in patch.items():
            if not key.isdigit() or int(key) >= len(value):
                raise ValueError(f"a patch names a missing item {key!r}")
            value[int(key)] = _apply(value[int(key)], sub)
        return value
    raise TypeError("a patch of keys applies to an object or an array only")


# --- the rewriting: part of the snapshot format, never to be changed (a change needs a new format_version)

_NAME = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$\\") | frozenset(range(0x80, 0x100))


def moved(body: bytes, source: str, target: str) -> bytes:
    """JSON bytes with schema `source` read as `target`: every value that is exactly `source`
    (`:"source"`), and `source.` as a prefix in text, bare or double-quoted (`"source".`, quotes
    inside doubled), each also with single quotes doubled (as inside a string literal), where the
    byte before it is not a name character or a backslash. The result is always valid JSON: only
    whole escaped texts replace whole escaped texts, never inside an escape."""
    body = body.replace(b":" + orjson.dumps(source), b":" + orjson.dumps(target))
    pairs: dict[bytes, bytes] = {}
    for form in (lambda s: s + ".", lambda s: '"' + s.replace('"', '""') + '".'):
        for literal in (False, True):
            old, new = form(source), form(target)
            if literal:
                old, new = old.replace("'", "''"), new.replace("'", "''")
            pairs.setdefault(orjson.dumps(old)[1:-1], orjson.dumps(new)[1:-1])
    for old, new in sorted(pairs.items(), key=lambda p: (-len(p[0]), p[0])):
        if old in body:
            pieces = body.split(old)
            out = [pieces[0]]
            for before, piece in zip(pieces, pieces[1:]):
                out += [old if before and before[-1] in _NAME else new, piece]
            body = b"".join(out)
    return body
