"""Each model class's fields, read and set at C speed: the one place that makes these getters.

In: a dataclass (a model class). Out (`class_fields`): its field names in order, one getter of
all their values (always a tuple, even of one field) and each field's setter (a slotted class's
member descriptor's `__set__`, which a frozen class's `__setattr__` does not stop; None for a
class with a per-object dict). Used by the snapshot (`snapshot._plan`) and by the compact
snapshot's masking (`families/fields.py`, `families/compact.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple


class ClassFields(NamedTuple):
    names: tuple[str, ...]
    get: Callable[[Any], tuple[Any, ...]]  # all the fields' values, as a tuple
    setters: tuple[Callable[[Any, Any], None], ...] | None  # slotted classes only


@cache
def class_fields(cls: type) -> ClassFields:
    """`cls`'s field names, the getter of all their values, and its slots' setters."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    return ClassFields(names, getter(names), tuple(getattr(cls, n).__set__ for n in names)
                       if "__slots__" in vars(cls) and "__dict__" not in vars(cls) else None)


def getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """One getter of `names`' values as a tuple (attrgetter's, which gives a bare value for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()
