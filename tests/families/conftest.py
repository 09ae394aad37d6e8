"""The families fixture's database and catalog, made once per test module that asks for them."""

from __future__ import annotations

import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs.model import Catalog
from tests.families.fixture import families_sql


@pytest.fixture(scope="module")
def tenants_dsn(new_database) -> str:
    return new_database(families_sql(), prefix="families")


@pytest.fixture(scope="module")
def tenants(tenants_dsn: str) -> Catalog:
    return introspect(tenants_dsn)
