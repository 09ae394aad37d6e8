"""One copy of the navigation: each page keeps the entries it needs, the rest come from one shared file.

In: one built page's HTML (Material's primary navigation, indentation already cut by
`render.html_trim`) and the page's URL in the site. Out: `prune_nav`, the page with every
leaf list of the navigation below the top level (the Schemas section, each database's Schemas
on a site of several databases) cut to the entries that are the page's own (the active entry,
and an entry whose folder holds the page: a table page keeps its schema's entry), marked
`data-sd-nav="<section id>"`; and the full lists cut from it, section id → entries (the
target's path from the site's root, URL-encoded as in the page, and the title as text), which are the same on every page.
`nav_script` turns them into the shared file `assets/nav-data.js`, which `assets/nav.js`
(shipped) reads to put the entries back. Links kept in the page work without script; the
home page's schema table reaches every schema without it.
"""

from __future__ import annotations

import html as html_lib
import json
import posixpath
import re

from schemadocs.render.escape import script_json

NavLists = dict[str, tuple[tuple[str, str], ...]]  # section id → (path from the site's root, title)

DATA_FILE = "assets/nav-data.js"  # the shared lists, written once per build (schemadocs.frame)
DATA_PREFIX = "window.__sd_nav="  # the file is this, the lists as JSON, and ";\n"

_PRIMARY = '<nav class="md-nav md-nav--primary"'
_PRIMARY_END = ('<div class="md-sidebar md-sidebar--secondary"', '<div class="md-content"')
_SECTION = re.compile(r'<nav class="md-nav" data-md-level="[1-9]\d*" aria-labelledby="(__nav_[\d_]+)_label"[^>]*>\n'
                      r'<label class="md-nav__title"[^>]*>.*?</label>\n(<ul class="md-nav__list" data-md-scrollfix>)\n',
                      re.S)
_TAG = re.compile(r"<(/?)(li|ul)\b[^>]*>")
_SIMPLE = re.compile(r'<li class="md-nav__item">\n<a href="([^"]*)" class="md-nav__link">\n'
                     r'<span class="md-ellipsis">\n([^<]*?)\n</span>\n</a>\n</li>\n?\Z')
_ACTIVE = '<li class="md-nav__item md-nav__item--active">'


def prune_nav(page: str, url: str) -> tuple[str, NavLists]:
    """`page` (at `url`, e.g. `schemas/app/orders.html`) with its navigation's leaf lists cut to
    its own entries, and those lists in full. A page without Material's navigation is returned as is."""
    start = page.find(_PRIMARY)
    if start < 0:
        return page, {}
    end = min((i for i in (page.find(mark, start) for mark in _PRIMARY_END) if i >= 0), default=len(page))
    folder = posixpath.dirname(url)
    out: list[str] = [page[:start]]
    lists: NavLists = {}
    last = start
    for section in _SECTION.finditer(page, start, end):
        body_start = section.end()
        items = _items(page, body_start, end)
        if items is None:
            continue  # not a leaf list (a nested section), or not the markup expected: left whole
        spans, body_end = items
        kept: list[str] = []
        entries: list[tuple[str, str]] = []
        for item in spans:
            simple = _SIMPLE.match(item)
            if simple is None:  # the active entry: kept as it is, and listed from its link
                link = re.search(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active">\n'
                                 r'<span class="md-ellipsis">\n([^<]*?)\n</span>', item)
                if link is None:
                    break
                entries.append((_from_root(folder, html_lib.unescape(link.group(1))), html_lib.unescape(link.group(2))))
                kept.append(item)
                continue
            target = _from_root(folder, html_lib.unescape(simple.group(1)))
            entries.append((target, html_lib.unescape(simple.group(2))))
            own = posixpath.dirname(target)
            if own and (folder == own or folder.startswith(own + "/")):
                kept.append(item)
        else:
            out.append(page[last:section.start(2)])
            out.append(f'<ul class="md-nav__list" data-md-scrollfix data-sd-nav="{section.group(1)}">\n')
            out.append("".join(item if item.endswith("\n") else item + "\n" for item in kept))
            last = body_end
            lists[section.group(1)] = tuple(entries)
    out.append(page[last:])
    return "".join(out), lists


def nav_script(lists: NavLists) -> str:
    """The shared file's text: the lists as one JSON object, sorted, assigned to `window.__sd_nav`."""
    data = {key: [list(entry) for entry in entries] for key, entries in sorted(lists.items())}
    return DATA_PREFIX + script_json(json.dumps(data, ensure_ascii=True, separators=(",", ":"))) + ";\n"


def read_nav_script(text: str) -> NavLists:
    """The lists a shared file holds (for checking a built site's links)."""
    if not text.startswith(DATA_PREFIX) or not text.rstrip().endswith(";"):
        raise ValueError(f"not a navigation file: it must start with {DATA_PREFIX!r}")
    data = json.loads(text[len(DATA_PREFIX):].rstrip().rstrip(";"))
    return {key: tuple((str(path), str(title)) for path, title in entries) for key, entries in data.items()}


def _items(page: str, start: int, limit: int) -> tuple[list[str], int] | None:
    """The top-level `<li>` elements of the list whose body starts at `start`, and where its
    `</ul>` starts; None when an item holds a nested section (anything but the active entry's
    table of contents)."""
    items: list[str] = []
    depth = 0
    item_start = start
    for tag in _TAG.finditer(page, start, limit):
        closing, name = tag.group(1) == "/", tag.group(2)
        if name == "ul" and closing and depth == 0:
            tail = page[item_start:tag.start()].strip()
            return (items, tag.start()) if not tail else None
        if name == "li" and not closing and depth == 0:
            if page[item_start:tag.start()].strip():
                return None
            item_start = tag.start()
            if not tag.group(0).startswith(('<li class="md-nav__item">', _ACTIVE)):
                return None
        depth += -1 if closing else 1
        if name == "li" and closing and depth == 0:
            items.append(page[item_start:tag.end() + 1 if page[tag.end():tag.end() + 1] == "\n" else tag.end()])
            item_start = tag.end() + (1 if page[tag.end():tag.end() + 1] == "\n" else 0)
        if depth < 0:
            return None
    return None


def _from_root(folder: str, href: str) -> str:
    """A page's relative link as a path from the site's root."""
    return posixpath.normpath(posixpath.join(folder, href)) if href else folder
