"""The per-member fields of the model's classes: what may differ between a family's members.

In: a model class. Out (`per_member_plan`): its per-member fields (OIDs, statistics, owners,
privileges, comments, sizes, scan counts), one getter of their values (a tuple; None when it has
none), and its fields whose items may hold per-member fields of their own (columns, constraints,
indexes, ...). The compact snapshot masks these fields (`compact.py`) and `same.py` leaves them
out of what it compares.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from schemadocs.model_fields import getter

# Fields that differ from tenant to tenant; the snapshot never leaves them out at their default
PER_MEMBER = frozenset({"oid", "stats", "owner", "grants", "comment", "size", "scans"})


@cache
def per_member_plan(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]] | None, tuple[str, ...]]:
    """A model class's per-member fields with one getter for them all, and its fields that may
    hold model objects with per-member fields of their own (columns, constraints, indexes, ...)."""
    if not dataclasses.is_dataclass(cls):
        return (), None, ()
    fields = dataclasses.fields(cls)
    fast = tuple(f.name for f in fields if f.name in PER_MEMBER)
    hints = typing.get_type_hints(cls)
    nested = tuple(f.name for f in fields if f.name not in PER_MEMBER and _carries(_element(hints[f.name])))
    return fast, getter(fast) if fast else None, nested


def _element(hint: Any) -> Any:
    """X of a `tuple[X, ...]` type hint, else None."""
    args = typing.get_args(hint)
    return args[0] if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis else None


@cache
def _carries(cls: Any) -> bool:
    """Whether objects of `cls` hold per-member fields, themselves or in the model objects they hold."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return False
    plan = per_member_plan(cls)
    return bool(plan[0] or plan[2])
