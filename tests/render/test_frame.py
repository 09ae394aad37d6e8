"""One copy of the page frame (`schemadocs.frame`, `render/frame_nav.py`, `frame_icons.py`,
`frame_scripts.py`) on pages shaped as Material writes them; the built site and the browser
are tested in tests/render/test_frame_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from schemadocs import frame
from schemadocs.render.frame_header import HEADER_FILE, share_header
from schemadocs.render.frame_icons import icons_css, read_icons_css, share_icons
from schemadocs.render.frame_nav import DATA_FILE, nav_script, prune_nav, read_nav_script
from schemadocs.render.frame_scripts import CONFIG_FILE, HEAD_FILE, PALETTE_FILE, share_scripts


def _item(href: str, title: str) -> str:
    return (f'<li class="md-nav__item">\n<a href="{href}" class="md-nav__link">\n<span class="md-ellipsis">\n'
            f'{title}\n</span>\n</a>\n</li>\n')


ACTIVE = ('<li class="md-nav__item md-nav__item--active">\n<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">\n'
          '<label class="md-nav__link md-nav__link--active" for="__toc">\n<span class="md-ellipsis">\napp\n</span>\n</label>\n'
          '<a href="index.html" class="md-nav__link md-nav__link--active">\n<span class="md-ellipsis">\napp\n</span>\n</a>\n'
          '<nav class="md-nav md-nav--secondary" aria-label="Table of contents">\n<ul class="md-nav__list" data-md-component="toc">\n'
          + _item("#relations", "Relations") + '</ul>\n</nav>\n</li>\n')


def _page(schemas: str, up: str = "../../") -> str:
    return ('<header class="md-header"><a class="md-logo"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
            '<path d="M3 6h18v2H3z"/></svg></a></header>\n'
            '<nav class="md-nav md-nav--primary" aria-label="Navigation" data-md-level="0">\n<ul class="md-nav__list" data-md-scrollfix>\n'
            + _item(f"{up}index.html", "Home")
            + '<li class="md-nav__item md-nav__item--section md-nav__item--nested">\n'
              '<nav class="md-nav" data-md-level="1" aria-labelledby="__nav_2_label" aria-expanded="false">\n'
              '<label class="md-nav__title" for="__nav_2">\nSchemas\n</label>\n<ul class="md-nav__list" data-md-scrollfix>\n'
            + schemas + '</ul>\n</nav>\n</li>\n</ul>\n</nav>\n'
            '<div class="md-sidebar md-sidebar--secondary"></div>\n<div class="md-content"><article>'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h2z"/></svg></article></div>\n'
            '<button class="md-top"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M13 20h-2z"/></svg></button>')


SCHEMAS = _item("../analytics/index.html", "analytics") + _item("index.html", "app") + _item("../b&lt;x&gt;/index.html", "b&lt;x&gt;")
FULL = (("schemas/analytics/index.html", "analytics"), ("schemas/app/index.html", "app"),
        ("schemas/b<x>/index.html", "b<x>"))


def test_a_table_page_keeps_its_own_schema_and_the_top_level_and_hands_over_the_full_list() -> None:
    pruned, lists = prune_nav(_page(SCHEMAS), "schemas/app/orders.html")
    assert lists == {"__nav_2": FULL}
    assert '<ul class="md-nav__list" data-md-scrollfix data-sd-nav="__nav_2">\n' + _item("index.html", "app") + "</ul>" in pruned
    assert _item("../../index.html", "Home") in pruned  # the top level stays whole
    assert "analytics" not in pruned and "b&lt;x&gt;" not in pruned
    # a page outside every schema keeps none of them, and hands over the same list
    other, same = prune_nav(_page(SCHEMAS.replace("../", "schemas/").replace('"index.html"', '"schemas/app/index.html"'), ""),
                            "lineage.html")
    assert same == lists and "data-sd-nav" in other and ">\napp\n<" not in other


def test_the_active_entry_stays_with_its_table_of_contents_in_its_place() -> None:
    schemas = _item("../analytics/index.html", "analytics") + ACTIVE + _item("../b&lt;x&gt;/index.html", "b&lt;x&gt;")
    pruned, lists = prune_nav(_page(schemas), "schemas/app/index.html")
    assert lists == {"__nav_2": FULL}
    assert 'data-sd-nav="__nav_2">\n' + ACTIVE + "</ul>" in pruned


def test_a_list_holding_a_nested_section_or_another_markup_is_left_whole() -> None:
    nested = ('<li class="md-nav__item md-nav__item--nested">\n<nav class="md-nav" data-md-level="2">\n'
              '<ul class="md-nav__list">\n' + _item("x.html", "x") + "</ul>\n</nav>\n</li>\n")
    page = _page(_item("../analytics/index.html", "analytics") + nested)
    assert prune_nav(page, "schemas/app/orders.html") == (page, {})
    odd = _page(SCHEMAS.replace('<li class="md-nav__item">', '<li class="md-nav__item custom">', 1))
    assert prune_nav(odd, "schemas/app/orders.html") == (odd, {})
    assert prune_nav("<p>no navigation</p>", "a.html") == ("<p>no navigation</p>", {})


def test_the_shared_list_file_reads_back_and_cannot_close_its_script() -> None:
    lists = {"__nav_2": FULL, "__nav_1_5": (("db/</script>.html", "</script><b>"),)}
    text = nav_script(lists)
    assert "</script>" not in text and text.startswith("window.__sd_nav=")
    assert read_nav_script(text) == lists
    with pytest.raises(ValueError):
        read_nav_script("alert(1)")


def test_the_frame_icons_are_named_and_drawn_by_one_stylesheet_but_the_content_is_left_alone() -> None:
    shared, icons = share_icons(_page(SCHEMAS))
    assert len(icons) == 2 and shared.count('class="sd-i sd-i-') == 2
    assert '<article><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h2z"/></svg>' in shared
    css = icons_css(icons)
    assert read_icons_css(css) == icons and "<" not in css and "#" not in css
    for key in icons:
        assert f'class="sd-i sd-i-{key}"' in shared and f".sd-i-{key}{{" in css


HEAD = ('<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e))</script>')
PALETTE = '<script>var palette=__md_get("__palette");if(palette&&palette.color){x()}</script>'
CONFIG = ('<script id="__config" type="application/json">{"base": "../..", "features": [], '
          '"search": "../../assets/javascripts/workers/search.js", "translations": {"a": "<b>"}}</script>')


def test_the_theme_scripts_are_loaded_from_shared_files_with_the_root_from_their_own_address() -> None:
    page, files = share_scripts(f"<head>{HEAD}</head><form></form>{PALETTE}<main></main>{CONFIG}<script src=b.js>",
                                "schemas/app/orders.html")
    assert page == ('<head><script src="../../assets/frame-head.js"></script></head><form></form>'
                    '<script src="../../assets/frame-palette.js"></script><main></main>'
                    '<script src="../../assets/frame-config.js"></script><script src=b.js>')
    assert files[HEAD_FILE].startswith('__md_scope=new URL("..",document.currentScript.src),__md_hash=')
    assert files[PALETTE_FILE] == 'var palette=__md_get("__palette");if(palette&&palette.color){x()}\n'
    config = json.loads(files[CONFIG_FILE].split("c=", 1)[1].split(";c.base=")[0])
    assert config == {"base": ".", "features": [], "search": "assets/javascripts/workers/search.js", "translations": {"a": "<b>"}}
    root_page, root_files = share_scripts(HEAD.replace('"../.."', '"."') + CONFIG.replace("../../", "").replace('"../.."', '"."'),
                                          "index.html")
    assert root_page == '<script src="assets/frame-head.js"></script><script src="assets/frame-config.js"></script>'
    assert root_files[HEAD_FILE] == files[HEAD_FILE] and root_files[CONFIG_FILE] == files[CONFIG_FILE]


def test_a_theme_script_not_as_expected_stays_inline() -> None:
    wrong_base = CONFIG.replace('"base": "../.."', '"base": "."')
    page, files = share_scripts(wrong_base + "<script>other()</script>", "schemas/app/orders.html")
    assert page == wrong_base + "<script>other()</script>" and files == {}


PALETTE_FORM = ('<form class="md-header__option" data-md-component="palette">\n<input class="md-option" aria-label="Switch to dark mode" '
                'type="radio" name="__palette" id="__palette_0">\n<label class="md-header__button md-icon" title="Switch to dark mode" '
                'for="__palette_1" hidden>\n<svg viewBox="0 0 24 24" class="sd-i sd-i-86a388bd39"></svg>\n</label>\n</form>\n')
SEARCH = ('<label class="md-header__button md-icon" for="__search">\n<svg viewBox="0 0 24 24" class="sd-i sd-i-0a0b189c56"></svg>\n'
          '</label>\n<div class="md-search" data-md-component="search" role="dialog">\n<form class="md-search__form" name="search">\n'
          '<input type="text" class="md-search__input" name="query" aria-label="Search \u2028 </script>" placeholder="Search">\n'
          '</form>\n<div class="md-search-result__meta">\nInitializing search\n</div>\n</div>\n')


def _header(up: str, controls: str) -> str:
    return (f'<header class="md-header" data-md-component="header">\n<nav class="md-header__inner md-grid" aria-label="Header">\n'
            f'<a href="{up}index.html" class="md-logo"></a>\n{controls}</nav>\n</header>\n<main></main>')


def test_the_header_controls_are_put_back_by_one_shared_script_before_the_palette_script() -> None:
    palette_tag = '<script src="../../assets/frame-palette.js"></script>'
    page, files = share_header(_header("../../", PALETTE_FORM + palette_tag + "\n" + SEARCH), "schemas/app/orders.html")
    assert page == _header("../../", '<script src="../../assets/frame-header.js"></script>' + palette_tag)
    script = files[HEADER_FILE]
    prefix = '(function(s){s.insertAdjacentHTML("beforebegin",'
    assert script.startswith(prefix) and script.endswith(")})(document.currentScript);\n") and "</" not in script
    # the script puts back the very markup, byte for byte (the palette script's tag is what it leaves out)
    assert json.loads(script[len(prefix):-len(")})(document.currentScript);\n")]) == PALETTE_FORM + "\n" + SEARCH
    root_page, root_files = share_header(_header("", PALETTE_FORM + palette_tag.replace("../../", "") + "\n" + SEARCH), "index.html")
    assert root_page == _header("", '<script src="assets/frame-header.js"></script><script src="assets/frame-palette.js"></script>')
    assert root_files == files  # the same file for every page
    alone, alone_files = share_header(_header("", SEARCH), "lineage.html")  # no palette configured
    assert alone == _header("", '<script src="assets/frame-header.js"></script>') and HEADER_FILE in alone_files


def test_a_header_not_as_expected_is_left_as_it_is() -> None:
    for controls in (PALETTE_FORM,  # no search dialog
                     SEARCH.replace("</form>", '<a href="../other.html">x</a></form>'),  # a page-relative link
                     SEARCH + "<script>inline()</script>\n"):  # a script of its own
        page = _header("../../", controls)
        assert share_header(page, "schemas/app/orders.html") == (page, {})
    absolute = _header("../../", SEARCH + '<div class="md-header__source">\n<a href="https://example.com/repo">repo</a>\n</div>\n')
    assert HEADER_FILE in share_header(absolute, "schemas/app/orders.html")[1]  # an absolute link is the same on every page


def test_the_shared_files_join_what_each_process_saw_and_refuse_a_differing_list(tmp_path: Path) -> None:
    first, second = tmp_path / "site", tmp_path / "share-1"
    _, icons = share_icons(_page(SCHEMAS))
    head = sorted(icons)[0]
    frame.write_shared(first, {"__nav_2": FULL}, {head: icons[head]}, {HEAD_FILE: "h\n"})
    frame.write_shared(second, {"__nav_9": FULL[:1]}, icons, {HEAD_FILE: "h\n", PALETTE_FILE: "p\n"})
    frame.merge_into(first, second)
    assert frame.read_shared(first) == ({"__nav_2": FULL, "__nav_9": FULL[:1]}, icons)
    assert (first / PALETTE_FILE).read_text() == "p\n" and (first / HEAD_FILE).read_text() == "h\n"
    with pytest.raises(PluginError, match="__nav_2"):
        frame.write_shared(first, {"__nav_2": FULL[:2]}, {}, {})
    assert (first / DATA_FILE).read_text(encoding="utf-8") == nav_script({"__nav_2": FULL, "__nav_9": FULL[:1]})
