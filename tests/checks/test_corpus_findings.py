"""Golden findings of every rule on the demo and on every corpus entry (the structure is read
without statistics, so the statistics rules are skipped and the findings are deterministic).
Each golden file was reviewed finding by finding against the rule's definition.

To accept an intended change: `SCHEMADOCS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/checks/test_corpus_findings.py`,
then review `git diff tests/checks/golden`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.introspect.introspect import introspect
from schemadocs.model import Catalog
from tests.corpus import CORPUS, entries

GOLDEN = Path(__file__).parent / "golden"


def findings_text(catalog: Catalog) -> str:
    """One line per finding: level, rule, object (report order)."""
    report = lint(catalog, Settings())
    return "".join(f"{f.level.value}\t{f.rule}\t{f.object}\n" for f in report.findings)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.tsv"
    if os.environ.get("SCHEMADOCS_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with SCHEMADOCS_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"findings on {name} differ from {path}"


def test_demo_findings(demo_dsn: str) -> None:
    check_golden("demo", findings_text(introspect(demo_dsn, stats=False)))


@pytest.mark.skipif(not entries(), reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS")
@pytest.mark.parametrize("entry", entries())
def test_corpus_findings(entry: str, corpus_db) -> None:
    check_golden(entry, findings_text(introspect(corpus_db(entry).dsn, stats=False)))
