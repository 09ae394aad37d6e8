"""Baselines: written sorted and readable in git, matched by fingerprint, stale entries listed,
bad files refused with a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemadocs.checks import baseline
from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.errors import ConfigError, SchemadocsError
from tests.checks.lint_helpers import catalog

ONLY_PK = Settings(rules=("no-primary-key",))


def test_write_is_sorted_pretty_json_one_entry_per_finding(tmp_path: Path) -> None:
    report = lint(catalog("zeta", "alpha", "mid"), ONLY_PK)
    path = tmp_path / "baseline.json"
    assert baseline.write(report, path) == 3
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert [e["object"] for e in data["findings"]] == ["s.alpha", "s.mid", "s.zeta"]
    assert {e["fingerprint"] for e in data["findings"]} == {f.fingerprint for f in report.findings}
    assert all(set(e) == {"rule", "object", "fingerprint", "message"} for e in data["findings"])
    assert text.count("\n") > 3 * 4  # pretty: one field a line, so a change is one line in git
    assert [p.name for p in tmp_path.iterdir()] == ["baseline.json"]  # no temporary file left


def test_baseline_leaves_known_findings_out_and_lists_stale_entries(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    baseline.write(lint(catalog("old", "fixed"), ONLY_PK), path)
    report = baseline.apply(lint(catalog("old", "new", "fixed", keyed=("fixed",)), ONLY_PK), baseline.read(path))
    assert [f.object for f in report.findings] == ["s.new"]
    assert report.known == 1
    assert [(e.rule, e.object) for e in report.stale] == [("no-primary-key", "s.fixed")]


def test_fingerprint_is_rule_and_object_not_message(tmp_path: Path) -> None:
    """A reworded message still matches: only rule + object identify a finding."""
    path = tmp_path / "b.json"
    baseline.write(lint(catalog("t"), ONLY_PK), path)
    data = json.loads(path.read_text())
    data["findings"][0]["message"] = "worded differently"
    path.write_text(json.dumps(data))
    report = baseline.apply(lint(catalog("t"), ONLY_PK), baseline.read(path))
    assert report.findings == () and report.known == 1 and report.stale == ()


@pytest.mark.parametrize("content, needle", [
    (None, "does not exist"),
    ("{not json", "is not valid JSON"),
    (b"\xff\xfe", "is not valid JSON"),
    ('{"findings": []}', "is not a schemadocs lint baseline"),
    ('{"format": "schemadocs-lint-baseline/1", "findings": [{"rule": "x"}]}', "entry 1 lacks"),
    ('{"format": "schemadocs-lint-baseline/1", "findings": ["x"]}', "entry 1 lacks"),
])
def test_bad_baseline_files_are_config_errors(tmp_path: Path, content: str | bytes | None, needle: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SchemadocsError, match=needle):
        baseline.read(path)


def test_write_baseline_never_overwrites_a_file_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes.json"
    mine.write_text('{"my": "notes"}')
    with pytest.raises(ConfigError, match="refusing to overwrite .*notes.json: it is not a schemadocs lint baseline"):
        baseline.check_writable(mine)
    assert mine.read_text() == '{"my": "notes"}'
    with pytest.raises(ConfigError, match="no such directory"):
        baseline.check_writable(tmp_path / "missing" / "b.json")
    with pytest.raises(ConfigError, match="it is a directory"):
        baseline.check_writable(tmp_path)
    ours = tmp_path / "b.json"
    baseline.write(lint(catalog("t"), ONLY_PK), ours)
    baseline.check_writable(ours)  # a baseline may be rewritten
    baseline.check_writable(tmp_path / "new.json")
