"""Write-back on a real PostgreSQL: `comments --import` writes a database's comments into a
project file, `comments --sql` turns a file's descriptions into COMMENT ON statements; running
those on a copy of the schema without comments, then importing it, gives the same file."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.inprocess import assert_success_or_clean_error, run_cli

SCHEMA = '''
CREATE SCHEMA "Sales ""EU""";
CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('new', 'paid');
CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE app.money_pair AS (amount numeric, currency text);
CREATE TABLE app.customers (id int PRIMARY KEY, email app.email, "select" text);
CREATE TABLE "Sales ""EU"""."Order Lines" (id int, "Qty" int);
CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at);
CREATE VIEW app.customer_emails AS SELECT id, email FROM app.customers;
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.customers;
CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
CREATE FUNCTION app.add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';
CREATE PROCEDURE app.tidy() LANGUAGE sql AS 'SELECT 1';
'''

HOSTILE = "It's a \\\\ backslash, a */ close, <script>alert(1)</script>, {{ jinja }}\n\nand a second paragraph: «ünïcode»"

COMMENTS = f'''
COMMENT ON SCHEMA "Sales ""EU""" IS 'European sales';
COMMENT ON TABLE app.customers IS $c${HOSTILE}$c$;
COMMENT ON COLUMN app.customers."select" IS 'A keyword as a name';
COMMENT ON COLUMN "Sales ""EU"""."Order Lines"."Qty" IS 'How many';
COMMENT ON TABLE app.events IS 'Partitioned';
COMMENT ON VIEW app.customer_emails IS 'Who to write to';
COMMENT ON MATERIALIZED VIEW app.counts IS 'Counted';
COMMENT ON COLUMN app.customer_emails.email IS 'The address';
COMMENT ON FUNCTION app.add(int, int) IS 'Adds numbers';
COMMENT ON FUNCTION app.add(text, text) IS 'Joins text';
COMMENT ON PROCEDURE app.tidy() IS 'Tidies';
COMMENT ON TYPE app.status IS 'Order status';
COMMENT ON DOMAIN app.email IS 'An e-mail address';
COMMENT ON TYPE app.money_pair IS 'Amount and currency';
'''


@pytest.fixture(scope="module")
def commented(new_database) -> str:  # type: ignore[no-untyped-def]
    return new_database(SCHEMA + COMMENTS, prefix="cmt")


def cli(*args: str) -> str:
    code, err = run_cli(*args)
    assert_success_or_clean_error(code, err)
    assert code == 0, err
    return err


def test_sql_then_import_gives_the_same_file(commented: str, new_database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "schemadocs.yml"
    cli("comments", "--import", "--dsn", commented, "-o", str(first))
    text = first.read_text(encoding="utf-8")
    assert "Sales \"EU\"" in text and "add(a integer, b integer)" in text and "money_pair" in text
    bare = new_database(SCHEMA, prefix="bare")  # the same schema, no comments
    sql = tmp_path / "comments.sql"
    cli("comments", "--sql", "--config", str(first), "--dsn", bare, "-o", str(sql))
    statements = sql.read_text(encoding="utf-8")
    assert sum(line.startswith("COMMENT ON ") for line in statements.splitlines()) == 14
    assert 'COMMENT ON TABLE "Sales ""EU"""."Order Lines"' not in statements  # only commented objects
    assert 'COMMENT ON COLUMN "Sales ""EU"""."Order Lines"."Qty" IS \'How many\';' in statements
    assert "COMMENT ON FUNCTION app.add(a integer, b integer) IS 'Adds numbers';" in statements
    assert "COMMENT ON PROCEDURE app.tidy() IS 'Tidies';" in statements
    assert "COMMENT ON DOMAIN app.email IS" in statements and "COMMENT ON MATERIALIZED VIEW app.counts" in statements
    with psycopg.connect(bare, autocommit=True) as conn:
        conn.execute("SET standard_conforming_strings = off")  # the E'' literal reads the same either way
        conn.execute(statements)
        assert conn.execute("SELECT obj_description('app.customers'::regclass, 'pg_class')").fetchone()[0] == HOSTILE
    again = tmp_path / "again.yml"
    cli("comments", "--import", "--dsn", bare, "-o", str(again))
    assert again.read_text(encoding="utf-8") == text
    # and the database now holds them: nothing left to write
    code, err = run_cli("comments", "--sql", "--config", str(first), "--dsn", bare, "-o", str(sql))
    assert code == 0, err
    assert not any(line.startswith("COMMENT ON ") for line in sql.read_text(encoding="utf-8").splitlines())


def test_the_database_comment_wins_unless_override(commented: str, tmp_path: Path) -> None:
    config = tmp_path / "schemadocs.yml"
    config.write_text("schemas:\n  app:\n    description: The app\n    types:\n      status: {description: Mine}\n"
                      "      money_pair: {description: \"Mine'\", override: true}\n", encoding="utf-8")
    out = tmp_path / "c.sql"
    cli("comments", "--sql", "--config", str(config), "--dsn", commented, "-o", str(out))
    sql = out.read_text(encoding="utf-8")
    assert "COMMENT ON SCHEMA app IS 'The app';" in sql
    assert "COMMENT ON TYPE app.money_pair IS 'Mine''';" in sql
    assert "-- skipped type app.status: the database's comment wins" in sql
    assert "COMMENT ON TYPE app.status" not in sql


def test_import_never_overwrites_a_file_unless_forced(commented: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "schemadocs.yml"
    mine.write_text("# my curated file\n", encoding="utf-8")
    code, err = run_cli("comments", "--import", "--dsn", commented)
    assert_success_or_clean_error(code, err)
    assert code == 2 and "schemadocs.yml exists and is never overwritten: pass -o FILE" in err
    assert mine.read_text(encoding="utf-8") == "# my curated file\n"
    code, err = run_cli("comments", "--import", "--dsn", commented, "-o", str(mine), "--force")
    assert code == 0, err
    assert "European sales" in mine.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, words", [
    ((), "pass --sql"),
    (("--sql", "--config", "missing.yml"), "project file missing.yml does not exist"),
    (("--import", "--config", "x.yml"), "name it with -o FILE, not --config"),
    (("--sql",), "no project file: create schemadocs.yml or pass --config FILE"),
])
def test_mistakes_are_one_line(args: tuple[str, ...], words: str, tmp_path: Path, commented: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run_cli("comments", *args, "--dsn", commented)
    assert_success_or_clean_error(code, err)
    assert code == 2 and words in err


def test_lint_and_build_refuse_a_project_file_naming_what_the_database_lacks(commented: str, tmp_path: Path) -> None:
    config = tmp_path / "schemadocs.yml"
    config.write_text("schemas:\n  app:\n    tables:\n      customer: {description: typo}\n", encoding="utf-8")
    for args in (("lint",), ("build", "--out", str(tmp_path / "site"))):
        code, err = run_cli(*args, "--dsn", commented, "--config", str(config))
        assert "Traceback" not in err and err.splitlines()[-1].startswith("error: ")  # after "read N relations"
        assert code == 2 and f"{config} line 4: table app.customer is not in the database" in err
        assert "did you mean app.customers?" in err
    assert not (tmp_path / "site").exists()
