"""A throwaway PostgreSQL server for the demo and the tests, with no system install.

In: nothing (or SCHEMADOCS_EMBEDDED=system to skip pgserver). Out: a context manager that
yields a superuser DSN and, on exit (Ctrl-C included), stops the server and deletes its
data, leaving no process or lock behind. It prefers PyPI's pgserver (PostgreSQL 16); where
that can't run, it makes a cluster with the system's initdb/pg_ctl, as an unprivileged
user when running as root (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import psycopg

from schemadocs.errors import EmbeddedServerError

DEMO_DATABASE = "shopwise"


@contextmanager
def embedded(backend: str | None = None) -> Iterator[str]:
    """Start a throwaway server; yield a DSN for its `postgres` database."""
    backend = backend or os.environ.get("SCHEMADOCS_EMBEDDED", "auto")
    if backend in ("auto", "pgserver"):
        root = tempfile.mkdtemp(prefix=f"schemadocs-pg-{os.getpid()}-")
        try:
            with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
                warnings.simplefilter("ignore")
                import pgserver
            _keep_runtime_files_in(pgserver.PostgresServer, Path(root) / "run")
            with _signals_deferred():  # a Ctrl-C now would orphan a half-started server
                server = pgserver.get_server(Path(root) / "data", cleanup_mode="delete")
        except Exception as exc:  # pgserver fails in platform-specific ways: fall back
            shutil.rmtree(root, ignore_errors=True)
            if backend == "pgserver":
                raise EmbeddedServerError(f"pgserver could not start PostgreSQL ({exc}); try SCHEMADOCS_EMBEDDED=system") from None
        else:
            try:
                dsn = psycopg.conninfo.make_conninfo(server.get_uri())
                _throwaway_settings(dsn)
                yield dsn
            finally:
                with _signals_deferred():
                    server.cleanup()
                    shutil.rmtree(root, ignore_errors=True)
            return
    with _system_cluster() as dsn:
        yield dsn


def _throwaway_settings(dsn: str) -> None:
    """What the system cluster is started with (`_start_cluster`): no fsync, no full-page writes.
    The data is deleted on exit, so durability against a crash buys nothing, and every
    CREATE DATABASE waited for its files to reach the disk."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET fsync = off")
        conn.execute("ALTER SYSTEM SET full_page_writes = off")
        conn.execute("SELECT pg_reload_conf()")


def create_database(server_dsn: str, name: str, sql: str | None = None) -> str:
    """Create a database on the throwaway server, optionally load SQL into it; return its DSN."""
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    dsn = psycopg.conninfo.make_conninfo(server_dsn, dbname=name)
    if sql is not None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)  # no parameters: several statements run in one call
    return dsn


def demo_sql() -> str:
    return resources.files("schemadocs").joinpath("demo", "demo.sql").read_text(encoding="utf-8")


@contextmanager
def _system_cluster() -> Iterator[str]:
    bindir = _find_bindir()
    root = Path(tempfile.mkdtemp(prefix=f"schemadocs-pg-{os.getpid()}-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        # initdb and postgres refuse to run as root: run them as an unprivileged user.
        run_as = ["runuser", "-u", "nobody", "--"]
        shutil.chown(root, user="nobody")
        root.chmod(0o700)
    data, sock = root / "data", root
    with _signals_deferred():
        _start_cluster(run_as, bindir, root, data, sock)
    try:
        yield f"host={sock} port=5432 user=postgres dbname=postgres"
    finally:
        with _signals_deferred():
            subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-s", "-m", "immediate", "stop"],
                           capture_output=True)
            shutil.rmtree(root, ignore_errors=True)


def _keep_runtime_files_in(server_class: type, runtime: Path) -> None:
    """pgserver keeps a lock file (and, for long data dir paths, its socket) in the user's
    runtime dir, which without XDG_RUNTIME_DIR is $TMPDIR/runtime-UID, and never removes it.
    Our data dir is private to this process, so its lock can live beside it and go with it."""
    import fasteners

    server_class.runtime_path = runtime  # type: ignore[attr-defined]
    server_class._lock = fasteners.InterProcessLock(runtime / ".lockfile")  # type: ignore[attr-defined]


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends (start-up and clean-up must not be cut short)."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_cluster(run_as: list[str], bindir: Path, root: Path, data: Path, sock: Path) -> None:
    try:
        _run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C", "--no-sync"])
        _run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-s", "-l", str(root / "log"), "-o",
              f"-k {sock} -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start"])
    except EmbeddedServerError:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _find_bindir() -> Path:
    candidates = [os.environ.get("SCHEMADOCS_PG_BINDIR", "")]
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise EmbeddedServerError(
        "no embedded PostgreSQL could start: pgserver failed and no initdb/pg_ctl was found; "
        "install PostgreSQL server binaries or set SCHEMADOCS_PG_BINDIR"
    )


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise EmbeddedServerError(f"{Path(cmd[cmd.index('--') + 1] if '--' in cmd else cmd[0]).name} failed: {tail[0]}; "
                                  "check the PostgreSQL installation")
