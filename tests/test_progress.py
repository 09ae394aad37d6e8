"""Progress and feedback as a user sees them: a live display on a terminal (a real pty), one
plain line per stage elsewhere, --quiet, --verbose, --timings (validated by its JSON Schema),
and a MkDocs warning as one line. Real processes against a real PostgreSQL."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from schemadocs.progress import PLAIN_LINE
from tests.inprocess import run_cli
from tests.test_cli import clean_env, run

SCHEMA = json.loads((Path(__file__).parents[1] / "schemadocs" / "timings.schema.json").read_text(encoding="utf-8"))
PLAIN = PLAIN_LINE
BUILD_STAGES = ["load snapshot", "health checks", "graphs", "page contexts", "diagrams", "pages", "write pages",
                "mkdocs", "swap"]
SMALL = """
CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customer, total numeric);
CREATE VIEW big_orders AS SELECT o.id, c.name FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.total > 100;
COMMENT ON TABLE customer IS 'Who buys';
"""


def plain_stages(stderr: str) -> list[str]:
    return [m["name"] for m in map(PLAIN.match, stderr.splitlines()) if m]


@pytest.fixture(scope="module")
def small(new_database, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, Path]:
    """A snapshot of a small database, written by `schemadocs snapshot` without a terminal."""
    where = tmp_path_factory.mktemp("progress")
    done = run("snapshot", "--dsn", new_database(SMALL, prefix="progress"), "-o", str(where / "snap.json"),
               "--timings", str(where / "snapshot-timings.json"), cwd=where)
    assert done.returncode == 0, done.stderr
    return where, done, where / "snapshot-timings.json"


def test_snapshot_without_a_terminal_prints_one_plain_line_per_stage(small):
    _, done, timings_file = small
    assert "\x1b[" not in done.stderr and "\r" not in done.stderr  # nothing redrawn
    assert plain_stages(done.stderr) == ["introspect", "write snapshot"]
    introspect_line = next(line for line in done.stderr.splitlines() if line.startswith("- introspect"))
    queries = PLAIN.match(introspect_line)["detail"]
    assert re.fullmatch(r"(\d+) of \1", queries), introspect_line  # every query kind done
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    jsonschema.validate(timings, SCHEMA, format_checker=jsonschema.FormatChecker())
    steps = [s["name"] for s in timings["stages"][0]["steps"]]
    assert {"columns", "constraints", "relations"} <= set(steps)  # timed per query kind
    assert len(steps) == timings["stages"][0]["total"] == timings["stages"][0]["done"]


def test_build_verbose_with_timings(small):
    where, _, _ = small
    done = run("build", "--snapshot", str(where / "snap.json"), "--out", str(where / "site"), "--verbose",
               "--timings", str(where / "build-timings.json"), cwd=where)
    assert done.returncode == 0, done.stderr
    assert plain_stages(done.stderr) == BUILD_STAGES
    mkdocs = next(PLAIN.match(line) for line in done.stderr.splitlines() if line.startswith("- mkdocs"))
    built = re.search(r"(\d+) of (\d+)", mkdocs["detail"])
    assert built and built[1] == built[2] and int(built[1]) >= 5  # pages written of N
    assert "timings of `schemadocs build`" in done.stderr
    assert re.search(r"^cache: diagrams: 0 reused, [1-9]\d* drawn$", done.stderr, flags=re.M), done.stderr
    assert "WARNING" not in done.stderr and "INFO" not in done.stderr  # MkDocs' log never raw
    timings = json.loads((where / "build-timings.json").read_text(encoding="utf-8"))
    jsonschema.validate(timings, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [s["name"] for s in timings["stages"]] == BUILD_STAGES
    assert timings["command"] == "build" and timings["cache"]["diagrams"]["reused"] == 0
    assert sum(s["seconds"] for s in timings["stages"]) <= timings["seconds"]


def test_build_on_a_terminal_draws_live_progress(small):
    """The second build over the same site, on a pseudo-terminal: a live display, diagrams reused."""
    where, _, _ = small
    if not (where / "site").is_dir():
        pytest.fail("runs after test_build_verbose_with_timings, which builds the site")
    code, stderr, stdout = run_on_pty(["build", "--snapshot", str(where / "snap.json"), "--out", str(where / "site"),
                                       "--verbose"], cwd=where)
    assert code == 0, stderr
    assert "\x1b[" in stderr  # drawn with escape sequences, redrawn in place
    assert plain_stages(stderr.replace("\r", "\n")) == []  # no plain lines on a terminal
    for name in BUILD_STAGES:
        assert name in stderr
    assert re.search(r"cache: diagrams: [1-9]\d* reused, 0 drawn", stderr), stderr
    assert "site:" in stdout


def test_quiet_prints_nothing_but_the_output(small):
    where, _, _ = small
    done = run("build", "--snapshot", str(where / "snap.json"), "--out", str(where / "quiet-site"), "--quiet",
               cwd=where)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("site: ")


def test_a_mkdocs_warning_is_one_clear_line(small):
    where, _, _ = small
    project = where / "warned"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(f"INHERIT: {Path(__file__).parents[1] / 'schemadocs' / 'default_mkdocs.yml'}\n"
                                        "site_name: warned\ndocs_dir: docs\n", encoding="utf-8")
    done = run("build", "--snapshot", str(where / "snap.json"), "--out", str(project / "site"), cwd=project)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if not PLAIN.match(line)]
    assert len(lines) == 1 and lines[0].startswith("error: MkDocs could not build the site"), done.stderr
    assert "missing.md" in lines[0] and "Traceback" not in done.stderr
    assert plain_stages(done.stderr)[-1] == "write pages"  # the failed stage prints no line of success


def test_quiet_and_verbose_together_is_a_usage_error(tmp_path):
    code, stderr = run_cli("build", "--snapshot", str(tmp_path / "x.json"), "--quiet", "--verbose")
    assert code == 2 and stderr.startswith("error: pass either --quiet or --verbose")


def test_timings_into_a_missing_folder_fails_before_work(tmp_path):
    code, stderr = run_cli("build", "--snapshot", str(tmp_path / "x.json"), "--timings", str(tmp_path / "no" / "t.json"))
    assert code == 2 and "--timings" in stderr and "does not exist" in stderr


def run_on_pty(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal; (exit code, what the terminal got, stdout)."""
    master, slave = pty.openpty()
    env = clean_env(TERM="xterm-256color", COLUMNS="120", LINES="40")
    proc = subprocess.Popen([sys.executable, "-m", "schemadocs", *args], stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    return proc.wait(timeout=120), b"".join(chunks).decode(errors="replace"), stdout
