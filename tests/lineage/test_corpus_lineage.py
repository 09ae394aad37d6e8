"""Lineage on every corpus entry with views: exact against pg_depend, and impact equal to
what PostgreSQL drops with DROP COLUMN ... CASCADE."""

from __future__ import annotations

import psycopg
import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs.lineage.impact import impact
from schemadocs.model import ColumnRef
from tests.corpus import CORPUS, entries, load_entry
from tests.lineage_check import check_lineage, dropped_by_cascade

WITH_VIEWS = ["pagila", "adventureworks", "lago", "musicbrainz", "dbt-jaffle-shop", "dbt-jaffle-shop/all_views",
              "tbls-postgres"]

pytestmark = pytest.mark.skipif(not entries(), reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS")


@pytest.fixture(scope="module")
def loaded(corpus_db, corpus_server):
    cache = {}

    def get(name: str):
        if name not in cache:
            if name == "dbt-jaffle-shop/all_views":
                dsn = load_entry(corpus_server, "dbt-jaffle-shop", env_extra={"JAFFLE_VARIANT": "all_views"}).dsn
            else:
                dsn = corpus_db(name).dsn
            cache[name] = (dsn, introspect(dsn, stats=False))
        return cache[name]
    return get


@pytest.mark.parametrize("name", WITH_VIEWS)
def test_lineage_is_exact(name, loaded, record_property):
    dsn, catalog = loaded(name)
    check = check_lineage(catalog, dsn)
    summary = (f"{name}: {check.views} views, {check.edges_checked} edges checked, "
               f"{len(check.mismatches)} mismatches, {len(check.unresolved)} unresolved")
    record_property("lineage", summary)
    print(summary)
    assert check.views > 0
    assert check.mismatches == []
    assert check.unresolved == []


@pytest.mark.parametrize("name", WITH_VIEWS)
def test_impact_equals_drop_cascade(name, loaded):
    dsn, catalog = loaded(name)
    used = sorted({ColumnRef(r.schema, r.name, c) for v in catalog.relations for r in v.reads for c in r.columns
                   if catalog.relation(r.target) and not catalog.relation(r.target).kind.is_view})
    sample = used[:: max(1, len(used) // 12)][:12]
    assert sample
    with psycopg.connect(dsn) as conn:
        for col in sample:
            assert dropped_by_cascade(conn, col) == set(impact(catalog, col).all), str(col)
        conn.rollback()
