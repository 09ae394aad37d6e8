"""Answers kept within a size: what an agent gets is never larger than it asked for, and
always says what was left out.

In: an answer's Markdown text or its JSON-ready data, and a limit in characters. Out: the
text cut at a line break with a closing note, or the data with its largest lists shortened
and its longest strings cut (largest first) until its JSON fits, plus one note per
shortened part (`columns: 40 of 160 left out`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

MIN_CHARS = 500  # below this, no answer can say anything useful
_KEEP_STRING = 120  # a cut string keeps at least this much


def bound_data(data: dict[str, Any], limit: int) -> tuple[dict[str, Any], list[str]]:
    """`data` (a copy) made to fit `limit` characters of JSON, and what was left out."""
    out = copy.deepcopy(data)
    lengths: dict[str, int] = {}  # path → original length of each list or string cut
    while _size(out) > limit:
        cut = _largest(out)
        if cut is None:
            break
        path, parent, key, value = cut
        lengths.setdefault(path, len(value))
        if isinstance(value, list):
            parent[key] = value[: len(value) // 2]
        else:
            parent[key] = value[: max(_KEEP_STRING, len(value) // 2)] + "…"
    notes = []
    for path, original in sorted(lengths.items()):
        try:
            now = _at(out, path)
        except (IndexError, KeyError):  # inside a list item that was then left out itself: its note says so
            continue
        if isinstance(now, list):
            notes.append(f"{path}: {original - len(now)} of {original} items left out")
        else:
            notes.append(f"{path}: cut to {len(now) - 1} of {original} characters")
    return out, notes


def bound_text(text: str, limit: int, more: str = "ask for less, or raise max_chars") -> str:
    """`text` within `limit` characters: cut at a line break, with a note saying how much is left out."""
    if len(text) <= limit:
        return text
    note = f"\n\n… {{}} more characters left out ({more})\n"
    room = max(0, limit - len(note) - 12)
    cut = text.rfind("\n", 0, room)
    cut = cut if cut > room // 2 else room
    return text[:cut] + note.format(len(text) - cut)


def _size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _largest(data: Any) -> tuple[str, Any, Any, Any] | None:
    """The largest shortenable part: a non-empty list, or a string longer than it would be cut to."""
    best: tuple[int, str, Any, Any, Any] | None = None
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            here = f"{path}.{key}" if isinstance(node, dict) else f"{path}[{key}]"
            here = here.lstrip(".")
            if isinstance(value, list) and value or isinstance(value, str) and len(value) > _KEEP_STRING + 1:
                size = _size(value)
                if best is None or size > best[0]:
                    best = (size, here, node, key, value)
            if isinstance(value, dict | list):
                stack.append((here, value))
    return None if best is None else best[1:]


def _at(data: Any, path: str) -> Any:
    node = data
    for part in path.replace("[", ".[").split("."):
        if part:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    return node
