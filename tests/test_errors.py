"""Bad input and a hostile environment end in one `error: ...` line with exit 2, never a
traceback, and leave no temporary file: real processes, a real server, real full disks and
read-only mounts (tmpfs in a mount namespace of their own)."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.test_cli import SECRET, assert_clean_error, clean_env, embedded_postgres_pids, run

CORPUS = Path(__file__).parent / "corrupt"


def assert_error_line(done: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit 2 and one `error: ...` line, the last one (progress lines may come before it)."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], done.stderr
    assert len(lines[-1]) < 1100 and SECRET not in done.stderr + done.stdout
    for needle in needles:
        assert needle in lines[-1], lines[-1]


def test_dsn_may_set_connect_timeout_and_application_name(demo_dsn):
    done = run("snapshot", "--dsn", make_conninfo(demo_dsn, connect_timeout="7", application_name="mine"))
    assert done.returncode == 0, done.stderr
    assert '"format_version": 1' in done.stdout


def test_pghost_errors_name_the_host():
    done = run("snapshot", env=clean_env(PGHOST="no-such-host.invalid", PGUSER="u", PGPASSWORD=SECRET))
    assert_clean_error(done, "no-such-host.invalid", "cannot connect")
    assert "None" not in done.stderr


def test_connection_killed_mid_introspection(new_database, pg_server):
    """The backend is terminated while a catalog query waits for a lock: the message says the
    connection was lost, not the rollback's "the connection is lost" traceback."""
    dsn = new_database("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t;", prefix="kill")
    with psycopg.connect(dsn) as locker:
        locker.execute("LOCK TABLE v IN ACCESS EXCLUSIVE MODE")  # pg_get_viewdef(v) now waits
        proc = subprocess.Popen([sys.executable, "-m", "schemadocs", "snapshot", "--dsn", dsn, "--lock-timeout", "120"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
        try:
            with psycopg.connect(pg_server, autocommit=True) as admin:
                deadline = time.monotonic() + 60
                while not admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'schemadocs' "
                        "AND datname = %s AND wait_event_type = 'Lock'", (conninfo_to_dict(dsn)["dbname"],)).fetchall():
                    assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                    time.sleep(0.05)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        locker.rollback()
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    assert_clean_error(done, "connection was lost", "terminating connection")
    assert proc.returncode == 2


def test_connection_dropped_by_the_server_at_any_point(demo_dsn):
    """The server ends the session whenever it idles 1 ms inside the transaction: wherever
    that lands (between our own statements or during a catalog query), one clean line."""
    dsn = make_conninfo(demo_dsn, options="-c idle_in_transaction_session_timeout=1")
    done = run("snapshot", "--dsn", dsn)
    assert_error_line(done, "connection")


def test_snapshot_output_that_is_a_directory(demo_dsn, tmp_path):
    (tmp_path / "catalog.json").mkdir()
    assert_error_line(run("snapshot", "--dsn", demo_dsn, "-o", str(tmp_path / "catalog.json")),
                       "cannot write snapshot", "catalog.json")
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"], "no temporary file left behind"


@pytest.mark.parametrize("option, value", [("--statement-timeout", "nan"), ("--statement-timeout", "inf"),
                                           ("--lock-timeout", "1e12"), ("--lock-timeout", "-inf")])
def test_timeouts_must_be_finite_and_in_range(demo_dsn, option, value):
    assert_clean_error(run("snapshot", "--dsn", demo_dsn, option, value), option, "seconds")


def test_config_without_its_docs_dir(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: nowhere\n", encoding="utf-8")
    done = run("build", "--snapshot", str(CORPUS / "valid.json"), "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert_clean_error(done, "mkdocs.yml", "docs_dir", "nowhere")
    assert done.returncode == 2


def test_a_bad_mkdocs_yml(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: [x\n  : - y\n", encoding="utf-8")
    done = run("build", "--snapshot", str(CORPUS / "valid.json"), "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert_clean_error(done, "is not a valid MkDocs config", "line 2")


def test_include_that_matches_nothing_keeps_the_site(tmp_path):
    assert run("build", "--snapshot", str(CORPUS / "valid.json"), "--out", "site", cwd=tmp_path).returncode == 0
    before = (tmp_path / "site" / "index.html").read_bytes()
    for pattern in ("nomatch", "app.nomatch*"):
        done = run("build", "--snapshot", str(CORPUS / "valid.json"), "--out", "site", "--include", "app",
                   "--include", pattern, cwd=tmp_path)
        assert_clean_error(done, f"--include '{pattern}'", "matches no schema or relation")
    assert (tmp_path / "site" / "index.html").read_bytes() == before
    assert run("build", "--snapshot", str(CORPUS / "valid.json"), "--out", "site", "--include", "app.ord*",
               cwd=tmp_path).returncode == 0


def test_sigterm_prints_interrupted(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "schemadocs", "demo", "--no-serve"], cwd=tmp_path,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not embedded_postgres_pids(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.splitlines()[-1] == "interrupted" and "" not in err.splitlines(), err


def test_demo_leaves_nothing_in_tmpdir(tmp_path):
    tmpdir = Path(tempfile.mkdtemp(prefix="sd-", dir="/tmp"))  # short: the server's socket lives below it
    try:
        env = {k: v for k, v in clean_env(TMPDIR=str(tmpdir)).items() if k != "XDG_RUNTIME_DIR"}
        done = subprocess.run([sys.executable, "-m", "schemadocs", "demo", "--no-serve"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert sorted(str(p.relative_to(tmpdir)) for p in tmpdir.rglob("*")) == []
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


# --- full disks and read-only mounts, for real ---------------------------------------------

def namespaced(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a shell script in a mount namespace of its own (its mounts vanish with it)."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("unshare -m is not permitted here (needs root or user namespaces)")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=300)


def schemadocs(*args: str) -> str:
    return shlex.join([sys.executable, "-m", "schemadocs", *args])


def as_done(done: subprocess.CompletedProcess, code_file: Path) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess(done.args, int(code_file.read_text()), done.stdout, done.stderr)


def test_snapshot_on_a_full_disk(demo_dsn, tmp_path):
    (tmp_path / "disk").mkdir()
    done = namespaced(f"""mount -t tmpfs -o size=16k tmpfs disk || exit 99
{schemadocs("snapshot", "--dsn", demo_dsn, "-o", "disk/catalog.json")}; echo $? > rc
ls -A disk > listing""", tmp_path)
    assert done.returncode == 0, done.stderr
    assert_error_line(as_done(done, tmp_path / "rc"), "cannot write snapshot", "No space left on device")
    assert (tmp_path / "listing").read_text() == "", "no temporary file left behind"


def test_out_under_a_read_only_mount(tmp_path):
    (tmp_path / "ro").mkdir()
    done = namespaced(f"""mount -t tmpfs -o ro tmpfs ro || exit 99
{schemadocs("build", "--snapshot", str(CORPUS / "valid.json"), "--out", "ro/site")}; echo $? > rc""", tmp_path)
    assert done.returncode == 0, done.stderr
    assert_clean_error(as_done(done, tmp_path / "rc"), "Read-only file system", "ro")


def test_full_disk_during_an_incremental_build(tmp_path):
    """The second build changes one comment, so only that page is rendered over a copy of the
    site; the disk is full by then. One short line; the previous site and nothing else stays."""
    changed = json.loads((CORPUS / "valid.json").read_text(encoding="utf-8"))
    changed["relations"][0]["comment"] = "a new comment"
    (tmp_path / "changed.json").write_text(json.dumps(changed), encoding="utf-8")
    (tmp_path / "disk").mkdir()
    done = namespaced(f"""mount -t tmpfs -o size=12m tmpfs disk || exit 99
{schemadocs("build", "--snapshot", str(CORPUS / "valid.json"), "--out", "disk/site")} 2>/dev/null || exit 98
sha256sum disk/site/index.html > before
cat /dev/zero > disk/fill 2>/dev/null
{schemadocs("build", "--snapshot", str(tmp_path / "changed.json"), "--out", "disk/site")}; echo $? > rc
sha256sum disk/site/index.html > after
ls -A disk > listing""", tmp_path)
    assert done.returncode == 0, done.stderr
    result = as_done(done, tmp_path / "rc")
    assert_clean_error(result, "No space left on device", "untouched")
    assert len(result.stderr) < 1100
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert (tmp_path / "listing").read_text().split() == ["fill", "site"]
