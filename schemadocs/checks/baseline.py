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
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from schemadocs.checks.engine import Report
from schemadocs.errors import ConfigError

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


def write(report: Report, path: Path) -> int:
    """Record every finding of `report` in `path` (replaced atomically); returns how many."""
    entries = sorted({Entry(f.rule, f.object, f.fingerprint, f.message) for f in report.findings})
    text = json.dumps({"format": FORMAT, "findings": [dataclasses.asdict(e) for e in entries]},
                      indent=2, ensure_ascii=False) + "\n"
    path = Path(path)
    # TODO(atomic): use schemadocs.atomic.write_atomic once it is merged (issue: four copies of this)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(entries)


def read(path: Path) -> tuple[Entry, ...]:
    """The entries of a baseline file written by `write`; a bad file is a `ConfigError`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline {path} does not exist; create it with `schemadocs lint --write-baseline {path}`") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"baseline {path} is not readable JSON ({exc}); re-create it with --write-baseline") from None
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
