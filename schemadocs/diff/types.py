"""Is a change of a column's type safe? Widening keeps every value; anything else may not.

In: two type names as PostgreSQL's format_type() writes them ("character varying(50)",
"numeric(12,2)", "timestamp(3) with time zone", "integer[]"). Out: `TypeChange`: widened
(every value of the old type is a value of the new one and reads the same: varchar(50) →
varchar(100), varchar → text, int → bigint, numeric(10,2) → numeric(12,2), real → double
precision), narrowed (same family, fewer values: varchar(100) → varchar(50), bigint → int,
numeric scale or integer digits reduced) or incompatible (any other change: text → int,
timestamp → timestamptz, a domain, an enum, a change of array dimensions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class TypeChange(StrEnum):
    WIDENED = "widened"
    NARROWED = "narrowed"
    INCOMPATIBLE = "incompatible"


@dataclass(frozen=True)
class ParsedType:
    base: str  # the name with any modifier removed: "character varying", "timestamp with time zone"
    mods: tuple[int, ...]  # typmod numbers: (50,), (12, 2), (3,); () when unconstrained
    dims: int  # array dimensions


def parse_type(text: str) -> ParsedType:
    dims = 0
    while text.endswith("[]"):
        text, dims = text[:-2], dims + 1
    found = _MODS.search(text)
    if found is None:
        return ParsedType(text, (), dims)
    mods = tuple(int(m) for m in found.group(1).split(","))
    return ParsedType((text[:found.start()] + text[found.end():]).strip(), mods, dims)


def type_change(old: str, new: str) -> TypeChange:
    """Classify the change of a value's type from `old` to `new` (the two differ)."""
    a, b = parse_type(old), parse_type(new)
    if a.dims != b.dims:
        return TypeChange.INCOMPATIBLE
    if a.base in _INT_DIGITS and b.base in _INT_DIGITS:
        return TypeChange.WIDENED if _INT_DIGITS[b.base] >= _INT_DIGITS[a.base] else TypeChange.NARROWED
    if a.base in _INT_DIGITS and b.base == "numeric":
        return TypeChange.WIDENED if _fits(_INT_DIGITS[a.base], 0, b.mods) else TypeChange.NARROWED
    if a.base == "numeric" and b.base == "numeric":
        if not a.mods:
            return TypeChange.NARROWED if b.mods else TypeChange.WIDENED
        precision, scale = a.mods[0], a.mods[1] if len(a.mods) > 1 else 0
        return TypeChange.WIDENED if _fits(precision - scale, scale, b.mods) else TypeChange.NARROWED
    if (a.base, b.base) == ("real", "double precision"):
        return TypeChange.WIDENED
    if a.base == "double precision" and b.base == "real":
        return TypeChange.NARROWED
    if a.base in _STRINGS and b.base in _STRINGS:
        if _STRINGS[b.base] < _STRINGS[a.base]:
            return TypeChange.INCOMPATIBLE  # varchar/text → char pads values with blanks
        return TypeChange.WIDENED if _at_least(a.mods, b.mods) else TypeChange.NARROWED
    if a.base in ("bit", "bit varying") and b.base == "bit varying":
        return TypeChange.WIDENED if _at_least(a.mods, b.mods) else TypeChange.NARROWED
    if a.base == b.base and a.base in _PRECISION:
        return TypeChange.WIDENED if _at_least(a.mods or (6,), b.mods or (6,)) else TypeChange.NARROWED
    return TypeChange.INCOMPATIBLE


def _fits(int_digits: int, scale: int, mods: tuple[int, ...]) -> bool:
    """Does numeric(mods) hold every value with `int_digits` integer and `scale` fraction digits?"""
    if not mods:
        return True
    precision, new_scale = mods[0], mods[1] if len(mods) > 1 else 0
    return new_scale >= scale and precision - new_scale >= int_digits


def _at_least(old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """A length or precision limit: () is unlimited."""
    return not new or (bool(old) and new[0] >= old[0])


_MODS = re.compile(r"\((\d+(?:,\d+)?)\)")
_INT_DIGITS = {"smallint": 5, "integer": 10, "bigint": 19}
# character(n) → varchar(m ≥ n) or text keeps every value (trailing blanks aside, which
# character semantics ignore anyway); the reverse pads: incompatible.
_STRINGS = {"character": 0, "character varying": 1, "text": 1}
_PRECISION = {"timestamp without time zone", "timestamp with time zone", "time without time zone",
              "time with time zone", "interval"}
