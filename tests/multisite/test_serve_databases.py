"""`schemadocs serve --watch` over a project file's two databases, as a user runs it: a real
server process, a migration applied to one real PostgreSQL database while it serves, the
rebuild of that database's part only (the other database's pages are neither rendered nor
written again, and are served byte for byte as before), the reload signal, and a clean Ctrl-C."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

from tests.conftest import DEFAULT_MKDOCS
from tests.inprocess import run_cli
from tests.test_serve import Served, assert_stopped_cleanly, get, version, wait_for_version

SALES = """
CREATE SCHEMA sales;
CREATE TABLE sales.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES sales.customers (id));
"""
STOCK = """
CREATE SCHEMA stock;
CREATE TABLE stock.items (sku text PRIMARY KEY, label text);
CREATE TABLE stock.levels (sku text REFERENCES stock.items (sku), qty int);
"""
RELOAD_TAG = re.compile(r'<script src="/__schemadocs__/livereload\.js" data-version="\d+"></script>')


def project_folder(root: Path, sales_dsn: str, stock_dsn: str) -> Path:
    """mkdocs.yml (docs in site_src/), schemadocs.yml with the sales database by DSN and the stock
    database by snapshot file."""
    (root / "site_src").mkdir()
    (root / "mkdocs.yml").write_text(f"INHERIT: {DEFAULT_MKDOCS}\nsite_name: test\ndocs_dir: site_src\n",
                                     encoding="utf-8")
    code, err = run_cli("snapshot", "--no-stats", "--dsn", stock_dsn, "-o", str(root / "stock.json"))
    assert code == 0, err
    (root / "schemadocs.yml").write_text(
        f"databases:\n  - name: sales\n    dsn: '{sales_dsn}'\n  - name: stock\n    snapshot: stock.json\n",
        encoding="utf-8")
    return root


def test_a_migration_in_one_database_rebuilds_only_its_part(new_database, tmp_path: Path) -> None:
    sales_dsn = new_database(SALES, prefix="livesales")
    root = project_folder(tmp_path, sales_dsn, new_database(STOCK, prefix="livestock"))
    served = Served(["--no-stats", "--watch", "--interval", "0.3", "--out", str(root / "site"),
                     "--mkdocs-config", str(root / "mkdocs.yml")], root)
    port = 0
    try:
        port = int(served.wait_for(r"serving .* on http://127\.0\.0\.1:(\d+)/")[1])
        base = f"http://127.0.0.1:{port}/"
        served.wait_for(r"^watching database sales, database stock every 0\.3s$")
        assert version(base) == 1
        stock_pages = sorted(p.relative_to(root / "site").as_posix() for p in (root / "site" / "stock").rglob("*.html"))
        assert "stock/schemas/stock/items.html" in stock_pages
        stock_before = {p: RELOAD_TAG.sub("", get(base + p)[0]) for p in stock_pages}
        stock_sources = {p: p.stat().st_mtime_ns for p in (root / "site_src" / "stock").rglob("*.md")}
        assert "added_by_migration" not in get(base + "sales/schemas/sales/customers.html")[0]

        with psycopg.connect(sales_dsn, autocommit=True) as conn:  # the migration, while serving
            conn.execute("ALTER TABLE sales.customers ADD COLUMN added_by_migration text")

        served.wait_for(r"^rebuilt; open pages reload \(version 2\)$")
        assert wait_for_version(base, 1) == 2
        assert "database sales changed; rebuilding" in served.seen
        assert "rendered again: sales; kept as they were: stock" in served.seen
        assert any(line.startswith("incremental build: MkDocs rendered") for line in served.seen), served.seen
        assert "added_by_migration" in get(base + "sales/schemas/sales/customers.html")[0]  # the changed page, served
        assert "added_by_migration" in get(base + "search/search_index.json")[0]
        assert 'data-version="2"' in get(base)[0]
        # the other database: its Markdown never rewritten, its pages served as they were
        assert {p: p.stat().st_mtime_ns for p in (root / "site_src" / "stock").rglob("*.md")} == stock_sources
        assert {p: RELOAD_TAG.sub("", get(base + p)[0]) for p in stock_pages} == stock_before
    finally:
        if served.proc.poll() is None:
            assert_stopped_cleanly(served, port, root)
