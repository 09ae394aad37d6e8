"""A large site keeps its snapshot compressed, `catalog.json.gz` (`schemadocs.site_snapshot`),
and every reader takes it: `build --previous`, the MCP server's `--site`, the snapshot
directories of several databases, `snapshot.load`.

In: the demo catalog, with the threshold lowered so that the demo counts as large (one build
of the demo site, compared with the session's default-built demo site). Out: pass when the
compressed site differs from the default one only by that file, which inflates to the very
bytes of the default `catalog.json`, and when each reader finds it.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from schemadocs import site_snapshot, snapshot
from schemadocs.api.mcp_server import site_snapshot as mcp_site_snapshot
from schemadocs.build import build, build_changes
from schemadocs.errors import ConfigError, SnapshotError
from schemadocs.model import Catalog
from schemadocs.multisite.commands import names_in, site_catalog, snapshot_in
from schemadocs.site_snapshot import COMPRESSED, PLAIN, read_file, snapshot_file, snapshot_name, write_file
from tests.build.test_incremental import _project, site_files


def test_only_a_site_of_many_relations_compresses_its_snapshot(demo_catalog: Catalog,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert 0 < len(demo_catalog.relations) < site_snapshot.COMPRESS_MIN
    assert snapshot_name(demo_catalog) == PLAIN
    monkeypatch.setattr(site_snapshot, "COMPRESS_MIN", len(demo_catalog.relations))
    assert snapshot_name(demo_catalog) == COMPRESSED


def test_a_compressed_file_is_deterministic_and_reads_back_as_its_text(tmp_path: Path) -> None:
    text = '{"a": "é ✓"}\n'
    first, second = tmp_path / "one" / "x.json.gz", tmp_path / "two" / "x.json.gz"
    for target in (first, second):
        target.parent.mkdir()
        write_file(target, text)
    assert first.read_bytes() == second.read_bytes()  # no time stamp, no file name
    assert gzip.decompress(first.read_bytes()) == text.encode("utf-8") and read_file(first) == text
    plain = tmp_path / "x.json"
    write_file(plain, text)
    assert plain.read_bytes() == text.encode("utf-8") and read_file(plain) == text
    first.write_bytes(b"\x1f\x8b not gzip")
    assert read_file(first) == ""  # differs from any text: the build writes it again


def test_the_demo_built_large_keeps_catalog_json_gz_and_every_reader_takes_it(
        demo_catalog: Catalog, demo_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_snapshot, "COMPRESS_MIN", 1)
    site = tmp_path / "site"
    build(demo_catalog, site, _project(tmp_path))
    compressed, default = site_files(site), site_files(demo_site)
    assert PLAIN not in compressed and COMPRESSED in default.keys() ^ compressed.keys()
    # nothing else differs, and the file inflates to the default site's catalog.json byte for byte
    assert set(compressed) - {COMPRESSED} == set(default) - {PLAIN}
    assert [p for p in default if p != PLAIN and compressed[p] != default[p]] == []
    assert gzip.decompress(compressed[COMPRESSED]) == default[PLAIN]
    assert len(compressed[COMPRESSED]) * 4 < len(default[PLAIN])
    # the readers: snapshot.load, --previous with the site, the MCP server's --site
    assert snapshot_file(site) == site / COMPRESSED and mcp_site_snapshot(site) == site / COMPRESSED
    assert snapshot.dumps(snapshot.load(site / COMPRESSED)) == default[PLAIN].decode("utf-8")
    changes = build_changes(demo_catalog, site)
    assert changes is not None and changes.this_build is None  # read, and nothing changed since


def test_the_readers_of_several_databases_find_a_compressed_snapshot(demo_catalog: Catalog, tmp_path: Path) -> None:
    text = snapshot.dumps(demo_catalog)
    (tmp_path / "site" / "shop").mkdir(parents=True)
    (tmp_path / "site" / "crm").mkdir()
    write_file(tmp_path / "site" / "shop" / COMPRESSED, text)
    write_file(tmp_path / "site" / "crm" / PLAIN, text)
    assert names_in((tmp_path / "site",)) == ("crm", "shop")
    assert snapshot_in(tmp_path / "site", "shop") == tmp_path / "site" / "shop" / COMPRESSED
    assert site_catalog(tmp_path / "site", "shop") == tmp_path / "site" / "shop"
    with pytest.raises(ConfigError, match=r"documents 2 databases \(crm, shop\)"):
        site_catalog(tmp_path / "site", None)
    with pytest.raises(ConfigError, match="holds no catalog.json"):
        mcp_site_snapshot(tmp_path)


def test_a_cut_compressed_snapshot_is_a_one_line_error(demo_catalog: Catalog, tmp_path: Path) -> None:
    whole = gzip.compress(snapshot.dumps(demo_catalog).encode("utf-8"), mtime=0)
    cut = tmp_path / COMPRESSED
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SnapshotError, match="is not a whole gzip file") as raised:
        snapshot.load(cut)
    assert "\n" not in str(raised.value)


def test_a_compressed_snapshot_inflates_no_further_than_the_cap(demo_catalog: Catalog, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A small gzip file can inflate to more than memory holds: inflating stops past
    `snapshot.MAX_INFLATED` bytes, with a one-line error; a file at the cap, or in two gzip
    members, loads."""
    text = snapshot.dumps(demo_catalog).encode("utf-8")
    path = tmp_path / COMPRESSED
    path.write_bytes(gzip.compress(text, mtime=0))
    monkeypatch.setattr(snapshot, "MAX_INFLATED", len(text) - 1)
    with pytest.raises(SnapshotError, match="inflates to more than") as raised:
        snapshot.load(path)
    assert "\n" not in str(raised.value)
    monkeypatch.setattr(snapshot, "MAX_INFLATED", len(text))
    assert snapshot.load(path) == demo_catalog
    half = len(text) // 2
    path.write_bytes(gzip.compress(text[:half], mtime=0) + gzip.compress(text[half:], mtime=0))
    assert snapshot.load(path) == demo_catalog
    monkeypatch.setattr(snapshot, "MAX_INFLATED", len(text) - 1)  # the cap counts every member
    with pytest.raises(SnapshotError, match="inflates to more than"):
        snapshot.load(path)
