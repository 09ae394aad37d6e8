"""load_catalog: one entry point from a DSN or a snapshot to the selected catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.errors import ConfigError
from schemadocs.load import Source, load_catalog
from schemadocs.project.selection import Selection


def test_a_dsn_and_its_snapshot_give_the_same_selected_catalog(demo_dsn: str, tmp_path: Path) -> None:
    live = load_catalog(Source(dsn=demo_dsn, stats=False), Selection(include=("app",), exclude=("app.page_views*",)))
    assert {r.schema for r in live.relations} == {"app"}
    assert not any(r.name.startswith("page_views") for r in live.relations)
    snapshot.save(load_catalog(Source(dsn=demo_dsn, stats=False)), tmp_path / "c.json")
    offline = load_catalog(Source(snapshot=tmp_path / "c.json"), Selection(include=("app",), exclude=("app.page_views*",)))
    assert snapshot.dump_bytes(offline) == snapshot.dump_bytes(live)


def test_an_include_that_matches_nothing_is_an_error_unless_not_strict(demo_catalog, tmp_path: Path) -> None:
    snapshot.save(demo_catalog, tmp_path / "c.json")
    with pytest.raises(ConfigError, match="--include 'nope' matches no schema"):
        load_catalog(Source(snapshot=tmp_path / "c.json"), Selection(include=("nope",)))
    empty = load_catalog(Source(snapshot=tmp_path / "c.json"), Selection(include=("nope",), strict=False))
    assert empty.relations == () and empty.schemas == ()
