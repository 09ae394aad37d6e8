"""`schemadocs lint` and `schemadocs rules` end to end: real processes on a real PostgreSQL
database with planted tables without a primary key (and traps: a keyed partitioned table and
its partition, a view), exit codes, baselines, the project file and bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from schemadocs.checks.output.rule_doc import render_rule
from schemadocs.checks.registry import all_rules
from schemadocs.model import QualifiedName
from tests.test_cli import SECRET, assert_clean_error, run

HOSTILE = "we,ird:na%me\n::error::x"
PLANTED = f"""
CREATE SCHEMA app;
CREATE TABLE app.keyed (id int PRIMARY KEY);
CREATE TABLE app.events (at timestamptz);
CREATE TABLE app.audit_log (msg text);
CREATE TABLE app."{HOSTILE}" (a int);
CREATE TABLE app.parted (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE app.parted_1 PARTITION OF app.parted FOR VALUES FROM (0) TO (10);
CREATE VIEW app.v AS SELECT * FROM app.events;
"""
UNKEYED = sorted(str(QualifiedName("app", n)) for n in ("events", "audit_log", HOSTILE))
SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def planted_dsn(new_database) -> str:
    return new_database(PLANTED, prefix="lint")


@pytest.fixture(scope="module")
def planted(planted_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lint") / "planted.json"
    done = run("snapshot", "--dsn", planted_dsn, "-o", str(path))
    assert done.returncode == 0, done.stderr
    return path


def lint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run("lint", "--rule", "no-primary-key", *args, cwd=cwd)


def objects(done: subprocess.CompletedProcess) -> list[str]:
    return sorted(f["object"] for f in json.loads(done.stdout)["findings"])


def test_live_database_and_snapshot_give_the_same_findings(planted_dsn: str, planted: Path) -> None:
    live, offline = lint("--dsn", planted_dsn, "--format", "json"), lint("--snapshot", str(planted), "--format", "json")
    assert live.returncode == offline.returncode == 0, live.stderr + offline.stderr  # warnings; --fail-on error
    assert objects(live) == objects(offline) == UNKEYED
    assert live.stdout == offline.stdout


@pytest.mark.parametrize("fail_on, level, code", [
    ("error", None, 0), ("warning", None, 1), ("info", None, 1), ("never", None, 0),
    (None, "error", 1), ("warning", "info", 0), ("info", "info", 1), ("never", "error", 0),
])
def test_fail_on_levels_set_the_exit_code(planted: Path, tmp_path: Path, fail_on: str | None, level: str | None,
                                          code: int) -> None:
    args = ["--snapshot", str(planted)] + (["--fail-on", fail_on] if fail_on else [])
    if level:
        (tmp_path / "schemadocs.yml").write_text(f"checks:\n  rules:\n    no-primary-key:\n      level: {level}\n")
    done = lint(*args, "--format", "json", cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert {f["level"] for f in json.loads(done.stdout)["findings"]} == {level or "warning"}
    if code == 1:
        assert_clean_error(done, f"3 findings at level {fail_on or 'error'} or above", "--write-baseline")


def test_baseline_reports_only_new_findings_and_stale_entries(planted: Path, tmp_path: Path) -> None:
    base = tmp_path / "lint-baseline.json"
    done = lint("--snapshot", str(planted), "--exclude", "app.audit_log", "--write-baseline", str(base),
                "--fail-on", "warning")
    assert done.returncode == 0 and f"wrote 2 findings to {base}" in done.stderr
    assert sorted(e["object"] for e in json.loads(base.read_text())["findings"]) == \
        [o for o in UNKEYED if o != "app.audit_log"]

    done = lint("--snapshot", str(planted), "--baseline", str(base), "--fail-on", "warning", "--format", "json")
    assert done.returncode == 1 and objects(done) == ["app.audit_log"]
    assert json.loads(done.stdout)["summary"]["known"] == 2

    done = lint("--snapshot", str(planted), "--baseline", str(base), "--exclude", "app.events", "--exclude",
                "app.audit_log", "--fail-on", "warning")
    assert done.returncode == 0, done.stderr
    assert "0 findings (1 known finding left out by the baseline)" in done.stdout
    assert "1 baseline entry no longer found" in done.stdout and "  no-primary-key  app.events" in done.stdout


def test_write_baseline_is_stable_across_runs(planted: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        assert lint("--snapshot", str(planted), "--write-baseline", str(path)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_project_file_in_the_working_directory_or_named_by_config(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "schemadocs.yml").write_text("checks:\n  rules:\n    no-primary-key:\n      exclude: ['app.e*']\n")
    other = tmp_path / "other.yml"
    other.write_text("checks:\n  skip: [no-primary-key]\n")
    assert objects(lint("--snapshot", str(planted), "--format", "json", cwd=tmp_path)) == \
        [o for o in UNKEYED if o != "app.events"]
    done = run("lint", "--snapshot", str(planted), "--format", "json", "--config", str(other), cwd=tmp_path)
    assert done.returncode == 0 and "no-primary-key" not in json.loads(done.stdout)["summary"]["rules_run"]


def test_formats_from_the_command_line(planted: Path) -> None:
    sarif = lint("--snapshot", str(planted), "--format", "sarif")
    jsonschema.validate(json.loads(sarif.stdout), SARIF_SCHEMA)
    github = lint("--snapshot", str(planted), "--format", "github").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in github] == ["::warning"] * 3 + ["3"]
    markdown = lint("--snapshot", str(planted), "--format", "markdown").stdout
    assert markdown.count("| warning |") == 3


def test_the_demo_lints_with_every_rule(demo_dsn: str) -> None:
    done = run("lint", "--dsn", demo_dsn, "--format", "sarif")
    data = json.loads(done.stdout)
    jsonschema.validate(data, SARIF_SCHEMA)
    assert {r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]} == set(all_rules())
    errors = [r for r in data["runs"][0]["results"] if r["level"] == "error"]
    assert done.returncode == (1 if errors else 0), done.stderr


def test_rules_print_the_registry_documentation() -> None:
    rules = all_rules()
    listed = run("lint", "--list-rules")
    assert listed.returncode == 0 and listed.stdout == "\n".join(render_rule(r) for r in rules.values())
    one = run("rules", "no-primary-key")
    assert one.returncode == 0 and one.stdout == render_rule(rules["no-primary-key"])
    assert rules["no-primary-key"].traps.split()[0] in one.stdout


@pytest.mark.parametrize("args, needle", [
    (("--rule", "no-such-rule"), "unknown rule id no-such-rule"),
    (("--skip", "no-such-rule"), "unknown rule id no-such-rule"),
    (("--baseline", "missing.json"), "baseline missing.json does not exist"),
    (("--baseline", "a.json", "--write-baseline", "b.json"), "pass either --baseline"),
    (("--config", "missing.yml"), "project file missing.yml does not exist"),
    (("--dsn", "postgresql://x@127.0.0.1:1/db"), "pass either --dsn or --snapshot"),
    (("--format", "xml"), "'xml' is not one of"),
    (("--fail-on", "fatal"), "'fatal' is not one of"),
])
def test_bad_input_is_one_error_line_and_exit_2(planted: Path, tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    done = run("lint", "--snapshot", str(planted), *args, cwd=tmp_path)
    assert done.returncode == 2
    assert_clean_error(done, needle)


def test_config_errors_name_the_file_and_line(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "schemadocs.yml").write_text("checks:\n  rules:\n    no-primary-key:\n      level: loud\n")
    done = run("lint", "--snapshot", str(planted), cwd=tmp_path)
    assert done.returncode == 2
    assert_clean_error(done, "schemadocs.yml line 4: level 'loud' is not one of error, warning, info")


def test_a_bad_baseline_file_is_an_error(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"findings": 3}')
    done = run("lint", "--snapshot", str(planted), "--baseline", "b.json", cwd=tmp_path)
    assert done.returncode == 2
    assert_clean_error(done, "b.json is not a schemadocs lint baseline")


def test_no_password_in_output_when_the_database_is_unreachable() -> None:
    done = run("lint", "--dsn", f"postgresql://someone:{SECRET}@127.0.0.1:1/nodb")
    assert done.returncode == 2
    assert_clean_error(done)


def test_an_exclude_naming_nothing_is_an_error(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "schemadocs.yml").write_text("checks:\n  rules:\n    no-primary-key:\n      exclude: ['app.evnets']\n")
    done = run("lint", "--snapshot", str(planted), cwd=tmp_path)
    assert done.returncode == 2
    assert_clean_error(done, "the exclude 'app.evnets' of rule no-primary-key matches no object")


def test_write_baseline_refuses_a_file_it_did_not_write(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# mine\n")
    done = run("lint", "--snapshot", str(planted), "--write-baseline", "README.md", cwd=tmp_path)
    assert done.returncode == 2
    assert_clean_error(done, "refusing to overwrite README.md")
    assert (tmp_path / "README.md").read_text() == "# mine\n"
