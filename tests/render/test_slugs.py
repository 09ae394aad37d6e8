"""Slugs: stable, unique (even case-insensitively) and safe for any identifier."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from schemadocs.render.slugs import relation_page, schema_page, slug

SAFE = re.compile(r"[a-z0-9_-]+")


@given(st.lists(st.text(min_size=1, max_size=63), min_size=2, max_size=30, unique=True))
def test_slugs_are_unique_and_safe(names):
    slugs = [slug(n) for n in names]
    assert len({s.lower() for s in slugs}) == len(names)
    assert all(SAFE.fullmatch(s) and len(s) <= 60 for s in slugs)
    assert all(s not in ("index", "con", "..", ".") for s in slugs)


@given(st.text(min_size=1, max_size=63))
def test_slugs_are_stable(name):
    assert slug(name) == slug(name)


def test_plain_names_stay_readable():
    assert slug("order_items") == "order_items"
    assert slug("Users") != slug("users")
    assert slug("index").startswith("index-") and slug("con").startswith("con-")


def test_every_page_of_the_edge_schema_is_distinct(edge_catalog):
    pages = [relation_page(r.qname) for r in edge_catalog.relations] + [schema_page(s.name) for s in edge_catalog.schemas]
    assert len({p.lower() for p in pages}) == len(pages)
    assert all(".." not in p.split("/") for p in pages)


_paths = st.lists(st.sampled_from(["schemas", "a", "b", "functions", "types"]), max_size=3).map(
    lambda parts: "/".join([*parts, "page.md"]))


@given(_paths, _paths)
def test_relative_links_match_posixpath(from_page, to_page):
    import posixpath

    from schemadocs.render.slugs import relative
    assert relative(from_page, to_page) == posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
