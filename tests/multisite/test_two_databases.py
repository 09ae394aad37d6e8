"""Several databases in one site, on a real PostgreSQL: two small databases, one read through
a DSN taken from an environment variable, the other from a snapshot file; one site with a
folder per database, a home page comparing them, one search index over both (each entry
labelled with its database), per-database lineage and diffs; and the commands that work on one
database (--database) or on each."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from schemadocs.multisite.search_labels import SEPARATOR
from schemadocs.render.diagram_memo import MEMO_FILE
from schemadocs.render.diagrams import dot_program
from tests.conftest import DEFAULT_MKDOCS
from tests.inprocess import assert_success_or_clean_error, run_cli
from tests.sitecheck import check_links

SALES = """
CREATE SCHEMA sales;
CREATE TABLE sales.customers (id int PRIMARY KEY, name text NOT NULL);
COMMENT ON TABLE sales.customers IS 'People who buy.';
CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES sales.customers (id), total numeric);
CREATE VIEW sales.big_orders AS SELECT id, customer_id, total FROM sales.orders WHERE total > 100;
"""
STOCK = """
CREATE SCHEMA stock;
CREATE TABLE stock.items (sku text PRIMARY KEY, label text);
COMMENT ON TABLE stock.items IS 'Things we keep.';
CREATE TABLE stock.levels (sku text REFERENCES stock.items (sku), qty int);
CREATE VIEW stock.low_stock AS SELECT sku, qty FROM stock.levels WHERE qty < 5;
"""
ENV = "SD_TEST_SALES_DSN"
PROJECT = f"""databases:
  - name: sales
    dsn_env: {ENV}
    description: Orders and the customers who place them.
  - name: stock
    snapshot: snapshots/stock.json
schemas:
  sales:
    tables:
      orders: {{description: One row per checkout, labels: [money]}}
viewpoints:
  replenishment: {{tables: [stock.items, stock.levels]}}
  revenue: {{labels: [money]}}
"""


def ok(*args: str) -> str:
    code, err = run_cli(*args)
    assert code == 0, err
    return err


@pytest.fixture(scope="module")
def env_dsn(new_database) -> Iterator[str]:  # type: ignore[no-untyped-def]
    dsn = new_database(SALES, prefix="sales")
    os.environ[ENV] = dsn
    yield dsn
    del os.environ[ENV]


@pytest.fixture(scope="module")
def project(env_dsn: str, new_database, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """A project folder: mkdocs.yml, schemadocs.yml and the stock database's snapshot."""
    root = tmp_path_factory.mktemp("two-databases")
    (root / "site_src").mkdir()
    (root / "mkdocs.yml").write_text(f"INHERIT: {DEFAULT_MKDOCS}\nsite_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    (root / "snapshots").mkdir()
    ok("snapshot", "--no-stats", "--dsn", new_database(STOCK, prefix="stock"), "-o", str(root / "snapshots" / "stock.json"))
    (root / "schemadocs.yml").write_text(PROJECT, encoding="utf-8")
    return root


def build(project: Path, out: str, *extra: str) -> Path:
    ok("build", "--no-stats", "--config", str(project / "schemadocs.yml"), "--mkdocs-config", str(project / "mkdocs.yml"),
       "--out", str(project / out), *extra)
    return project / out


@pytest.fixture(scope="module")
def sites(project: Path, env_dsn: str) -> tuple[Path, Path]:
    """The site before and after a migration of the sales database (built with --previous)."""
    first = build(project, "site1")
    with psycopg.connect(env_dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE sales.orders ADD COLUMN gift_note text")
    return first, build(project, "site2", "--previous", str(project / "site1"))


def test_every_link_of_the_two_database_site_resolves(sites: tuple[Path, Path]) -> None:
    report = check_links(sites[1])  # the site with a Changes page: every kind of page
    assert report.broken == [], report.broken[:10]
    assert report.pages > 20


def test_each_database_has_its_folder_and_its_own_snapshot(sites: tuple[Path, Path]) -> None:
    site = sites[1]
    for name, table in (("sales", "sales/schemas/sales/orders.html"), ("stock", "stock/schemas/stock/items.html")):
        assert (site / name / "index.html").is_file() and (site / table).is_file()
        snapshot = json.loads((site / name / "catalog.json").read_text(encoding="utf-8"))
        assert {r["schema"] for r in snapshot["relations"]} == {name}
    assert not (site / "catalog.json").exists() and not (site / "schemas").exists()
    assert not (site / ".schemadocs-databases.json").exists()


def test_the_home_page_compares_the_databases(sites: tuple[Path, Path]) -> None:
    home = (sites[1] / "index.html").read_text(encoding="utf-8")
    assert 'href="sales/index.html"' in home and 'href="stock/index.html"' in home
    assert "Orders and the customers who place them." in home and "snapshot stock.json" in home
    assert 'data-sd="compare-objects"' in home and 'data-sd="compare-coverage"' in home
    assert 'href="sales/health.html"' in home and 'href="stock/undocumented.html"' in home
    assert "1 of 3 (33%)" in home  # sales: customers documented, orders and the view not
    assert os.environ[ENV] not in home


def test_one_search_index_over_both_databases_each_entry_labelled(sites: tuple[Path, Path]) -> None:
    for site in sites:
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        by_location = {d["location"]: d["title"] for d in index["docs"]}
        assert by_location["sales/schemas/sales/orders.html"] == f"sales{SEPARATOR}sales.orders"
        assert by_location["stock/schemas/stock/items.html"] == f"stock{SEPARATOR}stock.items"
        assert f"stock{SEPARATOR}qty" in by_location.values()  # a column's own entry, labelled too
        for location, title in by_location.items():
            folder = location.split("/", 1)[0]
            if folder in ("sales", "stock") and "/" in location:
                assert title.startswith(folder + SEPARATOR) and SEPARATOR not in title[len(folder) + 3:], title
    index = json.loads((sites[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "sales/schemas/sales/orders.html#col-gift_note" in {d["location"] for d in index["docs"]}


def test_lineage_and_changes_stay_in_each_database(sites: tuple[Path, Path]) -> None:
    site = sites[1]
    sales, stock = ((site / db / "lineage.html").read_text(encoding="utf-8") for db in ("sales", "stock"))
    assert "big_orders" in sales and "low_stock" not in sales
    assert "low_stock" in stock and "big_orders" not in stock
    changes = (site / "sales" / "changes.html").read_text(encoding="utf-8")
    assert "gift_note" in changes
    assert not (site / "stock" / "changes.html").exists() and not (sites[0] / "sales" / "changes.html").exists()
    assert json.loads((site / "sales" / "changes.json").read_text(encoding="utf-8"))


def test_navigation_has_a_section_per_database(sites: tuple[Path, Path]) -> None:
    page = (sites[1] / "stock" / "schemas" / "stock" / "items.html").read_text(encoding="utf-8")
    assert "../../../sales/index.html" in page and "../../../index.html" in page


def test_lint_labels_findings_by_database(project: Path, sites: tuple[Path, Path], tmp_path: Path) -> None:
    config = str(project / "schemadocs.yml")
    code, err = run_cli("lint", "--no-stats", "--config", config, "--format", "json", "--fail-on", "never",
                        "--write-baseline", str(tmp_path / "all.json"))
    assert code == 0, err
    both = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    code, err = run_cli("lint", "--config", config, "--database", "stock", "--fail-on", "never",
                        "--write-baseline", str(tmp_path / "stock.json"))
    assert code == 0, err
    alone = json.loads((tmp_path / "stock.json").read_text(encoding="utf-8"))
    entries = both["findings"] if isinstance(both, dict) else both
    alone_entries = alone["findings"] if isinstance(alone, dict) else alone
    objects = {e["object"].split(":", 1)[0] for e in entries}
    assert objects == {"sales", "stock"}
    stock = {e["fingerprint"] for e in entries if e["object"].startswith("stock:")}
    assert stock and stock == {e["fingerprint"] for e in alone_entries}


def test_snapshot_out_dir_and_diff_per_database(project: Path, sites: tuple[Path, Path], tmp_path: Path) -> None:
    config = str(project / "schemadocs.yml")
    ok("snapshot", "--no-stats", "--config", config, "--out", str(tmp_path / "snaps"))
    assert sorted(p.name for p in (tmp_path / "snaps").iterdir()) == ["sales.json", "stock.json"]
    code, _ = run_cli("diff", str(sites[0]), str(tmp_path / "snaps"), "--config", config, "--fail-on", "any")
    assert code == 1  # sales gained a column
    code, _ = run_cli("diff", str(sites[0]), str(tmp_path / "snaps"), "--config", config, "--database", "stock",
                      "--fail-on", "any")
    assert code == 0


def test_lineage_of_one_database(project: Path, sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config = str(project / "schemadocs.yml")
    code, err = run_cli("lineage", "--config", config, "--database", "stock", "stock.low_stock.qty", "--format", "json")
    assert code == 0, err
    code, err = run_cli("lineage", "--config", config, "stock.low_stock")
    assert code == 2 and "pass --database NAME" in err and "sales, stock" in err


@pytest.mark.parametrize("command", ["lint", "lineage", "snapshot", "build"])
def test_an_unknown_database_lists_the_known_ones(project: Path, command: str) -> None:
    code, err = run_cli(command, "--config", str(project / "schemadocs.yml"), "--database", "nope",
                        *(["x.y"] if command == "lineage" else []),
                        *(["--out", str(project / "never")] if command == "build" else []))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "unknown database 'nope'" in err and "sales, stock" in err


def test_a_rebuild_is_incremental_with_a_page_cache_per_database(project: Path, sites: tuple[Path, Path]) -> None:
    before = {p: p.read_bytes() for p in sorted(sites[1].rglob("*.html"))}
    caches = project / ".schemadocs-cache" / "pages"
    memos = [caches / name / MEMO_FILE for name in ("sales", "stock")]
    memos_before = [(m.read_bytes(), m.stat().st_mtime_ns) if m.exists() else None for m in memos]
    err = ok("build", "--no-stats", "--config", str(project / "schemadocs.yml"), "--mkdocs-config",
             str(project / "mkdocs.yml"), "--out", str(sites[1]), "--previous", str(sites[0]))
    # only the Changes page and changes.json, whose history records when this build saw the change
    assert "incremental build: MkDocs rendered 1 changed page and copied 1 changed file " in err, err
    after = {p: p.read_bytes() for p in sorted(sites[1].rglob("*.html"))}
    assert set(after) == set(before)
    assert [p.relative_to(sites[1]).as_posix() for p in before if after[p] != before[p]] in ([], ["sales/changes.html"])
    assert all(any((caches / name).glob("*.md")) for name in ("sales", "stock"))
    # each database keeps its own memo of what its diagrams were drawn from: sharing one, each
    # build of a database would overwrite the other's, and neither would find its diagrams again
    if dot_program() is None:  # without Graphviz nothing is memoised
        assert memos_before == [None, None] and not any(m.exists() for m in memos)
    else:
        assert None not in memos_before and memos_before[0][0] != memos_before[1][0]
        assert [(m.read_bytes(), m.stat().st_mtime_ns) for m in memos] == memos_before, "found again, not rewritten"


def test_machine_files_per_database_and_an_index_of_them(sites: tuple[Path, Path]) -> None:
    index = (sites[1] / "llms.txt").read_text(encoding="utf-8")
    assert "[sales](sales/llms.txt)" in index and "[stock](stock/llms.txt)" in index
    assert "schemas/stock/items.md" in (sites[1] / "stock" / "llms.txt").read_text(encoding="utf-8")
    assert (sites[1] / "stock" / "schemas" / "stock" / "items.md").is_file()
    assert (sites[1] / "sales" / "api").is_dir()


def test_export_and_mcp_read_one_database(project: Path, sites: tuple[Path, Path], tmp_path: Path) -> None:
    config = str(project / "schemadocs.yml")
    ok("export", "--config", config, "--database", "stock", "--format", "dbml", "-o", str(tmp_path / "stock.dbml"))
    dbml = (tmp_path / "stock.dbml").read_text(encoding="utf-8")
    assert "items" in dbml and "customers" not in dbml
    code, err = run_cli("mcp", "--site", str(sites[1]), "--http", "127.0.0.1:1")
    assert code == 2 and "documents 2 databases (sales, stock); pass --database NAME" in err, err


def test_breadcrumbs_start_at_the_databases(sites: tuple[Path, Path]) -> None:
    page = (sites[1] / "stock" / "schemas" / "stock" / "items.html").read_text(encoding="utf-8")
    assert ('<a href="../../../index.html">Databases</a> › <a href="../../index.html">stock</a> › '
            '<a href="index.html">stock</a>') in page
    home = (sites[1] / "sales" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../index.html">Databases</a> › sales</p>' in home


def test_the_project_file_goes_to_the_databases_it_names(sites: tuple[Path, Path], project: Path,
                                                         tmp_path: Path) -> None:
    orders = (sites[1] / "sales" / "schemas" / "sales" / "orders.html").read_text(encoding="utf-8")
    assert "One row per checkout" in orders
    assert (sites[1] / "stock" / "viewpoints" / "replenishment.html").is_file()
    assert (sites[1] / "sales" / "viewpoints" / "revenue.html").is_file()
    assert not (sites[1] / "sales" / "viewpoints" / "replenishment.html").exists()
    assert not (sites[1] / "stock" / "viewpoints" / "revenue.html").exists()
    wrong = tmp_path / "schemadocs.yml"
    wrong.write_text((project / "schemadocs.yml").read_text(encoding="utf-8").replace("snapshots/", f"{project}/snapshots/")
                     .replace("orders:", "orderz:"), encoding="utf-8")
    code, err = run_cli("lint", "--config", str(wrong))  # after what was read, as for one database
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[-1].endswith("table sales.orderz is in none of the databases (sales, stock); "
                                         "fix the name, or mark it optional: true")


def test_a_parallel_build_labels_the_same_search_entries(project: Path, sites: tuple[Path, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMADOCS_JOBS", "2")  # MkDocs in two processes, each labelling its share's index
    parallel = build(project, "site-parallel", "--previous", str(sites[0]))
    entries = [[(d["location"], d["title"]) for d in json.loads((site / "search" / "search_index.json")
                                                               .read_text(encoding="utf-8"))["docs"]]
               for site in (parallel, sites[1])]
    assert entries[0] == entries[1]
