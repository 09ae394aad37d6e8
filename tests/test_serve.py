"""`schemadocs serve --watch` as a user runs it: a real server process, a migration applied to a
real PostgreSQL while it serves, a real HTTP client seeing the rebuild and the reload signal,
and a clean stop (Ctrl-C) that leaves no server, no port and no work folder behind."""

from __future__ import annotations

import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from schemadocs import snapshot
from schemadocs.introspect.introspect import introspect
from schemadocs.watch import database_source, file_source, fingerprints, watch
from tests.inprocess import run_cli
from tests.test_cli import clean_env

SMALL = """
CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE book (id int PRIMARY KEY, author_id int REFERENCES author, title text);
"""


class Served:
    """A `schemadocs serve` (or `demo`) process on a port of its own choosing (`--port 0`: no
    port picked here and bound there later, which another process could take meanwhile), and
    what it printed on stderr, line by line."""

    def __init__(self, args: list[str], cwd: Path, command: str = "serve") -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "schemadocs", command, "--port", "0", *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd,
                                     env=clean_env())
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, f"serve exited {self.proc.returncode}: {self.seen}"
                continue
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in {timeout}s: {self.seen}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = self.proc.wait(timeout=30)
        self.reader.join(timeout=30)  # every line read: the pipe ends with the process
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8"), response.headers.get("Content-Type", "")


def version(base: str) -> int:
    return int(json.loads(get(base + "__schemadocs__/version")[0])["version"])


def wait_for_version(base: str, above: int, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (now := version(base)) > above:
            return now
        time.sleep(0.3)
    raise AssertionError(f"the site's version stayed {above} for {timeout}s")


def assert_stopped_cleanly(served: Served, port: int, where: Path) -> None:
    assert served.stop() == 0, served.seen
    assert served.seen[-1] == "stopped" and not any("Traceback" in line for line in served.seen)
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert not list(where.glob(".*building-*")), "a work folder was left behind"


def test_a_migration_while_serving_rebuilds_and_reloads(new_database, tmp_path):
    dsn = new_database(SMALL, prefix="serve")
    served = Served(["--dsn", dsn, "--watch", "--interval", "0.3", "--out", str(tmp_path / "site")], tmp_path)
    try:
        port = int(served.wait_for(r"serving .* on http://127\.0\.0\.1:(\d+)/")[1])
        base = f"http://127.0.0.1:{port}/"
        served.wait_for(r"^watching the database schema")
        page, kind = get(base)
        assert kind.startswith("text/html")
        assert '<script src="/__schemadocs__/livereload.js" data-version="1"></script></body>' in page
        script, kind = get(base + "__schemadocs__/livereload.js")
        assert kind.startswith("text/javascript") and "/__schemadocs__/version" in script and "http" not in script
        assert version(base) == 1
        assert "added_by_migration" not in get(base + "search/search_index.json")[0]

        with psycopg.connect(dsn, autocommit=True) as conn:  # the migration, while serving
            conn.execute("CREATE TABLE added_by_migration (id int PRIMARY KEY, book_id int REFERENCES book)")

        served.wait_for(r"^rebuilt; open pages reload \(version 2\)$")
        assert wait_for_version(base, 1) == 2  # the reload signal the open pages poll
        assert "the database schema changed; rebuilding" in served.seen
        assert "added_by_migration" in get(base + "search/search_index.json")[0]  # the rebuilt site is served
        assert 'data-version="2"' in get(base)[0]
        time.sleep(1.5)  # several more polls: no change, no rebuild
        assert version(base) == 2
    finally:
        if served.proc.poll() is None:
            assert_stopped_cleanly(served, port, tmp_path)


def test_a_changed_snapshot_file_rebuilds(new_database, tmp_path):
    dsn = new_database(SMALL, prefix="serve")
    snap = tmp_path / "schema.json"
    snapshot.save(introspect(dsn), snap)
    served = Served(["--snapshot", str(snap), "--watch", "--interval", "0.3", "--out", str(tmp_path / "site")],
                    tmp_path)
    try:
        port = int(served.wait_for(r"serving .* on http://127\.0\.0\.1:(\d+)/")[1])
        base = f"http://127.0.0.1:{port}/"
        served.wait_for(r"^watching ")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE from_new_snapshot (id int PRIMARY KEY)")
        snapshot.save(introspect(dsn), snap)
        assert wait_for_version(base, 1) == 2
        assert "from_new_snapshot" in get(base + "search/search_index.json")[0]
    finally:
        if served.proc.poll() is None:
            assert_stopped_cleanly(served, port, tmp_path)


def test_fingerprint_sees_ddl_but_not_data_or_analyze(new_database):
    dsn = new_database(SMALL, prefix="serve")
    source = database_source(dsn)
    before = source.fingerprint()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in ("INSERT INTO author VALUES (1, 'a')", "ANALYZE author", "VACUUM book"):
            conn.execute(statement)
        assert source.fingerprint() == before
        conn.execute("CREATE TEMP TABLE scratch (x int)")  # another session's temporary table is no change
        assert source.fingerprint() == before
        conn.execute("ALTER TABLE book ADD COLUMN isbn text")
        after = source.fingerprint()
        assert after is not None and after != before
        conn.execute("COMMENT ON COLUMN book.isbn IS 'the ISBN'")
        assert source.fingerprint() != after


def test_fingerprint_does_not_wait_behind_a_migration_lock(new_database):
    """A migration holding ACCESS EXCLUSIVE on a table does not block the watcher's poll."""
    dsn = new_database(SMALL, prefix="serve")
    source = database_source(dsn)
    with psycopg.connect(dsn) as migration:
        migration.execute("LOCK TABLE book IN ACCESS EXCLUSIVE MODE")
        migration.execute("ALTER TABLE book ADD COLUMN pages int")
        started = time.monotonic()
        assert source.fingerprint() is not None
        assert time.monotonic() - started < 2
        migration.rollback()


def test_a_busy_port_fails_before_anything_is_built(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, stderr = run_cli("serve", "--snapshot", str(tmp_path / "missing.json"), "--port",
                               str(busy.getsockname()[1]), "--out", str(tmp_path / "site"))
    assert code == 2 and stderr.startswith("error: port ") and "already in use" in stderr
    assert len(stderr.splitlines()) == 1 and not (tmp_path / "site").exists()


def test_a_change_made_while_the_first_build_ran_is_seen(tmp_path):
    """serve --watch takes the sources' fingerprints before its first build: a change made while
    that build ran (after it read the source) is seen at the first poll; taken after the build,
    that change would have been the baseline and never rebuilt."""
    source = tmp_path / "schema.json"
    source.write_text("{}", encoding="utf-8")
    sources = [file_source(source)]

    def polls(n: int) -> Callable[[float], None]:
        calls = iter(range(n + 1))

        def sleep(_: float) -> None:
            if next(calls) == n:
                raise KeyboardInterrupt
        return sleep

    baseline = fingerprints(sources)
    source.write_text('{"changed": "while the first build ran"}', encoding="utf-8")  # another size: another fingerprint
    rebuilt: list[tuple[str, ...]] = []
    with pytest.raises(KeyboardInterrupt):
        watch(sources, rebuilt.append, 0.01, sleep=polls(2), baseline=baseline)
    assert rebuilt == [(str(source),)], "rebuilt once, at the first poll"

    rebuilt.clear()  # without the baseline, the first reading is the baseline: that change is not seen
    with pytest.raises(KeyboardInterrupt):
        watch(sources, rebuilt.append, 0.01, sleep=polls(2))
    assert rebuilt == []
