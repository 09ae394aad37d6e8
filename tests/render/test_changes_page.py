"""The site's Changes page and "changed in this build" badge: successive builds of the demo as
migrations land, the history kept (newest first) in the site, `--previous`, and every link
of the built site followed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schemadocs import snapshot
from schemadocs.build import build
from schemadocs.diff.history import loads as load_history
from schemadocs.errors import SnapshotError
from schemadocs.model import Catalog, Column, QualifiedName
from tests.conftest import DEFAULT_MKDOCS, build_in
from tests.sitecheck import check_links
from tests.test_cli import assert_clean_error, run

ORDERS, USERS = QualifiedName("app", "orders"), QualifiedName("app", "users")


def add_column(catalog: Catalog, qname: QualifiedName, name: str) -> Catalog:
    def change(rel):  # type: ignore[no-untyped-def]
        if rel.qname != qname:
            return rel
        column = Column(name=name, type="text", nullable=True, position=max(c.position for c in rel.columns) + 1)
        return dataclasses.replace(rel, columns=(*rel.columns, column))
    return dataclasses.replace(catalog, relations=tuple(change(r) for r in catalog.relations))


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def badge(site: Path, qname: QualifiedName) -> str | None:
    found = page(site, f"schemas/{qname.schema}/{qname.name}.html").select_one("a.sd-badge-changed")
    return None if found is None else found["href"]


def project(root: Path) -> Path:
    """A project dir of its own (mkdocs.yml + site_src/); returns its mkdocs.yml."""
    (root / "site_src").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(f"INHERIT: {DEFAULT_MKDOCS}\n"
                                     "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def sites(demo_catalog, tmp_path_factory):
    """The demo built four times into one directory, each build with --previous the site
    before: as is, after a change to app.orders, after one to app.users, and unchanged.
    Returns the copies of each built site."""
    import shutil

    root = tmp_path_factory.mktemp("changes")
    config = project(root)
    first = demo_catalog
    second = add_column(first, ORDERS, "notes")
    third = add_column(second, USERS, "nickname")
    copies = []
    with pytest.MonkeyPatch.context() as mp:
        for n, catalog in enumerate((first, second, third, third), start=1):
            mp.setenv("SOURCE_DATE_EPOCH", str(1_780_000_000 + n * 3600))
            build(catalog, root / "site", config, previous=root / "site" if n > 1 else None)
            copies.append(Path(shutil.copytree(root / "site", root / f"copy{n}")))
    return copies


def test_first_build_keeps_its_snapshot_and_has_no_changes_page(sites, demo_catalog):
    site = sites[0]
    assert snapshot.load(site / "catalog.json") == demo_catalog
    assert not (site / "changes.html").exists() and not (site / "changes.json").exists()
    assert badge(site, ORDERS) is None


def test_a_change_gets_a_page_and_a_badge(sites):
    site = sites[1]
    assert badge(site, ORDERS) == "../../changes.html#build-1"
    assert badge(site, USERS) is None
    changes = page(site, "changes.html")
    assert changes.select_one("h2#build-1").text.startswith("Build 1 · 2026-05-28 22:26:40 UTC")
    (row,) = changes.select("table[data-sd=changes] tbody tr")
    assert "column app.orders.notes added" in row.text and row.select_one("a")["href"] == "schemas/app/orders.html"
    assert "Changes" in [a.text.strip() for a in page(site, "index.html").select("nav a")]


def test_history_is_kept_newest_first(sites):
    site = sites[2]
    assert badge(site, USERS) == "../../changes.html#build-2"
    assert badge(site, ORDERS) is None, "changed in an earlier build, not this one"
    titles = [h.get("id") for h in page(site, "changes.html").select("h2[id^=build-]")]
    assert titles == ["build-2", "build-1"]
    history = load_history((site / "changes.json").read_text())
    assert [len(b.changes) for b in history] == [1, 1]
    assert history[0].changes[0].name == "app.users.nickname"


def test_a_build_without_changes_keeps_the_history_and_drops_the_badges(sites):
    site = sites[3]
    assert badge(site, USERS) is None
    assert [h["id"] for h in page(site, "changes.html").select("h2[id^=build-]")] == ["build-2", "build-1"]
    assert (site / "changes.json").read_text() == (sites[2] / "changes.json").read_text()


@pytest.mark.parametrize("n", range(4))
def test_no_broken_links(sites, n):
    report = check_links(sites[n])
    assert report.links > 0 and not report.broken, report.broken[:10]


def test_previous_file_with_its_history(sites, demo_catalog, tmp_path):
    # e.g. catalog.json and changes.json downloaded from the published site into previous/
    previous = tmp_path / "previous"
    previous.mkdir()
    for name in ("catalog.json", "changes.json"):
        (previous / name).write_bytes((sites[2] / name).read_bytes())
    result = build(demo_catalog, tmp_path / "out", project(tmp_path), previous=previous / "catalog.json")
    assert result.changes == 2  # both columns gone again
    history = json.loads((tmp_path / "out" / "changes.json").read_text())["builds"]
    assert len(history) == 3 and history[0]["old"] == "catalog.json"
    assert {c["name"] for c in history[0]["changes"]} == {"app.orders.notes", "app.users.nickname"}
    assert all(c["severity"] == "breaking" for c in history[0]["changes"])
    assert badge(tmp_path / "out", ORDERS) == "../../changes.html#build-3"


def test_missing_previous_file_is_an_error(demo_catalog, tmp_path):
    with pytest.raises(SnapshotError, match="cannot read snapshot"):
        build(demo_catalog, tmp_path / "out", None, previous=tmp_path / "nope.json")
    done = run("build", "--snapshot", str(tmp_path / "nope.json"), "--previous", str(tmp_path / "nope.json"),
               cwd=tmp_path)
    assert_clean_error(done, "cannot read snapshot")


def test_without_previous_there_is_no_changes_page(demo_catalog, tmp_path):
    # the site of the same directory is not compared unless asked: builds stay independent
    site = build_in(tmp_path, demo_catalog)
    build_in(tmp_path, add_column(demo_catalog, ORDERS, "notes"))
    assert not (site / "changes.html").exists() and badge(site, ORDERS) is None


def test_unreadable_previous_site_is_an_error(demo_catalog, tmp_path):
    site = build_in(tmp_path, demo_catalog)
    (site / "catalog.json").write_text("{}")
    with pytest.raises(SnapshotError, match="no format_version"):
        build(demo_catalog, tmp_path / "site", tmp_path / "mkdocs.yml", previous=site)
    assert (site / "index.html").is_file(), "the previous site is untouched"
