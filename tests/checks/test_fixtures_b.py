"""Naming, documentation, security and maintenance rules on a real PostgreSQL: planted defects
(`fixtures/<category>_bad.sql`) give exactly the expected findings, traps (`_good.sql`) none."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Category
from schemadocs.introspect.introspect import introspect

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = {
    "security": [
        ("policy-without-rls", "public.policy_off", "error"),
        ("security-definer-search-path", "public.elevate(integer)", "error"),
        ("extension-in-public", "vector", "warning"),
        ("multiple-permissive-policies", "public.two_ways", "warning"),
        ("public-relation-grant", "public.shared_data", "warning"),
        ("public-relation-grant", "public.shared_ids", "warning"),
        ("rls-without-policy", "public.rls_locked", "warning"),
        ("security-definer-executable-by-public", "public.elevate(integer)", "warning"),
        ("view-bypasses-rls", "public.team_rows", "warning"),
    ],
    "naming": [
        ("name-at-length-limit", "public.customer_contact_preferences_by_channel_and_region_and_yea_pkey", "warning"),
        ("name-at-length-limit", "public.customer_contact_preferences_by_channel_and_region_and_year_x20", "warning"),
        ("name-needs-quoting", '"Sales"', "warning"),
        ("name-needs-quoting", '"Sales"."Orders"', "warning"),
        ("name-needs-quoting", '"Sales"."Orders"."first name"', "warning"),
        ("name-needs-quoting", '"Sales"."Orders"."order"', "warning"),
    ],
    "documentation": [
        ("column-without-comment", "docs.orders", "info"),
        ("relation-without-comment", "docs.order_view", "info"),
        ("routine-without-comment", "docs.total(docs.orders)", "info"),
        ("schema-without-comment", "docs", "info"),
    ],
    "maintenance": [
        ("sequence-near-exhaustion", "public.wide_seq", "error"),
        ("dead-rows", "public.churned", "warning"),
        ("materialized-view-not-populated", "public.pending", "warning"),
        ("sequence-near-exhaustion", "public.counters_id_seq", "warning"),
        ("table-never-analyzed", "public.loaded", "warning"),
    ],
}


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_planted_defects_give_exactly_the_expected_findings(category: str, new_database) -> None:
    catalog = introspect(new_database((FIXTURES / f"{category}_bad.sql").read_text(encoding="utf-8")))
    assert _found(catalog, category) == EXPECTED[category]


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_traps_give_no_finding(category: str, new_database) -> None:
    catalog = introspect(new_database((FIXTURES / f"{category}_good.sql").read_text(encoding="utf-8")))
    assert _found(catalog, category) == []


def _found(catalog, category: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.object, f.level.value) for f in lint(catalog, Settings()).findings
            if f.category is Category(category)]
