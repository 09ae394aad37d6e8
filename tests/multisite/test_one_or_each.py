"""`check`, `comments` and `suggest-relations` with a project file of several databases, on real
PostgreSQL databases: `check` compares each live database with its snapshot in a directory
(each output labelled), `comments` reads the one `--database` names (several without it is a
one-line error), `suggest-relations` suggests in each database, labelled, or in the one named."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import yaml

from tests.inprocess import assert_success_or_clean_error, run_cli, run_cli_output

SALES = """
CREATE SCHEMA sales;
CREATE TABLE sales.customers (id int PRIMARY KEY, name text);
CREATE TABLE sales.orders (id int PRIMARY KEY, customers_id int);
COMMENT ON TABLE sales.customers IS 'People who buy.';
"""
STOCK = """
CREATE SCHEMA stock;
CREATE TABLE stock.items (id int PRIMARY KEY, label text);
CREATE TABLE stock.levels (items_id int, qty int);
COMMENT ON TABLE stock.items IS 'Things we keep.';
"""


def project(root: Path, sales: str, stock: str, *, stock_snapshot: bool = False) -> Path:
    source = "snapshot: stock.json" if stock_snapshot else f"dsn: '{stock}'"
    file = root / ("snapshot-project.yml" if stock_snapshot else "schemadocs.yml")
    file.write_text(f"""databases:
  - name: sales
    dsn: '{sales}'
  - name: stock
    {source}
schemas:
  sales:
    tables:
      orders: {{description: One row per checkout}}
  stock:
    tables:
      levels: {{description: How many we hold}}
""", encoding="utf-8")
    return file


@pytest.fixture(scope="module")
def dsns(new_database) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return new_database(SALES, prefix="eachsales"), new_database(STOCK, prefix="eachstock")


@pytest.fixture(scope="module")
def config(dsns: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(tmp_path_factory.mktemp("each"), *dsns)


def test_check_compares_each_database_with_its_snapshot_in_a_directory(new_database, tmp_path: Path) -> None:
    sales, stock = new_database(SALES, prefix="checksales"), new_database(STOCK, prefix="checkstock")
    config = str(project(tmp_path, sales, stock))
    code, err = run_cli("snapshot", "--no-stats", "--config", config, "--out", str(tmp_path / "snaps"))
    assert code == 0, err
    code, err = run_cli("check", "--config", config, "--snapshot", str(tmp_path / "snaps"))
    assert code == 0, err
    assert "matches database sales" in err and "matches database stock" in err

    with psycopg.connect(stock, autocommit=True) as conn:
        conn.execute("ALTER TABLE stock.levels DROP COLUMN qty")
    code, out, err = run_cli_output("check", "--config", config, "--snapshot", str(tmp_path / "snaps"))
    assert code == 1 and "matches database sales" in err
    assert "== database stock ==" in out and "database sales" not in out and "qty" in out
    assert "error: database stock no longer matches" in err and "snapshot --no-stats --out" in err
    code, out, _ = run_cli_output("check", "--config", config, "--snapshot", str(tmp_path / "snaps"), "--format", "json")
    assert code == 1 and list(json.loads(out)["databases"]) == ["stock"]
    code, err = run_cli("check", "--config", config, "--database", "sales", "--snapshot",
                        str(tmp_path / "snaps" / "sales.json"))
    assert code == 0, err
    code, out, err = run_cli_output("check", "--config", config, "--database", "stock", "--snapshot",
                                    str(tmp_path / "snaps" / "stock.json"))
    assert code == 1 and "qty" in out and "==" not in out  # one database named: its diff as always
    assert "-o " in err and str(tmp_path / "snaps" / "stock.json") in err

    code, err = run_cli("check", "--config", config, "--snapshot", str(tmp_path / "snaps" / "sales.json"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "pass --database NAME, or --snapshot DIR" in err and "sales, stock" in err


def test_check_leaves_out_a_database_read_from_a_snapshot_file(dsns: tuple[str, str], tmp_path: Path) -> None:
    code, err = run_cli("snapshot", "--no-stats", "--dsn", dsns[1], "-o", str(tmp_path / "stock.json"))
    assert code == 0, err
    config = str(project(tmp_path, *dsns, stock_snapshot=True))
    code, err = run_cli("check", "--config", config, "--database", "stock", "--snapshot", str(tmp_path / "stock.json"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "read from the snapshot file" in err and "compares a live database" in err
    code, err = run_cli("snapshot", "--no-stats", "--dsn", dsns[0], "-o", str(tmp_path / "sales.json"))
    assert code == 0, err
    code, err = run_cli("check", "--config", config, "--snapshot", str(tmp_path / "sales.json"))
    assert code == 0, err  # the one live database, checked against the one file
    assert "database 'stock' is read from the snapshot file stock.json: nothing live to check" in err
    code, err = run_cli("suggest-relations", "--config", config, "--database", "stock", "--check-data")
    assert_success_or_clean_error(code, err)
    assert code == 2 and "--check-data reads rows" in err


def test_comments_reads_the_database_named(config: Path, tmp_path: Path) -> None:
    code, err = run_cli("comments", "--sql", "--config", str(config))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "`comments` reads one: pass --database NAME" in err and "sales, stock" in err
    code, out, err = run_cli_output("comments", "--sql", "--config", str(config), "--database", "stock")
    assert code == 0, err
    assert "COMMENT ON TABLE stock.levels IS 'How many we hold';" in out and "sales" not in out
    code, err = run_cli("comments", "--import", "--config", str(config), "--database", "sales",
                        "-o", str(tmp_path / "imported.yml"))
    assert code == 0, err
    imported = yaml.safe_load((tmp_path / "imported.yml").read_text(encoding="utf-8"))
    assert imported["schemas"]["sales"]["tables"]["customers"]["description"] == "People who buy."
    assert "stock" not in imported["schemas"]


def test_suggest_relations_in_each_database_labelled(config: Path) -> None:
    code, out, err = run_cli_output("suggest-relations", "--config", str(config))
    assert code == 0, err
    assert "2 candidates in 2 databases; nothing applied" in err
    assert "  # database sales (" in out and "  # database stock (" in out
    suggested = yaml.safe_load(out)["relations"]
    assert {(r["from"], r["to"]) for r in suggested} == {("sales.orders", "sales.customers"),
                                                         ("stock.levels", "stock.items")}
    code, out, err = run_cli_output("suggest-relations", "--config", str(config), "--database", "stock",
                                    "--check-data")
    assert code == 0, err
    assert [(r["from"], r["to"]) for r in yaml.safe_load(out)["relations"]] == [("stock.levels", "stock.items")]
    assert "database sales" not in out and "; data: no non-NULL value to check" in out  # --check-data ran
