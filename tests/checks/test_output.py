"""The lint output formats on findings with hostile names: text, json, SARIF (validated against
the official SARIF 2.1.0 schema, vendored beside this file from github.com/oasis-tcs/sarif-spec,
sarif-2.1/schema/sarif-schema-2.1.0.json at e0583813964ec43cea53b6b531b402866095ed1f), GitHub
workflow commands and the Markdown pull-request comment."""

from __future__ import annotations

import json
import re
from html import unescape
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import Report, lint
from schemadocs.checks.finding import Level
from schemadocs.checks.registry import Needs
from schemadocs.checks.output.markdown import MARKER, render_markdown
from schemadocs.checks.output.render import render
from schemadocs.model import QualifiedName
from tests.checks.lint_helpers import HOSTILE, catalog, extra_rule

SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def report() -> Iterator[Report]:
    """Three tables without a key (warnings), every table seen by an info rule with a hostile fix."""
    with extra_rule("test-info", Level.INFO, fix="DROP TABLE x; -- `|` <b>"):
        yield lint(catalog(*HOSTILE, "keyed", keyed=("keyed",)), Settings(rules=("no-primary-key", "test-info")))


def test_json_shape_has_every_field_and_the_summary(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert set(data) == {"findings", "summary"}
    assert len(data["findings"]) == len(report.findings) == 3 + 4
    for item, f in zip(data["findings"], report.findings):
        assert item == {"rule": f.rule, "level": f.level.value, "category": f.category.value, "object": f.object,
                        "message": f.message, "fix": f.fix, "fingerprint": f.fingerprint}
    assert [i["level"] for i in data["findings"]] == ["warning"] * 3 + ["info"] * 4  # worst first
    assert {i["object"] for i in data["findings"] if i["rule"] == "no-primary-key"} == \
        {str(QualifiedName("s", n)) for n in HOSTILE}
    assert data["summary"] == {"total": 7, "error": 0, "warning": 3, "info": 4, "known": 0, "stale": [],
                               "rules_run": ["no-primary-key", "test-info"], "skipped_no_stats": []}


def test_sarif_is_valid_and_names_objects_as_logical_locations(report: Report) -> None:
    data = json.loads(render(report, "sarif"))
    jsonschema.validate(data, SARIF_SCHEMA)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["no-primary-key", "test-info"]
    assert rules[0]["defaultConfiguration"]["level"] == "warning" and "Traps:" in rules[0]["help"]["text"]
    results = run["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
             r["partialFingerprints"]["schemadocs/v1"]) for r in results] == \
        [(f.rule, "note" if f.level is Level.INFO else f.level.value, f.object, f.fingerprint) for f in report.findings]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_without_findings_is_valid() -> None:
    data = json.loads(render(lint(catalog("a", keyed=("a",)), Settings(rules=("no-primary-key",))), "sarif"))
    jsonschema.validate(data, SARIF_SCHEMA)
    assert data["runs"][0]["results"] == []


def test_sarif_schema_rejects_a_broken_document(report: Report) -> None:
    """The vendored schema really checks: a result without a message is refused."""
    data = json.loads(render(report, "sarif"))
    del data["runs"][0]["results"][0]["message"]
    try:
        jsonschema.validate(data, SARIF_SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the SARIF schema accepted a result without a message")


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as GitHub's runner parses it: split at the first `::` after the
    command, properties on `,` and `=`, then each value unescaped."""
    m = re.fullmatch(r"::(\w+) (.*?)::(.*)", line)
    assert m, line
    def unescape(v: str, prop: bool) -> str:
        v = v.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            v = v.replace("%3A", ":").replace("%2C", ",")
        return v.replace("%25", "%")
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), {k: unescape(v, True) for k, v in props.items()}, unescape(m.group(3), False)


def test_github_annotations_survive_hostile_names(report: Report) -> None:
    lines = render(report, "github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(report.findings)  # no name opened a line of its own
    for line, f in zip(commands, report.findings):
        assert "\n" not in line and "\r" not in line
        command, props, message = parse_github(line)
        assert command == {"warning": "warning", "info": "notice"}[f.level.value]
        assert props == {"title": f"{f.rule}: {f.object}"}
        assert message == f.message + (f" Fix: {f.fix}" if f.fix else "")
    assert lines[-1] == "7 findings: 3 warnings, 4 infos"


def test_markdown_is_worst_first_and_names_stay_text(report: Report) -> None:
    text = render(report, "markdown")
    assert text.startswith(MARKER + "\n### Health checks: 7 findings: 3 warnings, 4 infos")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "<b>" not in html and "<a " not in html
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", html)
    assert rows == ["warning"] * 3 + ["info"] * 4  # one row per finding: no name broke a row
    shown = {unescape(c) for c in re.findall(r"<code>(.*?)</code>", html, flags=re.S)}
    assert {re.sub(r"\r\n?|\n", " ", f.object) for f in report.findings} <= shown  # each object, verbatim
    assert "DROP TABLE x; -- `|` <b>" in shown


def test_markdown_leaves_rows_out_past_the_limit_and_says_so() -> None:
    report = lint(catalog(*(f"t{i:03}" for i in range(200))), Settings(rules=("no-primary-key",)))
    text = render_markdown(report, limit=3000)
    assert len(text) <= 3000
    shown = text.count("| warning |")
    assert 0 < shown < 200 and f"**{200 - shown} findings not shown**" in text


def test_text_shows_control_characters_escaped(report: Report) -> None:
    text = render(report, "text")
    assert "\r" not in text and "\x1b" not in text
    assert text.count("\n") == len(text.splitlines())
    assert "we,ird:na%me\\x0d\\x0a::error::" in text
    assert text.splitlines()[-1] == "7 findings: 3 warnings, 4 infos"


def test_every_format_says_which_statistics_rules_were_not_run() -> None:
    """A catalog read with --no-stats (no relation has statistics) skips statistics rules, and says so."""
    with extra_rule("test-stats", Level.WARNING, needs=Needs.STATISTICS):
        report = lint(catalog("t"), Settings(rules=("test-stats",)))
        assert report.skipped_no_stats == ("test-stats",) and report.findings == ()
        for fmt in ("text", "github", "markdown"):
            assert "--no-stats" in render(report, fmt) and "test-stats" in render(report, fmt), fmt
        assert json.loads(render(report, "json"))["summary"]["skipped_no_stats"] == ["test-stats"]
