"""`schemadocs build --previous OLD --plan FILE.json`: the migration plan on the Changes page.

The plan is hand-built (a `Plan`, written with `json_format.dumps`) over the demo schema: the
site is built with it, the page parsed and its content asserted; a later build with another
plan (or none) shows that one; a plan full of hostile names shows them as text and runs
nothing in headless Chromium; and the CLI's errors are one line.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from schemadocs import snapshot
from schemadocs.build import build
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog
from schemadocs.plan import json_format
from schemadocs.plan.model import (
    Assumptions,
    FileWarning,
    HeldLock,
    Lock,
    LockMode,
    Observation,
    Plan,
    Risk,
    Statement,
    StatementPlan,
    Transaction,
)
from schemadocs.render.changes_plan import duration
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser  # noqa: F401 (browser: the Chromium fixture)
from tests.render.test_changes_page import ORDERS, add_column, project
from tests.render.test_hostile_names import PROBE
from tests.sitecheck import check_links
from tests.test_cli import assert_clean_error, run

FILE = "migrations/0042_orders.sql"
GB = 1_300_000_000
ASSUMPTIONS = Assumptions(method="copy", sizes_from="snapshot prod.json", rewrite_bytes_per_second=45_000_000.0,
                          scan_bytes_per_second=630_000_000.0, large_bytes=100 * 1024 * 1024, server_version="16.2")
RETYPE_ADVICE = ("-- add a bigint column, backfill it in batches, then swap:\n"
                 "ALTER TABLE app.orders ADD COLUMN id_new bigint;")
TIMEOUT_ADVICE = "SET lock_timeout = '2s';"


def statement(line: int, sql: str, risk: Risk, seconds: float, *, locks: tuple[Lock, ...] = (),
              rewrites: tuple[str, ...] = (), scans: tuple[str, ...] = (), reasons: tuple[str, ...] = (),
              advice: str | None = None, file: str = FILE, **observed: Any) -> StatementPlan:
    sizes = tuple(sorted({r: GB for r in (*rewrites, *scans)}.items()))
    return StatementPlan(Observation(Statement(file, line, sql), locks=locks, rewrites=rewrites, scans=scans,
                                     sizes=sizes, **observed), risk, seconds, reasons, advice)


def demo_plan() -> Plan:
    """A three-statement migration of app.orders, one of them high risk."""
    exclusive = Lock("app.orders", LockMode.ACCESS_EXCLUSIVE)
    statements = (
        statement(1, "ALTER TABLE app.orders\n    ALTER COLUMN id TYPE bigint", Risk.HIGH, 40.0, locks=(exclusive,),
                  rewrites=("app.orders",), reasons=("rewrites app.orders (1.2 GB) holding a lock that blocks "
                                                     "reads and writes",), advice=RETYPE_ADVICE),
        statement(4, "CREATE INDEX orders_notes ON app.orders (notes)", Risk.MEDIUM, 2.5,
                  locks=(Lock("app.orders", LockMode.SHARE),), scans=("app.orders",)),
        statement(6, "ALTER TABLE app.orders ADD COLUMN notes text", Risk.LOW, 0.0, locks=(exclusive,)),
    )
    held = (HeldLock("app.orders", LockMode.ACCESS_EXCLUSIVE, 0, 42.5),)
    warnings = (FileWarning(FILE, 0, Risk.HIGH, "ACCESS EXCLUSIVE on app.orders taken without lock_timeout",
                            TIMEOUT_ADVICE),)
    return Plan(statements, held, warnings, ASSUMPTIONS, Transaction.PER_FILE)


def other_plan() -> Plan:
    """A data-only migration: no schema change for the diff to see."""
    only = statement(1, "UPDATE app.orders SET status = 'x' WHERE false", Risk.LOW, 0.0, file="migrations/0043_data.sql",
                     locks=(Lock("app.orders", LockMode.ROW_EXCLUSIVE),))
    return Plan((only,), (), (), ASSUMPTIONS, Transaction.PER_STATEMENT)


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "changes.html").read_text(encoding="utf-8"), "html.parser")


def cells(row: Any) -> list[str]:
    return [td.get_text(" ", strip=True) for td in row.select("td")]


@pytest.fixture(scope="module")
def sites(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo built four times into one directory, each with --previous the site before: as is;
    with app.orders.notes added and the demo plan; unchanged with the data-only plan; unchanged
    without a plan. Returns a copy of each built site."""
    root = tmp_path_factory.mktemp("site_plan")
    config = project(root)
    changed = add_column(demo_catalog, ORDERS, "notes")
    steps = ((demo_catalog, None), (changed, demo_plan()), (changed, other_plan()), (changed, None))
    copies = []
    with pytest.MonkeyPatch.context() as mp:
        for n, (catalog, plan) in enumerate(steps, start=1):
            mp.setenv("SOURCE_DATE_EPOCH", str(1_780_000_000 + n * 3600))
            build(catalog, root / "site", config, previous=root / "site" if n > 1 else None, plan=plan)
            copies.append(Path(shutil.copytree(root / "site", root / f"copy{n}")))
    return copies


def test_the_plan_sits_beside_this_builds_changes(sites: list[Path]) -> None:
    soup = page(sites[1])
    section = soup.select_one("h3#build-1-plan")
    assert section is not None and section.get_text(strip=True).startswith("Migration plan")
    assert section.find_previous("h2")["id"] == "build-1", "inside the section of the build that applied it"
    summary = section.find_next("p").get_text(" ", strip=True)
    assert summary.startswith("high 3 statements (1 high, 1 medium, 1 low), run in one transaction per file")
    rows = soup.select("table[data-sd=plan] tbody tr")
    assert [cells(r)[:2] for r in rows] == [[f"{FILE}:1", "high"], [f"{FILE}:4", "medium"], [f"{FILE}:6", "low"]]
    first, second, third = (cells(r) for r in rows)
    assert first[2].startswith("ALTER TABLE app.orders ALTER COLUMN id TYPE bigint rewrites app.orders (1.2 GB)")
    assert first[3] == "app.orders AccessExclusiveLock (blocks reads and writes)"
    assert first[4] == "app.orders (1.2 GB)" and first[5] == "" and first[6] == "40.0 s"
    assert second[3] == "app.orders ShareLock (blocks writes)" and second[5] == "app.orders (1.2 GB)"
    assert second[6] == "2.5 s"
    assert third[4:] == ["", "", ""], "no rewrite, no scan, no estimate"
    lock_link = rows[0].select("td")[3].select_one("a")
    assert lock_link is not None and lock_link["href"] == "schemas/app/orders.html"


def test_held_locks_warnings_advice_and_assumptions(sites: list[Path]) -> None:
    soup = page(sites[1])
    (held,) = soup.select("table[data-sd=plan-held] tbody tr")
    assert cells(held) == ["app.orders", "AccessExclusiveLock", "reads and writes", f"{FILE}:1", "42.5 s"]
    (warning,) = soup.select("table[data-sd=plan-warnings] tbody tr")
    assert cells(warning) == [f"{FILE}:1", "high", "ACCESS EXCLUSIVE on app.orders taken without lock_timeout"]
    blocks = [pre.get_text().strip() for pre in soup.select("#build-1-plan-advice ~ div pre, "
                                                            "#build-1-plan-advice ~ pre")]
    assert blocks == [RETYPE_ADVICE, TIMEOUT_ADVICE]
    assumptions = {tr.th.get_text(strip=True): tr.td.get_text(strip=True)
                   for tr in soup.select("table[data-sd=plan-assumptions] tr")}
    assert assumptions == {"Observed on": "PostgreSQL 16.2, run on a copy (CREATE DATABASE ... TEMPLATE)",
                           "Sizes from": "snapshot prod.json", "Rewrite throughput": "42.9 MB/s",
                           "Scan throughput": "600.8 MB/s", "Large from": "100.0 MB"}


def test_a_plan_without_schema_changes_has_a_section_of_its_own(sites: list[Path]) -> None:
    soup = page(sites[2])
    assert soup.select_one("h2#this-build") is not None and soup.select_one("h3#plan") is not None
    assert soup.select_one("h3#build-1-plan") is None, "the previous build's plan is not carried over"
    (row,) = soup.select("table[data-sd=plan] tbody tr")
    assert cells(row)[:4] == ["migrations/0043_data.sql:1", "low", "UPDATE app.orders SET status = 'x' WHERE false",
                              "app.orders RowExclusiveLock (blocks nothing)"]
    assert "run one statement at a time" in soup.select_one("h3#plan").find_next("p").get_text()
    assert [h["id"] for h in soup.select("h2[id^=build-]")] == ["build-1"], "the history is unchanged"


def test_a_build_without_a_plan_shows_none(sites: list[Path]) -> None:
    soup = page(sites[3])
    assert soup.select("table[data-sd=plan]") == [] and soup.select_one("#this-build") is None
    assert [h["id"] for h in soup.select("h2[id^=build-]")] == ["build-1"]


@pytest.mark.parametrize("n", [1, 2])
def test_no_broken_links(sites: list[Path], n: int) -> None:
    report = check_links(sites[n])
    assert report.links > 0 and not report.broken, report.broken[:10]


def test_a_plan_alone_makes_a_changes_page(demo_catalog: Catalog, tmp_path: Path) -> None:
    config = project(tmp_path)
    build(demo_catalog, tmp_path / "site", config)
    build(demo_catalog, tmp_path / "site", config, previous=tmp_path / "site", plan=other_plan())
    soup = page(tmp_path / "site")
    assert soup.select_one("h3#plan") is not None and "No changes recorded yet." in soup.get_text()
    assert "Changes" in [a.get_text(strip=True) for a in
                         BeautifulSoup((tmp_path / "site" / "index.html").read_text(), "html.parser").select("nav a")]


def test_a_plan_needs_previous(demo_catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pass --previous"):
        build(demo_catalog, tmp_path / "site", project(tmp_path), plan=demo_plan())
    assert not (tmp_path / "site").exists()


# -- hostile names ------------------------------------------------------------------------

XSS = "</td><script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
HOSTILE_RELATION = f'"{XSS}"."{IMG}"'
HOSTILE_SQL = f'ALTER TABLE {HOSTILE_RELATION}\n\n  ALTER COLUMN "{{{{7*7}}}}" TYPE bigint -- ``` <b>unclosed'
HOSTILE_ADVICE = f"```\n</code></pre><script>window.__xss=1</script>\n\nALTER TABLE {HOSTILE_RELATION} ADD COLUMN x int;"


def hostile_plan() -> Plan:
    lock = Lock(HOSTILE_RELATION, LockMode.ACCESS_EXCLUSIVE)
    only = statement(3, HOSTILE_SQL, Risk.HIGH, 3.0, file=f"migrations/{IMG}.sql", locks=(lock,),
                     rewrites=(HOSTILE_RELATION,), scans=(HOSTILE_RELATION,), reasons=(f"rewrites {XSS}\n\nbig",),
                     advice=HOSTILE_ADVICE, note=f"note {IMG}", error=f'relation "{XSS}" does not exist')
    held = (HeldLock(HOSTILE_RELATION, LockMode.ACCESS_EXCLUSIVE, 0, 3.0),)
    warnings = (FileWarning(f"migrations/{IMG}.sql", 0, Risk.HIGH, f"<b>unclosed {XSS}", HOSTILE_ADVICE),)
    assumptions = Assumptions(method=f"copy {IMG}", sizes_from=f"snapshot {XSS}", rewrite_bytes_per_second=1.0,
                              scan_bytes_per_second=1.0, large_bytes=1, server_version=IMG)
    return Plan((only,), held, warnings, assumptions, Transaction.PER_FILE)


@pytest.fixture(scope="module")
def hostile_site(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile_plan")
    config = project(root)
    build(demo_catalog, root / "site", config)
    plan = json_format.loads(json_format.dumps(hostile_plan()))  # through its JSON, as `build --plan` reads it
    build(add_column(demo_catalog, ORDERS, "notes"), root / "site", config, previous=root / "site", plan=plan)
    return root / "site"


def test_hostile_names_in_a_plan_are_text(hostile_site: Path) -> None:
    soup = page(hostile_site)
    assert not soup.find_all("script", string=lambda s: bool(s and "__xss" in s))
    assert not soup.select("img[src=x], [onerror]") and not soup.find_all("b", string="unclosed")
    (row,) = soup.select("table[data-sd=plan] tbody tr")
    where, risk, sql, locks, rewrites, scans, estimate = (td.get_text() for td in row.select("td"))
    assert where == f"migrations/{IMG}.sql:3" and risk == "high" and estimate == "3.0 s"
    assert sql.startswith(" ".join(HOSTILE_SQL.split()))
    assert f"rewrites {XSS} big" in sql and f"note {IMG}" in sql and f'failed: relation "{XSS}" does not exist' in sql
    assert locks == f"{HOSTILE_RELATION} AccessExclusiveLock (blocks reads and writes)"
    assert rewrites == scans == f"{HOSTILE_RELATION} (1.2 GB)"
    (held,) = soup.select("table[data-sd=plan-held] tbody tr")
    assert held.td.get_text() == HOSTILE_RELATION
    (warning,) = soup.select("table[data-sd=plan-warnings] tbody tr")
    assert warning.select("td")[2].get_text() == f"<b>unclosed {XSS}"
    advice = [pre.get_text().strip() for pre in soup.select("#build-1-plan-advice ~ div pre")]
    assert advice == [HOSTILE_ADVICE, HOSTILE_ADVICE]
    assumptions = {tr.th.get_text(): tr.td.get_text() for tr in soup.select("table[data-sd=plan-assumptions] tr")}
    assert assumptions["Observed on"] == f"PostgreSQL {IMG}, copy {IMG}"
    assert assumptions["Sizes from"] == f"snapshot {XSS}"


def test_a_hostile_plan_runs_nothing_in_a_browser(browser: Any, hostile_site: Path) -> None:  # noqa: F811
    dialogs: list[str] = []
    tab = browser.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        with served(hostile_site) as url:
            tab.goto(f"{url}/changes.html", wait_until="load")
            bad = tab.evaluate(PROBE)
            shown = tab.locator("table[data-sd=plan]").inner_text()
    finally:
        tab.close()
    assert bad == [] and dialogs == []
    assert XSS in shown and IMG in shown


# -- the command line ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def snapshots(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plan_cli")
    (root / "old.json").write_text(snapshot.dumps(demo_catalog), encoding="utf-8")
    (root / "new.json").write_text(snapshot.dumps(add_column(demo_catalog, ORDERS, "notes")), encoding="utf-8")
    (root / "plan.json").write_text(json_format.dumps(demo_plan()), encoding="utf-8")
    project(root)
    return root


def test_cli_builds_with_a_plan(snapshots: Path) -> None:
    done = run("build", "--snapshot", "new.json", "--previous", "old.json", "--plan", "plan.json", "--out", "site",
               cwd=snapshots)
    assert done.returncode == 0, done.stderr
    assert "1 schema change since the previous build" in done.stderr
    rows = page(snapshots / "site").select("table[data-sd=plan] tbody tr")
    assert [cells(r)[0] for r in rows] == [f"{FILE}:1", f"{FILE}:4", f"{FILE}:6"]


@pytest.mark.parametrize(("content", "args", "needles"), [
    (None, ("--plan", "plan.json"), ("--plan", "pass --previous too")),
    ('{"statements": []}', ("--previous", "old.json", "--plan", "bad.json"),
     ("plan bad.json is not a migration plan", "schemadocs plan ... --format json")),
    ("\xff\xfe", ("--previous", "old.json", "--plan", "bad.json"), ("cannot read plan bad.json: not UTF-8",)),
    (None, ("--previous", "old.json", "--plan", "missing.json"), ("cannot read plan missing.json",)),
])
def test_cli_refuses_a_bad_plan_in_one_line(snapshots: Path, tmp_path: Path, content: str | None,
                                            args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    for name in ("old.json", "new.json"):
        shutil.copy(snapshots / name, tmp_path / name)
    (tmp_path / "plan.json").write_text(json_format.dumps(demo_plan()), encoding="utf-8")
    if content is not None:
        (tmp_path / "bad.json").write_bytes(content.encode("latin-1") if content.startswith("\xff")
                                            else content.encode())
    done = run("build", "--snapshot", "new.json", "--out", "site", *args, cwd=tmp_path)
    assert_clean_error(done, *needles)
    assert done.returncode == 2 and not (tmp_path / "site").exists()


@pytest.mark.parametrize(("seconds", "shown"), [(0.0, "< 0.1 s"), (12.46, "12.5 s"), (200, "3 min 20 s"),
                                                (7500, "2 h 5 min")])
def test_durations_read_as_a_person_would_say_them(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown
