"""The command line end to end, as a user runs it: real processes, real server, real exit codes."""

from __future__ import annotations

import json

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from schemadocs.progress import PLAIN_LINE

SECRET = "hunter2-very-secret"
ENV_KEYS = ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSERVICE")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    env.update(extra)
    return env


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemadocs", *args], capture_output=True, text=True,
                          env=env or clean_env(), cwd=cwd, timeout=timeout)


def assert_clean_error(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip() and not PLAIN_LINE.match(line)]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr  # after the stages that succeeded
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert SECRET not in done.stderr + done.stdout


def embedded_postgres_pids(owner: int | None = None) -> set[int]:
    """PostgreSQL processes of embedded servers (data dirs are named after the owning pid)."""
    marker = f"schemadocs-pg-{owner}-".encode() if owner else b"schemadocs-pg-"
    pids = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if marker in cmd and b"postgres" in cmd:
                pids.add(int(proc.name))
    return pids


def test_unreachable_database(tmp_path):
    done = run("snapshot", "--dsn", f"postgresql://someone:{SECRET}@127.0.0.1:1/nodb")
    assert_clean_error(done, "cannot connect", "check the host")


def test_bad_credentials_never_print_the_password(demo_dsn):
    done = run("snapshot", "--dsn", make_conninfo(demo_dsn, user="no_such_role", password=SECRET))
    assert_clean_error(done, "cannot connect", "no_such_role")


def test_no_database_given():
    assert_clean_error(run("build"), "no database given", "--dsn")


def test_snapshot_then_offline_build(demo_dsn, tmp_path):
    snap = tmp_path / "catalog.json"
    done = run("snapshot", "--dsn", demo_dsn, "-o", str(snap))
    assert done.returncode == 0, done.stderr
    done = run("build", "--snapshot", str(snap), "--out", str(tmp_path / "out"), cwd=tmp_path,
               env=clean_env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "schemas" / "app" / "orders.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["cache", "catalog.json", "out"], "bundled config: nothing in ./"
    assert list((tmp_path / "cache" / "schemadocs").glob("out-*/docs/index.md")), "the docs dir is in the cache"


def test_dsn_from_database_url_and_pg_variables(demo_dsn):
    # --no-stats: other tests' reads of the demo database reach its activity counters whenever
    # PostgreSQL flushes them, so two snapshots with statistics may differ between two reads
    by_url = run("snapshot", "--no-stats", env=clean_env(DATABASE_URL=demo_dsn))
    params = conninfo_to_dict(demo_dsn)
    by_pg = run("snapshot", "--no-stats", env=clean_env(PGHOST=params["host"], PGPORT=str(params.get("port", 5432)),
                                                        PGUSER=params["user"], PGDATABASE=params["dbname"]))
    assert by_url.returncode == 0 and by_pg.returncode == 0, by_url.stderr + by_pg.stderr
    assert '"format_version": 1' in by_url.stdout
    url, pg = json.loads(by_url.stdout), json.loads(by_pg.stdout)
    assert url["database"] == params["dbname"] and url["relations"]
    assert url == pg  # the same database, reached both ways


def test_missing_snapshot_file(tmp_path):
    assert_clean_error(run("build", "--snapshot", str(tmp_path / "nope.json")), "cannot read snapshot")


def test_busy_port_fails_fast(tmp_path):
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            busy.bind(("127.0.0.1", 8000))
            busy.listen()
        except OSError:
            pass  # something else already holds 8000: the point stands
        done = run("demo", cwd=tmp_path)
    assert_clean_error(done, "port 8000", "already in use", "--port")
    assert not (tmp_path / "site").exists()


def test_demo_no_serve_leaves_nothing_running(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "schemadocs", "demo", "--no-serve"], cwd=tmp_path,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert str(tmp_path / "site" / "index.html") in out
    assert (tmp_path / "site" / "schemas" / "analytics" / "tenant_scorecard.html").exists()
    assert not embedded_postgres_pids(proc.pid)
    assert not list(Path("/tmp").glob(f"schemadocs-pg-{proc.pid}-*")), "data directory removed"


def test_demo_serves_until_ctrl_c(tmp_path):
    from tests.test_serve import Served  # (test_serve imports this module)

    served = Served([], tmp_path, command="demo")
    try:
        port = int(served.wait_for(r"serving .* on http://127\.0\.0\.1:(\d+)/", timeout=180)[1])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/schemas/app/orders.html", timeout=10) as resp:
            assert resp.status == 200 and b"app.orders" in resp.read()
        assert not embedded_postgres_pids(served.proc.pid), "the database stops before serving"
        code = served.stop()
    finally:
        if served.proc.poll() is None:
            served.proc.kill()
    assert code == 130 and not any("Traceback" in line for line in served.seen), served.seen
    assert not embedded_postgres_pids(served.proc.pid)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_load_leaves_no_server(tmp_path, signum):
    proc = subprocess.Popen([sys.executable, "-m", "schemadocs", "demo", "--no-serve"], cwd=tmp_path,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not embedded_postgres_pids(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "interrupted while the server runs"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    deadline = time.monotonic() + 30  # postgres processes may still be exiting after the command did
    while embedded_postgres_pids(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not embedded_postgres_pids(proc.pid)
