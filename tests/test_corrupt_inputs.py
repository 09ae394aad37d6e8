"""The corrupt-input corpus (tests/corrupt/): every broken snapshot or change history is one
`error: ...` line with exit 2 on every path that reads one (build --snapshot, build --previous
FILE or DIR, the changes.json beside it, diff, lineage), and the good ones still build."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.errors import SnapshotError
from schemadocs.project.selection import filter_catalog
from schemadocs.invariants import first_problem
from tests.inprocess import assert_success_or_clean_error, run_cli
from tests.build.test_incremental import _project as config_in  # a project of its own: mkdocs.yml + site_src/

CORPUS = Path(__file__).parent / "corrupt"
GOOD = ("valid.json", "hostile_names.json")
BAD = sorted(p.name for p in CORPUS.glob("*.json") if p.name not in GOOD)


def assert_clean_error(code: int, stderr: str, *needles: str) -> None:
    assert code == 2, stderr
    assert_success_or_clean_error(code, stderr)
    for needle in needles:
        assert needle in stderr, stderr


def test_corpus_is_complete():
    assert len(BAD) >= 15 and all((CORPUS / name).exists() for name in GOOD)


@pytest.mark.parametrize("name", BAD)
def test_every_corrupt_snapshot_is_one_error_line(name, tmp_path):
    path = str(CORPUS / name)
    out = tmp_path / "site"
    assert_clean_error(*run_cli("build", "--snapshot", path, "--mkdocs-config", str(config_in(tmp_path)), "--out", str(out)),
                       path)
    assert not out.exists()
    assert_clean_error(*run_cli("diff", str(CORPUS / "valid.json"), path), path)
    assert_clean_error(*run_cli("lineage", "--snapshot", path, "--all"), path)
    with pytest.raises(SnapshotError):
        snapshot.load(CORPUS / name)


@pytest.mark.parametrize("name", BAD)
def test_a_corrupt_previous_snapshot_is_one_error_line(name, tmp_path):
    config = str(config_in(tmp_path))
    site = tmp_path / "site"
    shutil.copy(CORPUS / name, tmp_path / "previous.json")
    code, err = run_cli("build", "--snapshot", str(CORPUS / "valid.json"), "--mkdocs-config", config, "--out", str(site),
                        "--previous", str(tmp_path / "previous.json"))
    assert_clean_error(code, err, "previous.json")
    (tmp_path / "prev_site").mkdir()
    shutil.copy(CORPUS / name, tmp_path / "prev_site" / "catalog.json")
    code, err = run_cli("build", "--snapshot", str(CORPUS / "valid.json"), "--mkdocs-config", config, "--out", str(site),
                        "--previous", str(tmp_path / "prev_site"))
    assert_clean_error(code, err, "catalog.json")


@pytest.mark.parametrize("history", [b"[" * 100_000, b"\xff\xfe not utf-8", b'{"format": "schemadocs-changes"',
                                     b'{"format": "schemadocs-changes", "version": 1, "builds": [{"old": 1}]}'])
def test_a_corrupt_change_history_is_one_error_line(history, tmp_path):
    shutil.copy(CORPUS / "valid.json", tmp_path / "catalog.json")
    (tmp_path / "changes.json").write_bytes(history)
    code, err = run_cli("build", "--snapshot", str(CORPUS / "hostile_names.json"), "--mkdocs-config", str(config_in(tmp_path)),
                        "--out", str(tmp_path / "site"), "--previous", str(tmp_path / "catalog.json"))
    assert_clean_error(code, err, "change history", "changes.json")


@pytest.fixture(scope="module")
def huge_inputs(tmp_path_factory) -> dict[str, Path]:
    """Made here, not stored: 200 MB of junk, `[` 100,000 times, a big snapshot cut short."""
    root = tmp_path_factory.mktemp("huge")
    junk = root / "junk.json"
    with junk.open("wb") as out:
        block = bytes(range(256)) * 4096
        for _ in range(200):
            out.write(block[:1_000_000])
    (root / "nested.json").write_bytes(b"[" * 100_000)
    (root / "nested_objects.json").write_bytes(b'{"format_version": 1, "schemas": ' + b'{"a": ' * 50_000)
    return {"junk": junk, "nested": root / "nested.json", "nested_objects": root / "nested_objects.json"}


@pytest.mark.parametrize("which", ["junk", "nested", "nested_objects"])
def test_huge_and_deeply_nested_inputs(which, huge_inputs, tmp_path):
    path = str(huge_inputs[which])
    config = str(config_in(tmp_path))
    assert_clean_error(*run_cli("build", "--snapshot", path, "--mkdocs-config", config, "--out", str(tmp_path / "s")), path)
    assert_clean_error(*run_cli("build", "--snapshot", str(CORPUS / "valid.json"), "--mkdocs-config", config,
                                "--out", str(tmp_path / "s"), "--previous", path), path)
    assert_clean_error(*run_cli("diff", path, str(CORPUS / "valid.json")), path)


@pytest.mark.parametrize("name", GOOD)
def test_good_snapshots_build(name, tmp_path):
    code, err = run_cli("build", "--snapshot", str(CORPUS / name), "--mkdocs-config", str(config_in(tmp_path)),
                        "--out", str(tmp_path / "site"))
    assert code == 0, err
    assert (tmp_path / "site" / "index.html").exists()


def test_introspected_catalogs_keep_the_invariants(demo_catalog, edge_catalog):
    assert first_problem(demo_catalog) is None
    assert first_problem(edge_catalog) is None
    broken = dataclasses.replace(demo_catalog, relations=demo_catalog.relations + demo_catalog.relations[:1])
    assert "appears twice" in (first_problem(broken) or "")


def test_a_filtered_snapshot_with_foreign_keys_out_of_it_loads(demo_catalog):
    """--include keeps a relation's foreign keys to relations it leaves out; such a snapshot is valid."""
    only_orders = filter_catalog(demo_catalog, include=["app.orders"])
    assert any(fk.target.name != "orders" for r in only_orders.relations for fk in r.foreign_keys)
    assert snapshot.loads(snapshot.dumps(only_orders)) == only_orders
