"""Baselines: accept today's findings, report only new ones.

In: a `Report` (to record, or to filter) and a baseline file. Out: the file, pretty JSON
sorted by rule and object so it diffs well in git, one entry per finding —
`{"fingerprint", "rule", "object", "message"}` (the fingerprint, rule + object, is what
matches; the rest is for people) — or the report with the known findings left out, counted,
and the baseline entries that no longer match any finding listed as stale.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.checks.engine import Report
from schemadocs.errors import ConfigError, SchemadocsError
from schemadocs.json_input import parse_json

FORMAT = "schemadocs-lint-baseline/1"


@dataclass(frozen=True, order=True)
class Entry:
    rule: str
    object: str
    fingerprint: str
    message: str = ""


def apply(report: Report, entries: tuple[Entry, ...]) -> Report:
    """`report` without the findings whose fingerprint the baseline holds; `known` counts them,
    `stale` lists the entries no finding matched."""
    known = {e.fingerprint for e in entries}
    found = {f.fingerprint for f in report.findings}
    kept = tuple(f for f in report.findings if f.fingerprint not in known)
    stale = tuple(sorted(e for e in entries if e.fingerprint not in found))
    return dataclasses.replace(report, findings=kept, known=len(report.findings) - len(kept), stale=stale)


def check_writable(path: Path) -> None:
    """Refuse, before any work, a baseline path that cannot be written or that holds a file
    schemadocs did not write (never overwritten: it is not ours)."""
    path = Path(path)
    if path.is_dir() or not path.parent.is_dir():
        raise ConfigError(f"cannot write the baseline {path}: {'it is a directory' if path.is_dir() else 'no such directory'}")
    if path.exists():
        try:
            read(path)
        except SchemadocsError:
            raise ConfigError(f"refusing to overwrite {path}: it is not a schemadocs lint baseline; "
                              "name a new file") from None


def write(report: Report, path: Path) -> int:
    """Record every finding of `report` in `path` (replaced atomically); returns how many."""
    entries = sorted({Entry(f.rule, f.object, f.fingerprint, f.message) for f in report.findings})
    text = json.dumps({"format": FORMAT, "findings": [dataclasses.asdict(e) for e in entries]},
                      indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(Path(path), text)
    except OSError as exc:
        raise ConfigError(f"cannot write the baseline {path} ({exc.strerror})") from None
    return len(entries)


def read(path: Path) -> tuple[Entry, ...]:
    """The entries of a baseline file written by `write`; a bad file is a one-line error."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"baseline {path} does not exist; create it with `schemadocs lint --write-baseline {path}`") from None
    except OSError as exc:
        raise ConfigError(f"baseline {path} cannot be read ({exc.strerror})") from None
    data = parse_json(raw, f"baseline {path}", "re-create it with --write-baseline")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path} is not a schemadocs lint baseline (expected format {FORMAT!r}); "
                          "re-create it with --write-baseline")
    entries = []
    for n, e in enumerate(data["findings"], 1):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("rule", "object", "fingerprint")):
            raise ConfigError(f"baseline {path}: entry {n} lacks rule, object or fingerprint; "
                              "re-create it with --write-baseline")
        entries.append(Entry(e["rule"], e["object"], e["fingerprint"], str(e.get("message", ""))))
    return tuple(entries)
