"""Golden files: pages of the demo site, rendered (without diagrams) and compared byte for byte.

A change to a template or a page context shows up here as a readable diff of the Markdown.
To accept an intended change: `SCHEMADOCS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py`,
then review `git diff tests/render/golden`. Statistics are left out (they change as the database is used).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from schemadocs.model import Catalog
from schemadocs.render.fragments import put_back
from schemadocs.render.render_site import render_site

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "schema-app.md": "schemas/app/index.md",
    "table-app-orders.md": "schemas/app/orders.md",
    "view-analytics-tenant_monthly_revenue.md": "schemas/analytics/tenant_monthly_revenue.md",
    "function-app-audit_row_change.md": "schemas/app/functions/audit_row_change.md",
    "enum-billing-invoice_status.md": "schemas/billing/types/invoice_status.md",
    "lineage.md": "lineage.md",
}


@pytest.fixture(scope="module")
def demo_pages(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    no_stats = dataclasses.replace(demo_catalog, relations=tuple(dataclasses.replace(r, stats=None)
                                                                 for r in demo_catalog.relations))
    cache = tmp_path_factory.mktemp("golden")
    pages = render_site(no_stats, cache, draw=False).pages
    # The page as MkDocs' output will hold it: lifted tables come back from their fragments.
    return {path: put_back(text, lambda key: (cache / "fragments" / f"{key}.html").read_text(encoding="utf-8"))
            for path, text in pages.items()}


@pytest.mark.parametrize("golden", sorted(PAGES))
def test_page_matches_its_golden_file(golden: str, demo_pages: dict[str, str]) -> None:
    page = demo_pages[PAGES[golden]]
    path = GOLDEN / golden
    if os.environ.get("SCHEMADOCS_UPDATE_GOLDEN"):
        path.write_text(page, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with SCHEMADOCS_UPDATE_GOLDEN=1 and review it"
    assert page == path.read_text(encoding="utf-8"), f"{PAGES[golden]} differs from {path}"
