"""Reading JSON that a user hands us (snapshots, change histories): bytes in, values out.

In: the raw bytes of a file and how to name it in a message. Out: the parsed JSON, or a
one-line `SnapshotError` for text that is not UTF-8, not JSON, or nested deeper than 1,024
levels (orjson's limit; Python's json module would hit the recursion limit instead).
"""

from __future__ import annotations

from typing import Any

import orjson

from schemadocs.errors import SnapshotError


def parse_json(raw: bytes | str, source: str, advice: str) -> Any:
    """The JSON value in `raw`; `advice` ends the error message (what to do instead)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"{source} is not valid JSON ({shorten(str(exc))}); {advice}") from None


def shorten(text: str, limit: int = 120) -> str:
    """`text` on one line and at most `limit` characters: hostile input must not flood a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
