"""When a family member's objects need not be masked and encoded to be folded: detection proves it.

In: a family's representative's objects (and their JSON as the snapshot writes them), a list of
member objects paired with the representative's. Out: which of them `compact` may patch from their
per-member fields alone (`clean_objects`, `agreeing`).

The compact snapshot folds a member object into a patch of its per-member fields when the member
object, with those fields set to the representative's, writes exactly the representative's JSON
rewritten to the member's name (`compact.moved`). Checking it costs a masked copy and an encoding
per object. Detection (`structure.Structure`) has already written every schema's structural fields
(all but `structure.IGNORED`), normalised its name out (`_Rewriter`), and grouped equal fingerprints
into families. That proves the check, without doing it, where all of these hold:

- both names are plain identifiers (`quote_ident` leaves them as they are: the fingerprint's prefix
  `name.` is then `moved`'s bare one, and no character of them is escaped in JSON);
- neither schema's structural text holds a NUL (`Structure.unambiguous`): the placeholder starts
  with one, so the member's normalised text reads back under its own name as exactly its text;
- in the representative object's JSON, every occurrence of its name is rewritten by both, or by
  neither (`_agree`): a whole value `:"name"` (both), `name.` after a character that is no name
  character nor a backslash (both); not a whole value elsewhere (a list item, a key, after an
  escaped quote: the fingerprint only), not `name.` after a backslash (the fingerprint only), not
  `"name".` (`moved` only); and no occurrence either rewrites is in a per-member value (`moved`
  would rewrite the representative's, which the masked member holds as it is);
- the pair agrees in what the fingerprint leaves out without it being per-member (`agreeing`):
  the same class, nested lists of the same lengths and item classes, the same column positions
  and `acl_empty`;
- equal per-member values are written alike (`_faithful_fields`: no 1 == 1.0, True == 1, 0.0 == -0.0).

Then the member's structural JSON is the representative's with the same occurrences rewritten to
the member's name, which is what `moved` writes; its per-member fields, masked, are the
representative's, which `moved` left as they were. Anything else takes the checked path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from enum import Enum
from itertools import chain, repeat
from operator import attrgetter, eq
from typing import Any

import orjson

from schemadocs.families.fields import per_member_plan
from schemadocs.families.structure import IGNORED
from schemadocs.model import quote_ident

_NAME = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$\\") | frozenset(range(0x80, 0x100))
_IDENT = _NAME - {ord("\\")}  # the fingerprint's name characters (`structure._NAME_BYTES`)


def plain(name: str) -> bool:
    """Whether `name` is written alike by `quote_ident` and bare (a plain identifier)."""
    return quote_ident(name) == name


def clean_objects(objects: Sequence[Any], texts: Sequence[bytes], name: str) -> list[bool]:
    """Per representative object (`texts`: its JSON as the snapshot writes it), whether both
    rewritings of schema `name` agree on it, and neither touches its per-member values."""
    token = name.encode()
    return [_agree(text, token) and not _rewritten_in(_member_values(obj), token)
            for obj, text in zip(objects, texts)]


def _agree(text: bytes, token: bytes) -> bool:
    """Whether each occurrence of `token` in `text` is rewritten by both `moved` and the fingerprint, or by neither."""
    at = text.find(token)
    while at >= 0:
        if _moved_at(text, at, len(token)) != _normalised_at(text, at, len(token)):
            return False
        at = text.find(token, at + 1)
    return True


def _rewritten_in(text: bytes | None, token: bytes) -> bool:
    """Whether either rewriting touches `text` (per-member values; None: unknown, taken as touched)."""
    if text is None:
        return True
    at = text.find(token)
    while at >= 0:
        if _moved_at(text, at, len(token)) or _normalised_at(text, at, len(token)):
            return True
        at = text.find(token, at + 1)
    return False


def _moved_at(text: bytes, at: int, size: int) -> bool:
    """Whether `compact.moved` rewrites the name at `at`: a whole value, a bare or a quoted prefix."""
    end = at + size
    if text[at - 2:at] == b':"' and text[end:end + 1] == b'"':
        return True
    if text[end:end + 1] == b"." and (at == 0 or text[at - 1] not in _NAME):
        return True
    return (text[at - 2:at] == b'\\"' and text[end:end + 3] == b'\\".'
            and (at == 2 or text[at - 3] not in _NAME))


def _normalised_at(text: bytes, at: int, size: int) -> bool:
    """Whether the fingerprint's rewriting (`structure._Rewriter`, values=True) normalises the name at `at`."""
    end = at + size
    if text[at - 1:at] == b'"' and text[end:end + 1] == b'"':
        return True
    return text[end:end + 1] == b"." and (at == 0 or text[at - 1] not in _IDENT)


def _member_values(obj: Any) -> bytes | None:
    """The per-member values of `obj` and of its nested items, as JSON (None when orjson cannot write them)."""
    fast, get, nested = per_member_plan(type(obj))
    values: list[Any] = [get(obj) if get is not None else ()]
    for name in nested:
        for item in getattr(obj, name):
            inner = per_member_plan(type(item))
            if inner[2]:
                values.append(_member_values(item))
            elif inner[1] is not None:
                values.append(inner[1](item))
    try:
        return orjson.dumps(values)
    except TypeError:
        return None


def agreeing(mine: list[Any], reps: list[Any]) -> list[bool] | None:
    """Per pair, whether the member object and the representative's agree in what the fingerprint
    leaves out without it being per-member: the same class; nested lists (columns, indexes, ...)
    with items of the same classes, one by one; the same column positions and `acl_empty`. None
    when equal per-member values may be written apart in these objects (`_faithful_fields`), or when they
    are not what the model holds (a list of one class, nested items holding none of their own):
    then none is proven. Each nested list is compared as a tuple per object, at C speed; the
    representative's objects (repeated in `reps`) are read once each."""
    kinds = set(map(type, mine)) | set(map(type, reps))
    if len(kinds) != 1:
        return None
    cls = kinds.pop()
    unique = list({id(r): r for r in reps}.values())
    fast, _, nested = per_member_plan(cls)
    if not _faithful_fields((*fast, *_uncompared(cls)), mine, unique):
        return None
    ok = [True] * len(mine)
    for name in _uncompared(cls):
        get = attrgetter(name)
        ok = list(map(bool.__and__, ok, map(eq, map(get, mine), map(get, reps))))
    for name in nested:
        get = attrgetter(name)
        ours, theirs = list(map(get, mine)), list(map(get, unique))
        flat, other = list(chain.from_iterable(ours)), list(chain.from_iterable(theirs))
        items = set(map(type, flat)) | set(map(type, other))
        if not items:
            continue
        fields = {per_member_plan(k)[0] + _uncompared(k) for k in items}
        if len(fields) != 1 or any(per_member_plan(k)[2] for k in items):
            return None
        uncompared = {f for k in items for f in _uncompared(k)}
        if not _faithful_fields(next(iter(fields)), flat, other):
            return None
        slot = dict(zip(map(id, unique), range(len(unique))))
        at = list(map(slot.__getitem__, map(id, reps)))  # each pair's representative object, by its place in `unique`
        for read in (type, *map(attrgetter, sorted(uncompared))):  # the items' classes, then each uncompared field
            values = list(map(tuple, map(map, repeat(read), ours)))
            their = list(map(tuple, map(map, repeat(read), theirs)))
            ok = list(map(bool.__and__, ok, map(eq, values, map(their.__getitem__, at))))
    return ok


def _uncompared(cls: type) -> tuple[str, ...]:
    """The fields of `cls` the fingerprint leaves out that are not per-member (`position`, `acl_empty`)."""
    fast = set(per_member_plan(cls)[0])
    return tuple(f.name for f in dataclasses.fields(cls) if f.name in IGNORED and f.name not in fast) \
        if dataclasses.is_dataclass(cls) else ()


def _faithful_fields(names: tuple[str, ...], *lists: list[Any]) -> bool:
    """Whether equal values of fields `names` are written alike throughout `lists` (objects of one class)."""
    for name in names:
        get = attrgetter(name)
        kinds = set().union(*(map(type, map(get, objects)) for objects in lists))
        kinds.discard(type(None))
        if len(kinds) == 1 and (kinds <= _ATOMS or issubclass(next(iter(kinds)), Enum)):
            continue  # the usual case, told by the values' classes alone
        if not _faithful_values([v for objects in lists for v in map(get, objects)]):
            return False
    return True


_ATOMS = frozenset({str, int, bool})


def _faithful_values(values: list[Any]) -> bool:
    """Whether any two equal values among `values` have the same JSON."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds:
        return True
    if len(kinds) > 1:
        return False  # 1 == 1.0 == True, "a" == StrEnum member "a"
    kind = kinds.pop()
    if kind in (str, int, bool) or issubclass(kind, Enum):
        return True
    if kind is float:
        return 0.0 not in values  # -0.0 == 0.0, written apart; NaN is equal to nothing
    if kind is tuple:
        return _faithful_values(list(chain.from_iterable(v for v in values if v is not None)))
    if dataclasses.is_dataclass(kind):
        return _faithful_fields(tuple(f.name for f in dataclasses.fields(kind)), [v for v in values if v is not None])
    return False
