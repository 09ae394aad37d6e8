"""How findings name what to change (the `object` of a finding).

In: a relation and a member's name(s). Out: the quote_ident-qualified text: `s.t.c` for a
column, `s.t.a,b` for a multi-column key, `s.t.name` for a constraint or policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemadocs.model import Relation, qualified, quote_ident

NAME_LIMIT = 63  # NAMEDATALEN - 1 bytes: PostgreSQL truncates longer identifiers silently


def may_reach_limit(name: str) -> bool:
    """True when `name` may be NAME_LIMIT bytes long: NAME_LIMIT characters or more, or not ASCII
    (a character then takes up to 4 bytes). The cheap test before counting bytes."""
    return len(name) >= NAME_LIMIT or not name.isascii()


def member(relation: Relation, names: Iterable[str]) -> str:
    """`s.t.a` for one column or constraint name, `s.t.a,b` for a multi-column key."""
    return f"{qualified(relation.schema, relation.name)}.{','.join(map(quote_ident, names))}"


def column_list(names: Iterable[str]) -> str:
    """`a, "B"`: columns as SQL (for the fix)."""
    return ", ".join(map(quote_ident, names))
