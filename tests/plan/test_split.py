"""Splitting migration files: statements, their files and lines, and what runs in a transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs.errors import ConfigError
from schemadocs.plan.kinds import kind_of
from schemadocs.plan.model import LockMode, Statement
from schemadocs.plan.split import split, split_text


def test_lines_point_at_the_first_character_after_comments_and_non_ascii() -> None:
    text = ("-- 0042: orders\n"
            "SET lock_timeout = '1s';\n\n"
            "/* a /* nested */ comment */  CREATE INDEX CONCURRENTLY i ON \"clés\".t (a);\n"
            "ALTER TABLE t ADD COLUMN x text DEFAULT 'ééé';   ALTER TABLE t\n"
            "  ADD COLUMN y int;\n")
    assert split_text(text, "m.sql") == [
        Statement("m.sql", 2, "SET lock_timeout = '1s'"),
        Statement("m.sql", 4, 'CREATE INDEX CONCURRENTLY i ON "clés".t (a)', transactional=False),
        Statement("m.sql", 5, "ALTER TABLE t ADD COLUMN x text DEFAULT 'ééé'"),
        Statement("m.sql", 5, "ALTER TABLE t\n  ADD COLUMN y int"),
    ]


@pytest.mark.parametrize("sql", [
    "CREATE INDEX CONCURRENTLY ON t (a)", "DROP INDEX CONCURRENTLY i", "REINDEX TABLE CONCURRENTLY t",
    "REINDEX SCHEMA s", "VACUUM t", "VACUUM (FULL) t", "CLUSTER", "CREATE DATABASE d", "DROP DATABASE d",
    "ALTER SYSTEM SET work_mem = '1MB'", "CREATE TABLESPACE ts LOCATION '/x'", "ALTER DATABASE d SET TABLESPACE ts",
])
def test_statements_refused_in_a_transaction_block(sql: str) -> None:
    assert split_text(sql, "m.sql")[0].transactional is False


@pytest.mark.parametrize("sql", [
    "CREATE INDEX ON t (a)", "DROP INDEX i", "REINDEX TABLE t", "ANALYZE t", "CLUSTER t USING i",
    "ALTER TYPE s ADD VALUE 'x'", "CREATE ROLE r", "ALTER DATABASE d SET work_mem = '1MB'",
])
def test_statements_accepted_in_a_transaction_block(sql: str) -> None:
    assert split_text(sql, "m.sql")[0].transactional is True


def test_documented_locks_of_non_transactional_statements() -> None:
    cic = kind_of('CREATE INDEX CONCURRENTLY ON "S".t (a)')
    assert [(t.name, t.mode, t.with_table) for t in cic.documented] == [('"S"."t"', LockMode.SHARE_UPDATE_EXCLUSIVE, False)]
    drop = kind_of("DROP INDEX CONCURRENTLY s.i")
    assert [(t.name, t.with_table) for t in drop.documented] == [('"s"."i"', True)]
    full = kind_of("VACUUM (FULL) t")
    assert [t.mode for t in full.documented] == [LockMode.ACCESS_EXCLUSIVE]
    assert kind_of("VACUUM").all_tables


@pytest.mark.parametrize("sql", ["CREATE ROLE r", "GRANT r TO s", "GRANT CONNECT ON DATABASE d TO r",
                                 "COMMENT ON DATABASE d IS 'x'", "ALTER ROLE r SET work_mem = '1MB'",
                                 "COPY t FROM '/etc/passwd'", "COPY t FROM STDIN"])
def test_server_wide_statements_are_named(sql: str) -> None:
    assert kind_of(sql).server_wide


def test_transaction_control_is_left_out() -> None:
    text = "BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCOMMIT;\nVACUUM t;\n"
    assert [(s.line, s.sql) for s in split_text(text, "m.sql")] == [(2, "ALTER TABLE t ADD COLUMN a int"), (4, "VACUUM t")]


def test_non_transactional_statement_inside_the_files_own_transaction_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"m.sql:3: .*BEGIN at line 1"):
        split_text("BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY ON t (a);\nCOMMIT;", "m.sql")


def test_a_file_that_does_not_parse_names_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r'^m.sql:3: syntax error at or near "where"'):
        split_text("SELECT 'é';\n\nSELECT FROM where;", "m.sql")


def test_directories_run_their_sql_files_in_name_order(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "002_b.sql").write_text("SELECT 2;", encoding="utf-8")
    (migrations / "001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (migrations / "notes.txt").write_text("not sql", encoding="utf-8")
    (migrations / "sub").mkdir()
    (migrations / "sub" / "000.sql").write_text("SELECT 0;", encoding="utf-8")
    extra = tmp_path / "extra.sql"
    extra.write_text("SELECT 3;", encoding="utf-8")
    found = split([migrations, extra])
    assert [(Path(s.file).name, s.sql) for s in found] == [
        ("001_a.sql", "SELECT 1"), ("002_b.sql", "SELECT 2"), ("extra.sql", "SELECT 3")]
    assert found[0].file == str(migrations / "001_a.sql")


def test_missing_paths_and_empty_directories_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        split([tmp_path / "nope.sql"])
    with pytest.raises(ConfigError, match="holds no .sql files"):
        split([tmp_path])
