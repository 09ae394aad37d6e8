"""What the xdist workers of one test run share: the corpus server, the corpus databases loaded
into it and the corpus sites, each made once for the whole run instead of once per worker.

In: the session's `TempPathFactory` (under xdist each worker's base folder lies in the run's own,
which the controller made), and a function that makes a value. Out: `once(folder, key, make)`:
the first process to ask makes the value (JSON-ready) while holding the key's lock, the others
wait for it and read it; `corpus_server(folder)`: one system PostgreSQL for the run (the corpus
needs contrib, which pgserver lacks), started by the first worker that needs it and stopped by
`stop_corpus_server` when the run ends (pytest_unconfigure of the controller, or of the only
process without xdist). A `make` that fails leaves nothing behind: the next asker tries again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemadocs import embedded

SERVER_KEY = "corpus-server"


def once(folder: Path, key: str, make: Callable[[], Any]) -> Any:
    """The value under `key` for the whole run: made by the first asker, read by the others."""
    done = folder / f"{key}.json"
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8"))
        value = make()
        partial = folder / f"{key}.json.part"
        partial.write_text(json.dumps(value), encoding="utf-8")
        partial.replace(done)
        return value


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this run shares (the run's base folder under xdist)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "shared"
    folder.mkdir(exist_ok=True)
    return folder


def corpus_server(folder: Path) -> str:
    """The DSN of the run's system PostgreSQL, started by the first caller."""
    return once(folder, SERVER_KEY, _start)["dsn"]


def stop_corpus_server(folder: Path) -> None:
    """Stop the run's corpus server, if a worker started one, and delete its data."""
    record = folder / f"{SERVER_KEY}.json"
    if not record.exists():
        return
    server = json.loads(record.read_text(encoding="utf-8"))
    subprocess.run([*server["run_as"], str(Path(server["bindir"]) / "pg_ctl"), "-D", server["data"], "-w", "-s",
                    "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(server["root"], ignore_errors=True)
    record.unlink()


def _start() -> dict[str, Any]:
    """A cluster as `schemadocs.embedded` makes its system one, left running after this process."""
    bindir = embedded._find_bindir()
    root = Path(tempfile.mkdtemp(prefix="schemadocs-test-corpus-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        run_as = ["runuser", "-u", "nobody", "--"]
        shutil.chown(root, user="nobody")
        root.chmod(0o700)
    embedded._start_cluster(run_as, bindir, root, root / "data", root)
    return {"dsn": f"host={root} port=5432 user=postgres dbname=postgres", "root": str(root),
            "data": str(root / "data"), "bindir": str(bindir), "run_as": run_as}
