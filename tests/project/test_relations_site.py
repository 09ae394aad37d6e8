"""Virtual relations and suggest-relations on a real PostgreSQL: a site built with relations: (page,
dashed SVG edge, API, snapshot untouched), lint, and --check-data counting planted orphans."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import threading
from pathlib import Path

from bs4 import BeautifulSoup
from unittest import mock

import psycopg
import pytest
import yaml

from schemadocs.cli import main
from schemadocs.model import QualifiedName
from schemadocs.project.orphans import count_orphans
from schemadocs.project.suggest import Candidate
from schemadocs.render.slugs import relation_page

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id integer PRIMARY KEY, name text);
CREATE TABLE shop.orders (id integer PRIMARY KEY, customer_id integer, note text);
CREATE TABLE shop.items (id integer PRIMARY KEY, order_id integer REFERENCES shop.orders);
INSERT INTO shop.customers SELECT g, 'c' || g FROM generate_series(1, 7) g;
INSERT INTO shop.orders SELECT g, g, NULL FROM generate_series(1, 10) g;  -- 8, 9, 10: orphans
INSERT INTO shop.orders VALUES (11, NULL, 'no customer: not an orphan');
"""

PROJECT = """
relations:
  - from: shop.orders
    columns: [customer_id]
    to: shop.customers
    note: "legacy app: <script>alert(1)</script> no FK"
"""


def cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """`schemadocs ARGS` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "argv", ["schemadocs", *args]), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err), contextlib.chdir(cwd or Path.cwd()):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def shop_dsn(new_database) -> str:  # type: ignore[no-untyped-def]
    return new_database(SHOP, prefix="vrel")


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("vrel")
    (where / "schemadocs.yml").write_text(PROJECT, encoding="utf-8")
    (where / "site_src").mkdir()
    (where / "mkdocs.yml").write_text(f"INHERIT: {Path(__file__).parents[2] / 'schemadocs' / 'default_mkdocs.yml'}\n"
                                      "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    return where


def test_site_shows_virtual_relations_and_keeps_the_snapshot_clean(shop_dsn: str, project_dir: Path) -> None:
    code, _, err = cli("build", "--dsn", shop_dsn, "--config", "schemadocs.yml", "--mkdocs-config", "mkdocs.yml",
                       "--out", "site", cwd=project_dir)
    assert code == 0, err
    site = project_dir / "site"
    orders = (site / relation_page(QualifiedName("shop", "orders")).replace(".md", ".html")).read_text(encoding="utf-8")
    assert 'sd-badge-virtual"' in orders and "orders_customer_id_vfkey" in orders
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in orders and "<script>alert(1)" not in orders
    svg = [line for line in orders.splitlines() if "<path" in line and "stroke-dasharray" in line]
    assert svg, "the virtual key's edge is drawn dashed in the SVG"
    customers = (site / relation_page(QualifiedName("shop", "customers")).replace(".md", ".html")).read_text(encoding="utf-8")
    assert "referenced by" in customers and "orders_customer_id_vfkey" in customers
    columns = BeautifulSoup((site / "columns.html").read_text(encoding="utf-8"), "html.parser")
    heads = [th.get_text() for th in columns.select('table[data-sd="column-index"] thead th')]
    refs = {(cells[1].get_text(), cells[0].get_text()): cells[heads.index("References")].get_text()
            for row in columns.select('table[data-sd="column-index"] tbody tr') for cells in [row.find_all("td")]}
    assert refs["shop.orders", "customer_id"] == "shop.customers (virtual)"  # the column index names virtual keys too
    assert all(ref == "" or ref.startswith("shop.") for ref in refs.values())
    snapshot = (site / "catalog.json").read_text(encoding="utf-8")
    assert "vfkey" not in snapshot and '"virtual"' not in snapshot
    api = [json.loads(p.read_text(encoding="utf-8")) for p in (site / "api").rglob("*.json") if "orders" in p.name]
    fks = [k for doc in api if isinstance(doc, dict) for k in doc.get("foreign_keys", ())]
    assert [(k["name"], k["virtual"]) for k in fks] == [("orders_customer_id_vfkey", True)]


def test_lint_sees_virtual_keys_and_bad_entries_fail_cleanly(shop_dsn: str, project_dir: Path) -> None:
    code, out, err = cli("lint", "--dsn", shop_dsn, "--config", "schemadocs.yml", "--rule", "fk-without-index",
                         "--format", "json", "--fail-on", "never", cwd=project_dir)
    assert code == 0, err
    messages = sorted(f["message"] for f in json.loads(out)["findings"])
    assert messages == ["foreign key items_order_id_fkey (order_id) → shop.orders has no index led by its columns",
                        "virtual foreign key orders_customer_id_vfkey (from the project file) (customer_id) → "
                        "shop.customers has no index led by its columns"]
    bad = project_dir / "bad.yml"
    bad.write_text("relations:\n  - {from: shop.orders, columns: [customer], to: shop.customers}\n", encoding="utf-8")
    code, _, err = cli("lint", "--dsn", shop_dsn, "--config", "bad.yml", cwd=project_dir)
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 2 and lines == [f"error: bad.yml line 2: columns: shop.orders has no column 'customer' (did you mean "
                                   "customer_id?); fix the name, or add optional: true if it may be absent"]


def test_suggest_relations_check_data_counts_planted_orphans(shop_dsn: str, tmp_path: Path) -> None:
    code, out, err = cli("suggest-relations", "--dsn", shop_dsn, "--check-data", "--sample", "100", cwd=tmp_path)
    assert code == 0, err
    assert yaml.safe_load(out)["relations"] == [{
        "from": "shop.orders", "columns": ["customer_id"], "to": "shop.customers", "to_columns": ["id"],
        "note": "suggested from the column name (customer_id)"}]
    assert "; data: 3 of 10 sampled rows have no match (orphans)\n" in out  # the NULL row is not counted
    # the project file's relations are not suggested again
    (tmp_path / "schemadocs.yml").write_text(PROJECT, encoding="utf-8")
    code, out, _ = cli("suggest-relations", "--dsn", shop_dsn, cwd=tmp_path)
    assert code == 0 and yaml.safe_load(out)["relations"] == []
    code, _, err = cli("suggest-relations", "--snapshot", "x.json", "--check-data", cwd=tmp_path)
    assert code == 2 and err.strip() == "error: --check-data reads rows: pass --dsn, not --snapshot"


def test_orphan_counts_are_bounded_and_time_out_per_candidate(shop_dsn: str) -> None:
    orders = Candidate(QualifiedName("shop", "orders"), ("customer_id",), QualifiedName("shop", "customers"), ("id",), ())
    items = Candidate(QualifiedName("shop", "items"), ("order_id",), QualifiedName("shop", "orders"), ("id",), ())
    (few,) = count_orphans(shop_dsn, [orders], sample=4)
    assert (few.sampled, few.orphans) == (4, 0)  # the sample bounds the rows read
    locked, released = threading.Event(), threading.Event()

    def hold_lock() -> None:
        with psycopg.connect(shop_dsn) as conn:
            conn.execute("LOCK TABLE shop.orders IN ACCESS EXCLUSIVE MODE")
            locked.set()
            released.wait(30)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(30)
        blocked, other = count_orphans(shop_dsn, [orders, items], lock_timeout_ms=200)
    finally:
        released.set()
        holder.join()
    assert blocked.problem == "a lock was not granted within 0.2s" and blocked.sampled is None
    assert blocked.evidence() == "data not checked: a lock was not granted within 0.2s"
    assert other.problem is not None  # items' check reads shop.orders too: also blocked, still reported
    (after,) = count_orphans(shop_dsn, [items])
    assert (after.sampled, after.orphans, after.problem) == (0, 0, None)
