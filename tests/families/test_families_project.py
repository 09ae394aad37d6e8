"""Schema families and the project file, and `lineage --all`, on a small real families database
(four identical tenants, two near-members): a project file may name an object of a family member
the site does not document on its own (checked in the whole catalog, accepted, reported as not
shown), a misspelt one or one in no schema stays an error; `lineage --all` lists a family's
views once, in its representative, and each near-member's own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from schemadocs import progress
from schemadocs.build import cache_of, render_database
from schemadocs.errors import ConfigError
from schemadocs.introspect.introspect import introspect
from schemadocs.model import Catalog
from schemadocs.project.file import load
from schemadocs.project.spec import read
from schemadocs.render.fragments import put_back
from tests.families.fixture import EXTRA, NOINDEX, families_sql
from tests.inprocess import assert_success_or_clean_error, run_cli, run_cli_output

TENANTS = 4


@pytest.fixture(scope="module")
def small(new_database) -> tuple[str, Catalog]:  # type: ignore[no-untyped-def]
    dsn = new_database(families_sql(TENANTS), prefix="famproject")
    return dsn, introspect(dsn)


def project(tmp_path: Path, body: str) -> Path:
    file = tmp_path / "schemadocs.yml"
    file.write_text(body, encoding="utf-8")
    return file


def render(catalog: Catalog, file: Path, docs: Path) -> tuple[dict[str, str], str]:
    """The pages of the catalog with the project file (their lifted tables put back, as the built
    site holds them), and the lines the build printed."""
    out = io.StringIO()
    with progress.reporting("build", progress.Mode.NORMAL, out, live=False):
        part = render_database(catalog, docs, project=read(load(file)))
    fragments = cache_of(docs) / "fragments"
    pages = {path: put_back(text, lambda key: (fragments / f"{key}.html").read_text(encoding="utf-8"))
             for path, text in part.site.pages.items()}
    return pages, out.getvalue()


def test_a_name_in_a_hidden_member_is_accepted_and_reported_as_not_shown(small: tuple[str, Catalog],
                                                                         tmp_path: Path) -> None:
    file = project(tmp_path, """schemas:
  tenant_0003:
    tables:
      orders:
        columns:
          total: {description: Member three's totals}
  tenant_0001:
    tables:
      orders:
        columns:
          total: {description: Every tenant's order total}
""")
    pages, printed = render(small[1], file, tmp_path / "docs")
    assert ("the project file names 1 object of schemas documented through their family (column "
            "tenant_0003.orders.total): checked, not shown; the site documents tenant_* through tenant_0001") in printed
    shown = "\n".join(pages.values())
    assert "Every tenant's order total" in shown  # the representative stands for the family
    assert "Member three's totals" not in shown and not any("tenant_0003" in p for p in pages if "orders" in p)


@pytest.mark.parametrize(("schema", "column", "needle"), [
    ("tenant_0003", "totl", "column tenant_0003.orders.totl is not in the database"),  # misspelt in a member
    (NOINDEX, "nope", f"column {NOINDEX}.orders.nope is not in the database"),  # a near-member is checked too
    ("tenant_9999", "total", "column tenant_9999.orders.total is not in the database"),  # in no schema
])
def test_a_wrong_name_in_a_member_or_in_no_schema_stays_an_error(small: tuple[str, Catalog], tmp_path: Path,
                                                                  schema: str, column: str, needle: str) -> None:
    file = project(tmp_path, f"schemas:\n  {schema}:\n    tables:\n      orders:\n        columns:\n"
                             f"          {column}: {{description: x}}\n")
    with pytest.raises(ConfigError, match=needle):
        render(small[1], file, tmp_path / "docs")
    code, err = run_cli("build", "--no-stats", "--snapshot", str(snapshot_of(small, tmp_path)), "--config",
                        str(file), "--out", str(tmp_path / "site"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and needle in err and "schemadocs.yml line 6" in err and not (tmp_path / "site").exists()


def snapshot_of(small: tuple[str, Catalog], tmp_path: Path) -> Path:
    from schemadocs import snapshot

    path = tmp_path / "families.json"
    snapshot.save(small[1], path)
    return path


def test_lineage_all_lists_a_family_views_once(small: tuple[str, Catalog], tmp_path: Path) -> None:
    code, out, err = run_cli_output("lineage", "--all", "--dsn", small[0])
    assert code == 0, err
    views = json.loads(out)
    assert sorted(v for v in views if "customer_totals" in v) == sorted([
        "tenant_0001.customer_totals", f"{EXTRA}.customer_totals", f"{NOINDEX}.customer_totals"])
    assert views["tenant_0001.customer_totals"]["total"] == ["tenant_0001.orders.total"]
    assert (f"tenant_0001 stands for the {TENANTS} schemas of family tenant_*: their views are listed once, under it; "
            f"near-members listed on their own: {EXTRA}, {NOINDEX}") in err
    off = project(tmp_path, "families:\n  enable: false\n")
    code, out, err = run_cli_output("lineage", "--all", "--dsn", small[0], "--config", str(off))
    assert code == 0, err
    assert sum("customer_totals" in v for v in json.loads(out)) == TENANTS + 2 and "stands for" not in err

