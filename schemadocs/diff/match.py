"""Pair the objects of the old catalog with those of the new one.

In: two sorted sequences of objects, a name key and, optionally, an identity key (an OID,
or a column's attnum within one relation). Out: `Matched`: the pairs (same object), the
objects only in old (removed) and only in new (added).

Identity first: objects with the same OID are the same object whatever their names, which
is how a rename is told from a drop and an add. Then by name among what is left: an object
dropped and re-created under the same name (new OID) is still compared field by field.
OIDs only mean something within one database: `oids_comparable` says whether two catalogs
look like the same database at two points in time (most objects present in both under the
same name keep their OID); after a dump and restore they do not, and everything is matched
by name, so a rename shows as a drop and an add.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Matched(Generic[T]):
    pairs: tuple[tuple[T, T], ...]
    removed: tuple[T, ...]
    added: tuple[T, ...]


def match(old: Sequence[T], new: Sequence[T], name: Callable[[T], Hashable],
          identity: Callable[[T], Hashable | None] | None = None, *, by_name: bool = True) -> Matched[T]:
    """Pair by identity (when given and not None on both sides), then (unless `by_name` is
    False: identity is all there is) by name among the rest."""
    pairs: list[tuple[T, T]] = []
    old_left, new_left = list(old), list(new)
    if identity is not None:
        by_id = {key: x for x in new if (key := identity(x)) is not None}
        unpaired_old = []
        for x in old_left:
            key = identity(x)
            if key is not None and key in by_id:
                pairs.append((x, by_id.pop(key)))
            else:
                unpaired_old.append(x)
        paired_new = {id(b) for _, b in pairs}
        old_left, new_left = unpaired_old, [x for x in new_left if id(x) not in paired_new]
    named = {name(x): x for x in new_left} if by_name else {}
    removed = []
    for x in old_left:
        partner = named.pop(name(x), None)
        if partner is None:
            removed.append(x)
        else:
            pairs.append((x, partner))
    taken = {id(b) for _, b in pairs}
    return Matched(pairs=tuple(pairs), removed=tuple(removed), added=tuple(x for x in new_left if id(x) not in taken))


def oids_comparable(old: Iterable[tuple[Hashable, int | None]], new: Iterable[tuple[Hashable, int | None]]) -> bool:
    """True when the (name, OID) pairs of two catalogs look like one database at two times:
    at least half of the names present in both with an OID keep the same OID."""
    new_oids = {key: oid for key, oid in new if oid is not None}
    common = [(oid, new_oids[key]) for key, oid in old if oid is not None and key in new_oids]
    return bool(common) and 2 * sum(a == b for a, b in common) >= len(common)
