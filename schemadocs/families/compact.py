"""A snapshot that holds each schema family once: members as their name and what differs.

In (`compact`): each schema's objects (its own schema object, relations, routines, enums,
domains, composite types, sequences, each with its JSON as the full form writes it) and the
families to fold (each representative with its members). Out: the members, each as
`{"schema": member, "like": representative, "differs": patch}`, sorted, and the set of their
names, whose objects the snapshot then leaves out. In (`expand`): those entries and the
representatives' parsed objects. Out: every member's objects, exactly as they were.

A member's objects are the representative's, each object's JSON rewritten from the
representative's name to the member's by `moved` (plain byte rewriting, frozen: it is part of
the snapshot format), then patched by `differs`: per list (`schema`, `relations`, `routines`,
`enums`, `domains`, `composite_types`, `sequences`), per object index, what differs (OIDs,
comments, owners, privileges, statistics, anything the rewriting did not give). A patch is an
object (patch these keys, or these list indices, of the value) or a one-item array (replace the
value by its item). Every patch is exact: by construction, or checked by the loader's own code,
or proven by detection's fingerprints (`proof.py`: then not checked one by one), else the whole
object is replaced; so folding never loses anything.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import accumulate, chain, compress
from operator import and_, attrgetter, eq, is_, is_not, ne, or_
from types import MappingProxyType
from typing import Any

import orjson

from schemadocs.families.fields import per_member_plan as _plan
from schemadocs.families.proof import agreeing, clean_objects, plain
from schemadocs.model import RelationStats
from schemadocs.model_fields import class_fields

LISTS = ("relations", "routines", "enums", "domains", "composite_types", "sequences")
Objects = dict[str, list[Any]]  # one schema's objects per list ("schema": [its own schema object])


def compact(by_schema: Mapping[str, Objects], groups: Iterable[tuple[str, Sequence[str]]],
            encode: Callable[[Any], bytes],
            encode_all: Callable[[tuple[Any, ...]], list[bytes]] | None = None,
            proven: Mapping[str, str] = MappingProxyType({})) -> tuple[list[dict[str, Any]], frozenset[str]]:
    """The members of each (representative, members) group as patches on the representative, sorted
    by member name, and the folded member names. `encode` writes one object as the snapshot does,
    `encode_all` a list of objects of one class (each as `encode` would); a member's objects are
    written in full only where they differ from the representative's in more than their
    per-member fields.

    Each family's members are compared with the representative all at once, list by list
    (`_masked_all`): the per-member fields of all their objects read and compared at C speed,
    only the objects that differ looked at field by field, and the masked objects encoded in one
    call per list; the result is what `_masked` gives object by object. `proven`: the schemas'
    fingerprints as detection made them on this catalog (`Families.proven_in`); a member whose
    fingerprint is its representative's has the same structure, and where `families/proof.py`
    finds that enough for an object, its patch is made from its per-member fields alone, without
    masking and encoding it (the same patch: the check would pass)."""
    encode_all = encode_all or (lambda items: [encode(x) for x in items])
    entries: list[dict[str, Any]] = []
    groups = list(groups)
    taken = {rep for rep, _ in groups}  # a representative stays in full; a member is folded once
    for rep, members in groups:
        base = by_schema.get(rep)
        if base is None:
            continue
        counts = [len(base[k]) for k in _KEYS]
        folded = []
        for member in members:
            own = by_schema.get(member)
            if member in taken or own is None or [len(own[k]) for k in _KEYS] != counts:
                continue
            taken.add(member)
            folded.append(member)
        if not folded:
            continue
        texts = {k: [encode(x) for x in base[k]] for k in _KEYS}
        same = proven.get(rep)
        quick = [same is not None and proven.get(member) == same and plain(rep) and plain(member) for member in folded]
        moved_texts: dict[tuple[int, str], list[bytes]] = {}

        def starts(k: int, key: str) -> list[bytes]:  # the representative's objects of `key` moved to member k
            if (k, key) not in moved_texts:
                moved_texts[k, key] = moved_objects(texts[key], rep, folded[k])
            return moved_texts[k, key]

        differs: list[dict[str, Any]] = [{} for _ in folded]
        for key, count in zip(_KEYS, counts):
            if count:
                mine = [x for member in folded for x in by_schema[member][key]]
                clean = clean_objects(base[key], texts[key], rep) if key != "schema" and any(quick) else [False] * count
                fast = [q and c for q in quick for c in clean]
                _fold_list(key, mine, base[key], starts, count, differs, encode, encode_all, fast)
        entries += [{"schema": member, "like": rep, "differs": d} for member, d in zip(folded, differs)]
    entries.sort(key=lambda e: e["schema"])
    return entries, frozenset(e["schema"] for e in entries)


def _fold_list(key: str, mine: list[Any], base: list[Any], starts: Callable[[int, str], list[bytes]], count: int,
               differs: list[dict[str, Any]], encode: Callable[[Any], bytes],
               encode_all: Callable[[tuple[Any, ...]], list[bytes]], fast: list[bool]) -> None:
    """One list (`key`) of every folded member at once: `mine` their objects one member after the
    other (`count` each), `base` the representative's, `starts(k, key)` the representative's moved
    under member k's name. Each member's patches go into its `differs` entry. The objects `fast`
    marks (`families/proof.py`: proven by detection), if they agree with the representative's in
    what the fingerprint leaves out, are patched from their per-member fields alone; the others
    are masked, encoded and compared with the representative's moved."""
    n = len(mine)
    patches: list[dict[str, Any]] = [{} for _ in range(n)]
    quick = list(compress(range(n), fast))
    reps = [base[i % count] for i in quick]
    agree = agreeing([mine[i] for i in quick], reps) if quick else None
    if agree is not None:
        quick = list(compress(quick, agree))
        _, found = _masked_all([mine[i] for i in quick], list(compress(reps, agree)), copy=False)
        for i, patch in zip(quick, found):
            patches[i] = patch
    else:
        quick = []
    slow = sorted(set(range(n)).difference(quick)) if quick else list(range(n))
    if slow:
        ours = [mine[i] for i in slow]
        masked, found = _masked_all(ours, [base[i % count] for i in slow])
        texts = encode_all(tuple(masked)) if len(set(map(type, masked))) == 1 else [encode(x) for x in masked]
        for i, text, patch in zip(slow, texts, found):
            start = starts(i // count, key)[i % count]
            patches[i] = _whole_patch(mine[i], start, encode) if text != start else patch  # the rewriting did not give the rest: compared whole
    for i in compress(range(n), patches):
        differs[i // count].setdefault(key, {})[str(i % count)] = patches[i]


def expand(entries: list[Any], parsed: Mapping[str, dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """Each entry's objects, per list (`schemas` and LISTS), from its representative's in `parsed`
    (schema name → its parsed objects per list, "schema" its own object). ValueError or TypeError
    on an entry that does not fit (the loader turns them into one SnapshotError)."""
    out: dict[str, list[Any]] = {"schemas": [], **{k: [] for k in LISTS}}
    texts: dict[str, tuple[list[bytes], list[int]]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.keys() != {"schema", "like", "differs"}:
            raise ValueError("a family member must have exactly the keys schema, like and differs")
        member, rep, differs = entry["schema"], entry["like"], entry["differs"]
        if not isinstance(member, str) or not isinstance(rep, str) or not isinstance(differs, dict):
            raise TypeError("a family member's schema and like are names, its differs an object")
        if rep not in parsed:
            raise ValueError(f"family member {member!r} is like schema {rep!r}, which the snapshot lacks")
        if rep not in texts:
            lists = [parsed[rep].get(k, []) for k in _KEYS]
            texts[rep] = ([orjson.dumps(x) for items in lists for x in items], [len(items) for items in lists])
        bodies, counts = texts[rep]
        flat = orjson.loads(b"[" + b",".join(moved_objects(bodies, rep, member)) + b"]")
        objects, at = {}, 0
        for key, count in zip(_KEYS, counts):
            objects[key], at = flat[at:at + count], at + count
        objects = _patched(objects, differs)
        for key in _KEYS:
            out["schemas" if key == "schema" else key] += objects[key]
    return out


_KEYS = ("schema", *LISTS)


def _whole_patch(mine: Any, start: bytes, encode: Callable[[Any], bytes]) -> Any:
    """The patch from `start` (the representative's object moved: its JSON) to `mine`'s JSON.

    Usually only fields the rewriting cannot give differ (OIDs, statistics, comments, ...): the
    member with those fields set to the representative's values then writes exactly `start`, and
    the patch is those fields (`_masked`; exact by construction: the JSON of a dataclass is its
    fields' in order). Where it does not (`_fold_list` checks), both are parsed and compared here,
    and the patch checked; should it not give the member's JSON back (Python's 1 == 1.0), the
    whole object replaces."""
    text = encode(mine)
    a, b = orjson.loads(start), orjson.loads(text)
    patch = _patch(a, b)
    return patch if orjson.dumps(_apply(a, patch)) == text else [b]


def _replacing(value: Any, their: Any) -> Any:
    """The patch from `their` to `value`, both a per-member field's value: of statistics (a model
    object on both sides), the fields that differ; else the whole value."""
    if type(value) is type(their) and type(value) in _SCALAR_OBJECTS:
        names, getter = _SCALAR_OBJECTS[type(value)]
        values, theirs = getter(value), getter(their)
        differ = map(or_, map(ne, values, theirs), map(is_not, map(type, values), map(type, theirs)))
        return {names[i]: [values[i]] for i in compress(range(len(names)), differ)}
    if type(value) in _PLAIN_SCALARS:  # what orjson reads back from its own JSON of them
        return [value]
    return [orjson.loads(orjson.dumps(value))]


_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})  # not float: orjson writes NaN as null


_SCALAR_OBJECTS = {cls: class_fields(cls)[:2] for cls in (RelationStats,)}


def _same(getter: Any, items: tuple[Any, ...], theirs: tuple[Any, ...]) -> bool:
    """Whether the per-member fields of two lists of objects (a table's constraints: foreign keys
    among them, of a subclass with the same fields) are all equal."""
    try:
        return list(map(getter, items)) == list(map(getter, theirs))
    except AttributeError:
        return False


def _masked(mine: Any, rep: Any) -> tuple[Any, dict[str, Any]]:
    """`mine` with its per-member fields (its own, and its columns', indexes', ...) set to `rep`'s
    where they differ, and the patch that puts `mine`'s values back. Values are compared a whole
    object's at a time (C speed); only a difference is looked at field by field."""
    cls = type(mine)
    if type(rep) is not cls:
        return mine, {}
    fast, getter, nested = _plan(cls)
    changes: dict[str, Any] = {}
    patch: dict[str, Any] = {}
    if getter is not None:
        values, theirs = getter(mine), getter(rep)
        if values != theirs:
            for name, value, their in zip(fast, values, theirs):
                if value != their:
                    changes[name], patch[name] = their, _replacing(value, their)
    for name in nested:
        items, theirs = getattr(mine, name), getattr(rep, name)
        if not items or len(items) != len(theirs):
            continue
        inner = _plan(type(items[0]))
        if inner[1] is None and not inner[2]:
            continue
        if not inner[2] and _same(inner[1], items, theirs):
            continue
        out, sub = list(items), {}
        for i, (a, b) in enumerate(zip(items, theirs)):
            out[i], diff = _masked(a, b)
            if diff:
                sub[str(i)] = diff
        if sub:
            changes[name], patch[name] = tuple(out), sub
    if not changes:
        return mine, {}
    return _copy_with(mine, changes), patch


def _copy_with(mine: Any, changes: dict[str, Any]) -> Any:
    """A copy of the frozen dataclass `mine` with `changes`, its fields set without __init__ (into
    its __dict__, or its slots)."""
    copy = object.__new__(type(mine))
    if hasattr(mine, "__dict__"):
        copy.__dict__.update(mine.__dict__)
        copy.__dict__.update(changes)
        return copy
    names, getter, setters = class_fields(type(mine))
    assert setters is not None  # a class without a __dict__ is slotted
    for name, value, set_slot in zip(names, getter(mine), setters):
        set_slot(copy, changes.get(name, value))
    return copy


def _masked_all(mine: list[Any], reps: list[Any], copy: bool = True) -> tuple[list[Any], list[dict[str, Any]]]:
    """`_masked` of each pair (`mine[i]`, `reps[i]`), unzipped: the same masked objects and patches,
    computed list-wide. The per-member fields of all objects, and of all the items of their nested
    lists (columns, indexes, ...), are read with one getter each and compared at C speed; only
    the objects and items that differ are masked and patched, one by one. A list of mixed classes,
    or of a class whose nested items hold nested items of their own, goes object by object.
    `copy=False`: the patches alone (`mine` is given back unmasked)."""
    n = len(mine)
    cls = type(mine[0]) if n else None
    fast, getter, nested = _plan(cls) if cls is not None else ((), None, ())
    if not n or set(map(type, chain(mine, reps))) != {cls}:
        pairs = [_masked(a, b) for a, b in zip(mine, reps)]
        return [m for m, _ in pairs], [p for _, p in pairs]
    changes: list[dict[str, Any] | None] = [None] * n
    patches: list[dict[str, Any]] = [{} for _ in range(n)]
    if getter is not None:
        compared = attrgetter(*fast)  # one field: its value, not a tuple of one (no call of a Python lambda)
        differ = list(compress(range(n), map(ne, map(compared, mine), map(compared, reps))))
        if not copy:
            _patch_fields(fast, [mine[i] for i in differ], [reps[i] for i in differ], [patches[i] for i in differ])
            differ = []
        for i in differ:
            change, patch = {}, patches[i]
            changes[i] = change
            for name, value, their in zip(fast, getter(mine[i]), getter(reps[i])):
                if value != their:
                    change[name], patch[name] = their, _replacing(value, their)
    for name in nested:
        _mask_nested(name, mine, reps, changes, patches, copy)
    if not copy:
        return mine, patches
    masked = list(mine)
    for i in compress(range(n), changes):
        masked[i] = _copy_with(mine[i], changes[i])  # type: ignore[arg-type]
    return masked, patches


def _mask_nested(name: str, mine: list[Any], reps: list[Any], changes: list[dict[str, Any] | None],
                 patches: list[dict[str, Any]], copy: bool = True) -> None:
    """`_masked`'s work on the nested list `name` (columns, indexes, ...) of every object at once:
    where an object's and its representative's lists have the same length, each item whose
    per-member fields differ is masked (in `changes[i][name]`) and patched (`patches[i][name]`)."""
    get = attrgetter(name)
    ours, theirs = list(map(get, mine)), list(map(get, reps))
    owners = list(compress(range(len(ours)), map(and_, map(bool, ours), map(eq, map(len, ours), map(len, theirs)))))
    if not owners:
        return
    if len(owners) == len(ours):
        flat, other = list(chain.from_iterable(ours)), list(chain.from_iterable(theirs))
    else:
        flat = list(chain.from_iterable(map(ours.__getitem__, owners)))
        other = list(chain.from_iterable(map(theirs.__getitem__, owners)))
    getters = {k: _plan(k)[1] for k in set(map(type, chain(flat, other)))}
    fields: set[tuple[str, ...]] = set()
    if any(_plan(k)[2] for k in getters):  # items holding items with per-member fields: as `_masked`, pair by pair
        differ = list(range(len(flat)))
    elif None in getters.values():  # items without per-member fields: as `_masked`, skipped when all are such
        return
    elif len(fields := set(map(_plan_fields, getters))) == 1:  # one set of fields (foreign keys among constraints)
        compared = attrgetter(*next(iter(fields)))  # one field: its value, not a tuple of one
        differ = list(compress(range(len(flat)), map(ne, map(compared, flat), map(compared, other))))
    else:
        differ = [j for j, (a, b) in enumerate(zip(flat, other)) if getters[type(a)](a) != getters[type(b)](b)]
    if not differ:
        return
    starts = list(accumulate(map(len, map(ours.__getitem__, owners)), initial=0))
    if not copy and len(fields) == 1 and not any(_plan(k)[2] for k in getters):  # the patches alone, at C speed
        items, others = [flat[j] for j in differ], [other[j] for j in differ]
        found: list[dict[str, Any]] = [{} for _ in differ]
        same = list(map(is_, map(type, items), map(type, others)))  # else `_masked` patches nothing
        _patch_fields(next(iter(fields)), list(compress(items, same)), list(compress(others, same)),
                      list(compress(found, same)))
        for j, diff in compress(zip(differ, found), found):
            k = bisect_right(starts, j) - 1
            patches[owners[k]].setdefault(name, {})[str(j - starts[k])] = diff
        return
    touched: dict[int, list[Any]] = {}  # object index -> its items, the differing ones masked
    for j in differ:  # ascending: each object's items patched in their order, as `_masked` does
        k = bisect_right(starts, j) - 1
        i, at = owners[k], j - starts[k]
        item, diff = _masked_item(flat[j], other[j], copy)
        if not diff:
            continue
        if not copy:
            patches[i].setdefault(name, {})[str(at)] = diff
            continue
        if i not in touched:
            touched[i] = list(ours[i])
            patches[i][name] = {}
        touched[i][at] = item
        patches[i][name][str(at)] = diff
    for i, items in touched.items():
        if changes[i] is None:
            changes[i] = {}
        changes[i][name] = tuple(items)  # type: ignore[index]


def _patch_fields(fields: tuple[str, ...], mine: list[Any], reps: list[Any], patches: list[dict[str, Any]]) -> None:
    """Into each of `patches`, the per-member `fields` in which `mine[i]` differs from `reps[i]`
    (objects of one class, or of classes with these per-member fields), as `_masked` patches them:
    each field's values read for all objects at once."""
    for name in fields:
        get = attrgetter(name)
        ours, theirs = list(map(get, mine)), list(map(get, reps))
        for i in compress(range(len(ours)), map(ne, ours, theirs)):
            value = ours[i]
            patches[i][name] = [value] if type(value) in _PLAIN_SCALARS else _replacing(value, theirs[i])


def _masked_item(mine: Any, rep: Any, copy: bool = True) -> tuple[Any, dict[str, Any]]:
    """`_masked` of an item holding no items with per-member fields (a column, an index, ...);
    `copy=False`: its patch alone (`mine` given back unmasked)."""
    cls = type(mine)
    fast, getter, nested = _plan(cls)
    if type(rep) is not cls or nested or getter is None:
        return _masked(mine, rep)
    changes: dict[str, Any] = {}
    patch: dict[str, Any] = {}
    for name, value, their in zip(fast, getter(mine), getter(rep)):
        if value != their:
            changes[name], patch[name] = their, _replacing(value, their)
    if not changes:
        return mine, {}
    return (_copy_with(mine, changes) if copy else mine), patch


def _plan_fields(cls: type) -> tuple[str, ...]:
    return _plan(cls)[0]


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


def moved_objects(objects: list[bytes], source: str, target: str) -> list[bytes]:
    """Each object's JSON (orjson's compact form, which holds no raw newline) rewritten by `moved`
    on its own, all in one pass."""
    return moved(b"\n".join(objects), source, target).split(b"\n") if objects else []


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
