"""The change history of a documentation site: what changed in each build, newest first.

In: the history kept in the previous site (`changes.json`), this build's `Diff` and its
time. Out: the new history, and its JSON text, kept in the new site for the next build:

    {"format": "schemadocs-changes", "version": 1,
     "builds": [{"built_at": "2026-05-01T12:00:00Z", "old": "...", "new": "...",
                 "changes": [... the change objects of `schemadocs diff --format json` ...]}]}

Only builds that changed something are recorded. The time is the current UTC time, or
SOURCE_DATE_EPOCH when set (reproducible builds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemadocs.diff.change import Change, Diff
from schemadocs.errors import SnapshotError
from schemadocs.json_input import parse_json, shorten
from schemadocs.snapshot import from_plain, to_plain

FORMAT = "schemadocs-changes"
VERSION = 1


@dataclass(frozen=True, kw_only=True)
class Build:
    built_at: str  # ISO 8601, UTC, seconds: 2026-05-01T12:00:00Z
    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def diff(self) -> Diff:
        return Diff(self.changes, self.old, self.new)


History = tuple[Build, ...]


def record(history: History, diff: Diff, built_at: str | None = None) -> History:
    """The history with this build's changes first (unchanged when nothing changed)."""
    if not diff:
        return history
    return (Build(built_at=built_at or now(), old=diff.old, new=diff.new, changes=diff.changes), *history)


def now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(history: History) -> str:
    data = {"format": FORMAT, "version": VERSION, "builds": [to_plain(b) for b in history]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def loads(text: str | bytes, source: str = "change history") -> History:
    advice = "delete it to start a new history"
    data = parse_json(text, source, advice)
    try:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} version {VERSION} file")
        return tuple(from_plain(Build, b) for b in data["builds"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SnapshotError(f"{source} cannot be read ({shorten(str(exc))}); {advice}") from None


def load(path: Path) -> History:
    """The history in `path`; empty when there is no such file."""
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise SnapshotError(f"cannot read change history {path}: {exc.strerror}; check the path") from None
    return loads(text, source=f"change history {path}")
