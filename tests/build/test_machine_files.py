"""Sites built without some files for machines (`render.machine_files`): `--no-markdown-copies`
leaves out the clean `.md` copies and `llms-full.txt`, `--no-api-files` the per-object `api/`
files; both are read from the project file's `options: build:` too.

In: the demo catalog, built once with both left out (beside the session's default demo site),
and a small site rebuilt in one folder as the two settings change. Out: pass when the pages are
byte-identical to the default site's, every link of the pages, of `llms.txt` and of
`api/index.json` leads to a file there, `catalog.json` and `api/health/` stay, an incremental
build drops or brings back the `.md` copies, and a bad value in the project file is one error line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from schemadocs.build import build
from schemadocs.cli import cli
from schemadocs.multisite.build import llms_index
from schemadocs.project.databases import Database
from schemadocs.project.file import load
from schemadocs.project.options import default_map
from schemadocs.render.machine_files import MachineFiles
from tests.sitecheck import check_links
from tests.test_cli import assert_clean_error, run

NONE = MachineFiles(markdown=False, api_objects=False)
OBJECT_DIRS = ("api/relations", "api/routines", "api/types")


def project_dir(tmp: Path) -> Path:
    """A project folder as conftest.build_in makes one (mkdocs.yml, site_src/), not yet built."""
    (tmp / "site_src").mkdir(parents=True, exist_ok=True)
    (tmp / "mkdocs.yml").write_text(
        f"INHERIT: {Path(__file__).parents[2] / 'schemadocs' / 'default_mkdocs.yml'}\n"
        "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def lean_site(demo_catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = project_dir(tmp_path_factory.mktemp("lean"))
    build(demo_catalog, tmp / "site", tmp / "mkdocs.yml", machine=NONE)
    return tmp / "site"


def files(site: Path, pattern: str = "*") -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob(pattern) if p.is_file()}


def test_the_pages_are_the_default_sites_and_the_machine_files_are_left_out(lean_site: Path, demo_site: Path) -> None:
    assert files(demo_site, "*.md") and (demo_site / "llms-full.txt").is_file()  # the default writes them
    assert any((demo_site / d).is_dir() for d in OBJECT_DIRS)
    assert files(lean_site, "*.md") == set() and not (lean_site / "llms-full.txt").exists()
    assert not any((lean_site / d).exists() for d in OBJECT_DIRS)
    html = files(demo_site, "*.html")
    assert html == files(lean_site, "*.html") and len(html) > 20
    changed = [p for p in sorted(html) if (demo_site / p).read_bytes() != (lean_site / p).read_bytes()]
    assert changed == [], changed[:5]
    gone = files(demo_site) - files(lean_site)
    assert all(p.endswith(".md") or p == "llms-full.txt" or p.startswith(OBJECT_DIRS) for p in gone), sorted(gone)[:5]
    assert (lean_site / "catalog.json").read_bytes() == (demo_site / "catalog.json").read_bytes()
    assert files(lean_site, "api/health/*.json") == files(demo_site, "api/health/*.json") != set()


def test_every_link_leads_to_a_file(lean_site: Path) -> None:
    report = check_links(lean_site)
    assert report.pages > 20 and report.links > 100
    assert report.broken == [], report.broken[:5]
    llms = (lean_site / "llms.txt").read_text(encoding="utf-8")
    assert "publishes no Markdown copies" in llms and "catalog.json" in llms and "llms-full.txt](" not in llms
    links = re.findall(r"\]\(([^)]+)\)", llms)
    assert len(links) > 20 and all(link.endswith(".html") for link in links), links[:5]
    assert [link for link in links if not (lean_site / link).is_file()] == []
    index = json.loads((lean_site / "api" / "index.json").read_text(encoding="utf-8"))
    assert len(index["objects"]) > 20
    for entry in index["objects"]:
        assert "api" not in entry["links"]
        assert (lean_site / entry["links"]["html"].split("#")[0]).is_file(), entry


def test_an_incremental_build_drops_and_brings_back_the_copies(demo_catalog, tmp_path: Path) -> None:
    tmp = project_dir(tmp_path)
    site = tmp / "site"
    build(demo_catalog, site, tmp / "mkdocs.yml")
    assert files(site, "*.md") and (site / "llms-full.txt").is_file()
    lean = build(demo_catalog, site, tmp / "mkdocs.yml", machine=MachineFiles(markdown=False))
    assert lean.rebuilt_files is not None, "the pages did not change: an incremental build"
    assert files(site, "*.md") == set() and not (site / "llms-full.txt").exists()
    assert any((site / d).is_dir() for d in OBJECT_DIRS)
    back = build(demo_catalog, site, tmp / "mkdocs.yml", machine=MachineFiles(api_objects=False))
    assert files(site, "*.md") and (site / "llms-full.txt").is_file()
    assert not any((site / d).exists() for d in OBJECT_DIRS)
    assert back.rebuilt_files is None  # api/ files gone from the docs dir: a full build
    assert check_links(site).broken == []


def test_the_project_file_sets_them_and_refuses_a_bad_value(tmp_path: Path) -> None:
    good = tmp_path / "schemadocs.yml"
    good.write_text("options:\n  build:\n    markdown-copies: false\n    api-files: false\n", encoding="utf-8")
    assert default_map(load(good), cli, "build") == {"markdown_copies": False, "api_files": False}
    bad = tmp_path / "bad.yml"
    bad.write_text("options:\n  build:\n    markdown-copies: sometimes\n", encoding="utf-8")
    done = run("build", "--config", str(bad), "--snapshot", str(tmp_path / "none.json"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert_clean_error(done, "bad.yml", "markdown-copies")


def test_the_index_of_several_databases_links_llms_full_only_when_written(demo_catalog) -> None:
    loaded = [(Database(name="shop", where="test"), demo_catalog)]
    assert "shop/llms-full.txt" in llms_index(loaded)
    lean = llms_index(loaded, markdown=False)
    assert "llms-full" not in lean and "(shop/llms.txt)" in lean
