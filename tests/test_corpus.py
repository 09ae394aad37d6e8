"""The corpus of real schemas: every entry loads, and what introspection reads from it adds
up to the counts counts.sql gave on PostgreSQL 15 (expected_counts.json); its snapshot is
deterministic and round-trips byte for byte.

Runs on one system PostgreSQL cluster (contrib needed); each entry gets its own database.
"""

from __future__ import annotations

import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs import snapshot
from schemadocs.model import Catalog
from tests.corpus import (
    CORPUS,
    UNCOVERED,
    catalog_counts,
    entries,
    expected_counts,
    modelled_other_comments,
)

ENTRIES = entries()

pytestmark = pytest.mark.skipif(
    not ENTRIES, reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS to the corpus directory")


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, int | str]]:
    return expected_counts()


@pytest.fixture(scope="module")
def catalogs(corpus_db):
    """Factory: the (cached) Catalog of a loaded corpus entry, read without statistics."""
    found = {}

    def get(entry: str):
        if entry not in found:
            found[entry] = introspect(corpus_db(entry).dsn, stats=False)
        return found[entry]
    return get


def test_every_entry_has_expected_counts(expected):
    assert sorted(expected) == ENTRIES


def test_counts_cover_every_expected_key(expected):
    # Every key of counts.sql is either computed from the model or listed, with its reason,
    # in UNCOVERED; a new key in expected_counts.json fails here until it is one or the other.
    some = next(iter(expected.values()))
    computed = set(catalog_counts(Catalog(database="empty", server_version="15")))
    assert not computed & set(UNCOVERED)
    assert set(some) - computed == set(UNCOVERED), (
        f"counts not computed from the model: {sorted(set(some) - computed)}; "
        f"known uncovered (see tests/corpus.py UNCOVERED): {sorted(UNCOVERED)}")


@pytest.mark.parametrize("entry", ENTRIES)
def test_counts_match_expected(entry, catalogs, expected, corpus_db, record_property):
    record_property("load_seconds", round(corpus_db(entry).seconds, 2))
    want = expected[entry]
    catalog = catalogs(entry)
    got = catalog_counts(catalog)
    assert got == {k: want[k] for k in got}
    # Uncovered keys, checked as far as the model allows (never skipped silently):
    # event triggers are not in the model at all, so an entry with any would go undocumented.
    assert want["event_triggers"] == 0, f"{entry} has event triggers, which the model cannot hold ({UNCOVERED['event_triggers']})"
    # the comments the model holds are a subset of counts.sql's other_comments
    # (on this corpus they are in fact equal: no entry comments an object kind the model lacks)
    assert modelled_other_comments(catalog) <= want["other_comments"], UNCOVERED["other_comments"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_snapshot_round_trips_and_is_deterministic(entry, catalogs, corpus_db):
    catalog = catalogs(entry)
    text = snapshot.dumps(catalog)
    loaded = snapshot.loads(text)
    assert loaded == catalog
    assert snapshot.dumps(loaded) == text
    # a second introspection of the same database gives the same bytes
    assert snapshot.dumps(introspect(corpus_db(entry).dsn, stats=False)) == text

