"""The link checker the site tests rely on finds what is broken, and only that."""

from __future__ import annotations

from pathlib import Path

from tests.sitecheck import check_links


def test_broken_files_and_anchors_are_found_and_good_links_pass(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/a.html#x&amp;y">ok, entity decoded</a><a href="sub/a.html#nope">bad anchor</a>'
        '<a href="missing.html">bad file</a><a href="sub/">ok, folder</a><img src="https://example.com/i.png">'
        '<svg><a xlink:href="sub/a.html#n"/></svg><a href="#top">ok, own id</a><p id="top"></p>'
        "<script>var s = '<a href=\"nowhere.html\">';</script>", encoding="utf-8")
    (tmp_path / "sub" / "a.html").write_text('<h2 id="x&amp;y">x</h2><a name="n"></a>', encoding="utf-8")
    (tmp_path / "sub" / "index.html").write_text('<a href="../index.html#top">ok</a>', encoding="utf-8")
    report = check_links(tmp_path)
    assert report.pages == 3 and report.links == 7
    assert sorted(report.broken) == ["index.html: missing.html (no such file)",
                                     "index.html: sub/a.html#nope (no such anchor)"]
