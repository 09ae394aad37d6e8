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


def node_tree(text: str) -> Any:
    """Parse one pg_node_tree value (one pass over the tokens, no recursion)."""
    root: list[Any] = []
    # Frames: [dict, field, values] for a node; [list, is_number_list] for a list.
    stack: list[list[Any]] = [[root, False]]
    tokens = iter(_tokens(text))
    for tok in tokens:  # the tests below go from the most common kind of token to the least
        top = stack[-1]
        if tok[0] == ":" and len(top) == 3:  # the next field of a node
            _close_field(top)
            top[1], top[2] = tok[1:], []
            continue
        if tok in _BRACKETS:
            if tok == "{":
                stack.append([{"_": next(tokens)}, None, []])  # the token after "{" is the node's type
                continue
            if tok == "(":
                stack.append([[], None])
                continue
            frame = stack.pop()
            if tok == "}":
                _close_field(frame)
            value = frame[0]
            top = stack[-1]
        elif len(top) == 2 and top[1]:
            value = int(tok)
        elif len(top) == 2 and top[1] is None and not top[0] and tok in _NUMBER_LISTS:
            top[1] = True  # (i 1 2), (o 23), (b 8 10), (x ...)
            continue
        elif tok == "<>" or tok[0] == '"' or "\\" in tok:
            value = _atom(tok)
        else:
            value = tok  # a plain word or number: most atoms
        if len(top) == 3:
            top[2].append(value)
        else:
            top[0].append(value)
    return root[0] if root else None


def _tokens(text: str) -> list[str]:
    """The tokens of a node tree; without backslashes, splitting on spaces is enough (and 4x faster)."""
    if "\\" in text:
        return _TOKEN.findall(text)
    return text.replace("(", " ( ").replace(")", " ) ").replace("{", " { ").replace("}", " } ").split()


_NUMBER_LISTS = frozenset({"i", "o", "b", "x"})
_BRACKETS = frozenset("{}()")


def _close_field(frame: list[Any]) -> None:
    node, field, values = frame
    if field is not None:
        node[field] = values[0] if len(values) == 1 else (values or None)


def _atom(tok: str) -> Any:
    if tok == "<>":
        return None
    if len(tok) >= 2 and tok[0] == '"' and tok[-1] == '"' and (len(tok) - len(tok[:-1].rstrip("\\")) - 1) % 2 == 0:
        tok = tok[1:-1]  # a String node: quotes around outToken-escaped text
    return _UNESCAPE.sub(r"\1", tok) if "\\" in tok else tok
