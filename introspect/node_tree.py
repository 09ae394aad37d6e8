"""Parse PostgreSQL's pg_node_tree text (e.g. pg_rewrite.ev_action) into plain Python data.

In: the text form PostgreSQL's outfuncs write: `{QUERY :commandType 1 :rtable (...) ...}`.
Out: nested values: a node becomes a dict with its type under "_" and one key per field;
a list becomes a list; `<>` becomes None; integer, OID and bitmap lists `(i 1 2)`,
`(o 23)`, `(b 8 10)` become lists of ints; other atoms stay strings, unescaped.
The tokenizer follows PostgreSQL's pg_strtok: whitespace separates tokens, ( ) { } are
tokens of their own, and a backslash makes the next character an ordinary one.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"(?:\\.|[^\s(){}\\])+|[(){}]", re.S)
_UNESCAPE = re.compile(r"\\(.)", re.S)
_SPECIAL = frozenset("(){}")


def node_tree(text: str) -> Any:
    """Parse one pg_node_tree value."""
    tokens = _TOKEN.findall(text)
    value, end = _value(tokens, 0)
    return value


def _value(tokens: list[str], i: int) -> tuple[Any, int]:
    tok = tokens[i]
    if tok == "{":
        return _node(tokens, i + 1)
    if tok == "(":
        return _list(tokens, i + 1)
    return _atom(tok), i + 1


def _node(tokens: list[str], i: int) -> tuple[dict[str, Any], int]:
    node: dict[str, Any] = {"_": tokens[i]}
    i += 1
    while tokens[i] != "}":
        field = tokens[i][1:]  # ":name"
        i += 1
        values = []
        while tokens[i] != "}" and not (tokens[i].startswith(":") and tokens[i] not in _SPECIAL):
            value, i = _value(tokens, i)
            values.append(value)
        node[field] = values[0] if len(values) == 1 else (None if not values else values)
    return node, i + 1


def _list(tokens: list[str], i: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    if tokens[i] in ("i", "o", "b", "x"):  # integer, OID, bitmapset or XID list
        i += 1
        while tokens[i] != ")":
            items.append(int(tokens[i]))
            i += 1
        return items, i + 1
    while tokens[i] != ")":
        value, i = _value(tokens, i)
        items.append(value)
    return items, i + 1


def _atom(tok: str) -> Any:
    if tok == "<>":
        return None
    if len(tok) >= 2 and tok[0] == '"' and tok[-1] == '"' and (len(tok) - len(tok[:-1].rstrip("\\")) - 1) % 2 == 0:
        tok = tok[1:-1]  # a String node: quotes around outToken-escaped text
    return _UNESCAPE.sub(r"\1", tok) if "\\" in tok else tok
