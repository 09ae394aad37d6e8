"""The embedded server: both backends start, serve SQL and leave nothing behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from schemadocs.embedded import create_database, embedded


@pytest.mark.parametrize("backend", ["pgserver", "system"])
def test_backend_starts_and_cleans_up(backend):
    if backend == "system" and not (shutil.which("pg_ctl") or list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))):
        pytest.fail("the system backend needs PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    with embedded(backend) as dsn:
        db = create_database(dsn, "probe", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)")
        with psycopg.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
            assert conn.info.server_version >= 140000
        datadir = Path(conninfo_to_dict(dsn)["host"])
        assert datadir.exists()
    assert not datadir.exists()
