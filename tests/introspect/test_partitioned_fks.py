"""A foreign key into a partitioned table is documented once, as `\\d` and pg_dump show it:
PostgreSQL's per-partition copies on the referencing table (`..._fkey1`, `..._fkey2`) appear in
no snapshot, page, count, ER edge or diff, and adding a partition to the target adds nothing.
Real PostgreSQL (tests/fixtures/partitioned_fk.sql), built pages parsed.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemadocs import snapshot
from schemadocs.diff.diff import diff
from schemadocs.introspect.introspect import introspect
from schemadocs.lineage.er_graph import er_graph
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render.contexts import home_page
from schemadocs.render.slugs import column_anchor
from tests.conftest import FIXTURES, build_in
from tests.render.test_site import html_of as page

CARS, MODELS, RENTALS = (QualifiedName("fleet", n) for n in ("cars", "car_models", "rentals"))


@pytest.fixture(scope="module")
def fleet_dsn(new_database) -> str:
    return new_database((FIXTURES / "partitioned_fk.sql").read_text(encoding="utf-8"), prefix="fleet")


@pytest.fixture(scope="module")
def fleet(fleet_dsn: str) -> Catalog:
    return introspect(fleet_dsn, stats=False)


@pytest.fixture(scope="module")
def fleet_site(fleet: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("fleet"), fleet)


def test_the_snapshot_holds_one_foreign_key_per_declaration(fleet):
    cars = fleet.relation(CARS)
    assert [(fk.name, fk.target, fk.inherited) for fk in cars.foreign_keys] == [("cars_model_fkey", MODELS, False)]
    assert [fk.name for fk in fleet.relation(RENTALS).foreign_keys] == ["rentals_model_fkey"]
    # the referencing partitions keep their copy, marked, as \d shows it on a partition
    assert [(fk.name, fk.inherited) for fk in fleet.relation(QualifiedName("fleet", "rentals_1")).foreign_keys] \
        == [("rentals_model_fkey", True)]
    assert not any(c.inherited for r in fleet.relations for c in r.columns), "a partition's columns are not marked"
    text = snapshot.dumps(fleet)
    assert "_fkey1" not in text and "_fkey2" not in text
    assert snapshot.loads(text) == fleet


def test_pages_show_the_foreign_key_once(fleet_site):
    cars = page(fleet_site, CARS)
    model = cars.find(id=column_anchor("model"))
    assert [a.text for a in model.select("a[href]") if "#col-" in a["href"] and a["href"] != "#col-model"] \
        == ["car_models.name"]
    assert "car_models_default" not in model.text and "car_models_a" not in model.text
    assert [tr.select("td")[4].text for tr in cars.select("table[data-sd=relationships] tbody tr")] \
        == ["cars_model_fkey"]
    assert [tr.td.text for tr in cars.select("table[data-sd=constraints] tbody tr")] == ["cars_pkey", "cars_model_fkey"]
    target = page(fleet_site, MODELS)
    assert sorted((tr.select("td")[1].text, tr.select("td")[4].text)
                  for tr in target.select("table[data-sd=relationships] tbody tr")) \
        == [("cars", "cars_model_fkey"), ("rentals", "rentals_model_fkey")]


def test_counts_and_er_graph_see_one_foreign_key(fleet):
    assert dict(home_page(fleet).counts)["foreign keys"] == 2
    graph = er_graph(fleet)
    assert graph.number_of_edges(CARS, MODELS) == 1 and graph.number_of_edges(RENTALS, MODELS) == 1


def test_adding_a_partition_to_the_target_adds_nothing_else(new_database):
    dsn = new_database((FIXTURES / "partitioned_fk.sql").read_text(encoding="utf-8"), prefix="fleet")
    before = introspect(dsn, stats=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE fleet.car_models_b PARTITION OF fleet.car_models FOR VALUES IN ('b')")
    after = introspect(dsn, stats=False)
    assert after.relation(CARS) == before.relation(CARS)
    assert after.relation(RENTALS).constraints == before.relation(RENTALS).constraints
    assert [(c.object, c.name, c.action.value) for c in diff(before, after).changes] \
        == [("table", "fleet.car_models_b", "added")]
