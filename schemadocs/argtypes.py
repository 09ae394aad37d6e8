"""A routine's argument types alone, read from its identity arguments.

In: the text pg_get_function_identity_arguments() writes (`a integer, VARIADIC b text[]`, for a
procedure `IN a integer, OUT b text`, for an ordered-set aggregate `double precision ORDER BY
anyelement`). Out: the types of the input arguments alone, comma-separated as
oidvectortypes(proargtypes) writes them (`integer, text[]`). Introspection reads both and keeps
the types only where this reading of the arguments would miss them (`Routine.argument_types`);
snapshots written before then have only the arguments.

PostgreSQL writes each argument as [mode] [name] type: the mode in capitals, the name quoted
wherever it would not read back as that name, the type as format_type() writes it. OUT arguments
(listed since PostgreSQL 14) are not input arguments and are left out. A type is one word
(`integer`, `text[]`, `s."T"`) or one of a few phrases of SQL's own (`double precision`,
`timestamp with time zone`), whose first word, as a name, would be quoted; so a first word
followed by more than a type is the name.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1 << 12)
def argument_types(arguments: str) -> str:
    """`integer, text[]` from `a integer, VARIADIC b text[], OUT c date` (see the module docstring)."""
    return ", ".join(_type(words) for words in _arguments(arguments) if words[0] != "OUT")


def _arguments(arguments: str) -> list[list[str]]:
    """Each argument as its words (a quoted identifier is part of its word, spaces and all);
    arguments are separated by commas, and by ORDER BY in an ordered-set aggregate's."""
    found: list[list[str]] = [[]]
    for word in _WORD.findall(arguments):
        if word == ",":
            found.append([])
        elif word == "BY" and found[-1][-1:] == ["ORDER"]:
            found[-1].pop()
            found.append([])
        else:
            found[-1].append(word)
    return [words for words in found if words]


def _type(words: list[str]) -> str:
    """The type of one argument given as [mode] [name] type."""
    if words[0] in _MODES and len(words) > 1:
        words = words[1:]
    if len(words) > 1 and " ".join(words).removesuffix("[]") not in _PHRASES:
        words = words[1:]  # the name
    return " ".join(words)


_WORD = re.compile(r'(?:"(?:[^"]|"")*"|[^\s,"])+|,')
_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})
_PHRASES = frozenset({  # format_type()'s types of more than one word (without a type modifier)
    "double precision", "character varying", "bit varying", "time with time zone", "time without time zone",
    "timestamp with time zone", "timestamp without time zone",
})
