"""The diagram, fragment and page caches hold what the last successful build used, and nothing
schemadocs did not write is removed from them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from schemadocs.build import build
from schemadocs.errors import BuildError
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render import contexts
from schemadocs.render.diagrams import SVG_PLACEHOLDER
from schemadocs.render.fragments import fragment_keys
from tests.conftest import build_in

FOREIGN = {"diagrams": ["notes.txt", "logo.svg", "ABC.svg"], "fragments": ["mine.html"], "pages": ["README.md"]}


def entries(tmp: Path, kind: str) -> set[str]:
    return {p.name for p in (tmp / ".schemadocs-cache" / kind).iterdir()} - set(FOREIGN[kind])


def named_by_pages(tmp: Path) -> dict[str, set[str]]:
    """The cache files the generated pages in the docs dir name by placeholder."""
    texts = [p.read_text(encoding="utf-8") for p in (tmp / "site_src").rglob("*.md")]
    return {"diagrams": {f"{k}.svg" for t in texts for k in SVG_PLACEHOLDER.findall(t)},
            "fragments": {f"{k}.html" for t in texts for k in fragment_keys(t)}}


def with_column_renamed(catalog: Catalog, qname: QualifiedName, column: str) -> Catalog:
    rel = catalog.relation(qname)
    assert rel is not None
    columns = tuple(dataclasses.replace(c, name="renamed_" + c.name) if c.name == column else c for c in rel.columns)
    return dataclasses.replace(catalog, relations=tuple(dataclasses.replace(r, columns=columns) if r is rel else r
                                                        for r in catalog.relations))


def test_a_rebuild_keeps_what_it_uses_and_a_failed_one_prunes_nothing(demo_catalog: Catalog, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contexts, "MAX_COLUMN_INDEX_ROWS", 10)  # a column index page (and fragment) per letter
    site = build_in(tmp_path, demo_catalog)
    cache = tmp_path / ".schemadocs-cache"
    for kind, names in FOREIGN.items():
        for name in names:
            (cache / kind / name).write_text("not schemadocs'\n", encoding="utf-8")
    first = {kind: entries(tmp_path, kind) for kind in ("diagrams", "fragments", "pages")}
    assert first["diagrams"] == named_by_pages(tmp_path)["diagrams"] and first["fragments"] and first["pages"]

    changed = with_column_renamed(demo_catalog, QualifiedName("app", "audit_log"), "table_name")
    (tmp_path / "site_src" / "broken.md").write_text("# Broken\n\n[missing](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(BuildError, match="untouched"):
        build(changed, site, tmp_path / "mkdocs.yml")
    for kind, names in first.items():  # the failed build drew and rendered anew, and removed nothing
        assert names < entries(tmp_path, kind), kind

    (tmp_path / "site_src" / "broken.md").unlink()
    build(changed, site, tmp_path / "mkdocs.yml")
    used = named_by_pages(tmp_path)
    for kind in ("diagrams", "fragments"):
        now = entries(tmp_path, kind)
        assert now == used[kind], kind
        assert first[kind] - now, f"{kind}: the entries of the renamed column are gone"
        assert first[kind] & now, f"{kind}: the unchanged entries stay"
    assert first["pages"] - entries(tmp_path, "pages") and len(entries(tmp_path, "pages")) == len(first["pages"])
    for kind, names in FOREIGN.items():
        assert all((cache / kind / name).exists() for name in names), f"{kind}: files schemadocs did not write stay"
    assert "renamed_table_name" in (site / "schemas" / "app" / "audit_log.html").read_text(encoding="utf-8")
