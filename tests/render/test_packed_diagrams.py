"""Packed diagrams (`render.packed_diagrams`): the SVG deflated into the page, inflated by a script.

In: the demo catalog built into one folder twice: first by default (`auto`, a small site: inline
SVG), then with `diagrams="packed"` in two MkDocs processes (`SCHEMADOCS_JOBS=2`); the packed
text of a few strings; the project file's `options: build: diagrams:`. Out: pass when the default
build keeps inline SVG, every packed element inflates (raw DEFLATE, base64, read with zlib alone)
to the inline build's SVG so that each packed page becomes the inline page byte for byte, the
switch was a full build, the packed text is cached beside each SVG, the link checker follows the
packed diagrams' links (as many as inline), `auto` packs from 1,000 diagrams on, and a bad value
is one error line.
"""

from __future__ import annotations

import base64
import re
import shutil
import zlib
from pathlib import Path

import pytest

from schemadocs.build import BuildResult, build
from schemadocs.cli import cli
from schemadocs.cli_build import DIAGRAM_CHOICES
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog
from schemadocs.project.file import load
from schemadocs.project.options import default_map
from schemadocs.render.escape import base64_attribute
from schemadocs.render.packed_diagrams import AUTO_MIN, CHOICES, NOTE, SVG_MARK, pack, packs, unpack
from tests.build.test_machine_files import project_dir
from tests.sitecheck import check_links
from tests.test_cli import assert_clean_error, run

PACKED = re.compile(r'<div class="sd-packed" data-z="([A-Za-z0-9+/=]*)"><noscript>([^<]*)</noscript></div>')


def build_packed(catalog: Catalog, tmp: Path) -> tuple[Path, Path, BuildResult]:
    """`catalog` built by default into `tmp/site` (kept as `tmp/inline`), then packed over it in
    two MkDocs processes: (the inline site, the packed site, the packed build's result)."""
    project_dir(tmp)
    build(catalog, tmp / "site", tmp / "mkdocs.yml")
    shutil.copytree(tmp / "site", tmp / "inline")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SCHEMADOCS_JOBS", "2")
        result = build(catalog, tmp / "site", tmp / "mkdocs.yml", diagrams="packed")
    return tmp / "inline", tmp / "site", result


@pytest.fixture(scope="session")
def packed_demo(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    return build_packed(demo_catalog, tmp_path_factory.mktemp("packed-demo"))


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_a_small_site_keeps_inline_svg_by_default(packed_demo: tuple[Path, Path, BuildResult]) -> None:
    inline, _, _ = packed_demo
    table = (inline / "schemas" / "app" / "tenants.html").read_text(encoding="utf-8")
    assert '<svg class="sd-er"' in table and "sd-packed" not in table
    assert not any("sd-packed" in text for text in pages(inline).values())


def test_packed_pages_inflate_to_the_inline_pages_byte_for_byte(packed_demo: tuple[Path, Path, BuildResult]) -> None:
    inline, packed, result = packed_demo
    before, after = pages(inline), pages(packed)
    assert set(before) == set(after)
    count = 0
    for path, text in after.items():
        count += len(PACKED.findall(text))
        assert not re.search(r"<svg[^>]*class=\"sd-er\"", text), f"{path}: an inline diagram left in a packed site"
        inflated = PACKED.sub(lambda m: zlib.decompress(base64.b64decode(m.group(1)), -15).decode("utf-8"), text)
        assert inflated == before[path], path
    assert count == sum(t.count('<svg class="sd-er"') for t in before.values()) > 20
    assert result.rebuilt_files is None, "switching the diagrams' form is a full build"
    assert {m.group(2) for t in after.values() for m in PACKED.finditer(t)} == {NOTE}


def test_the_packed_text_is_cached_beside_each_svg(packed_demo: tuple[Path, Path, BuildResult]) -> None:
    _, packed, _ = packed_demo
    cache = packed.parent / ".schemadocs-cache" / "diagrams"
    svgs, zs = sorted(cache.glob("*.svg")), sorted(cache.glob("*.z"))
    assert svgs and [p.stem for p in zs] == [p.stem for p in svgs]
    one = zs[0].read_text(encoding="ascii")
    assert unpack(one) == svgs[0].read_text(encoding="utf-8")
    assert f'data-z="{one}"' in "".join(pages(packed).values())


def test_the_link_checker_follows_the_packed_diagrams_links(packed_demo: tuple[Path, Path, BuildResult]) -> None:
    inline, packed, _ = packed_demo
    before, after = check_links(inline), check_links(packed)
    assert after.broken == []
    assert after.links == before.links > 0, "every diagram link followed, as in the inline site"


def test_pack_is_raw_deflate_in_base64_and_round_trips() -> None:
    svg = '<svg><a xlink:href="x.html#col-&lt;id&gt;"><text>&lt;/script&gt;&quot;é—表</text></a></svg>'
    element = pack(svg)
    data = PACKED.fullmatch(element).group(1)
    assert zlib.decompress(base64.b64decode(data, validate=True), -15).decode("utf-8") == svg
    assert unpack(data) == svg
    assert str(base64_attribute(b'"<>&\xff\x00')) == base64.b64encode(b'"<>&\xff\x00').decode()


def test_auto_packs_from_a_thousand_diagrams() -> None:
    page = f"{SVG_MARK}{'0' * 64} -->\n"
    assert not packs("auto", [page * (AUTO_MIN - 1)])
    assert packs("auto", [page * (AUTO_MIN - 1), page])
    assert packs("packed", []) and not packs("inline", [page * AUTO_MIN])
    with pytest.raises(ConfigError, match="inline, packed or auto"):
        packs("zipped", [])
    assert DIAGRAM_CHOICES == CHOICES


def test_the_project_file_sets_it_and_refuses_a_bad_value(tmp_path: Path) -> None:
    good = tmp_path / "schemadocs.yml"
    good.write_text("options:\n  build:\n    diagrams: packed\n  serve:\n    diagrams: inline\n", encoding="utf-8")
    assert default_map(load(good), cli, "build") == {"diagrams": "packed"}
    assert default_map(load(good), cli, "serve") == {"diagrams": "inline"}
    bad = tmp_path / "bad.yml"
    bad.write_text("options:\n  build:\n    diagrams: zipped\n", encoding="utf-8")
    done = run("build", "--config", str(bad), "--snapshot", str(tmp_path / "none.json"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert_clean_error(done, "bad.yml", "diagrams")
    done = run("build", "--diagrams", "zipped", "--snapshot", str(tmp_path / "none.json"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "zipped" in done.stderr
