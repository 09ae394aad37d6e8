"""Rendered pages kept between builds, by a hash of what they are made from.

In: `LazyPage`s (a template, a key holding everything the page is made from, and a function
that builds its context) and the cache directory. Out: each page's text, read from the cache
when the same template and key were rendered before by the same code, else rendered and
stored. For pages that are costly to build and rarely change (the column index: 200,000
rows at 10,000 tables), so a rebuild after a small migration skips them. The hash covers
the key's repr (plain tuples of strings and numbers: deterministic) and everything else that
shapes a page (`render_inputs`): the templates, the code of every schemadocs package pages
are made with (the model and its `quote_ident`, slugs, Markdown rendering, ...), the
installed versions of the libraries that render or build pages, and Python's; so an upgrade
never serves an old page. Entries a build did not use are removed once it has succeeded
(`prune`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from schemadocs import progress
from schemadocs.render.cache_prune import prune
from schemadocs.atomic import write_atomic
from schemadocs.render.fragments import fragments_present, lift_tables
from schemadocs.render.templates import render

# Every package whose code shapes a page: all but schemadocs.introspect, which only reads the
# database into the model. tests/test_page_cache.py checks that rendering imports no other.
CODE_PACKAGES = ("schemadocs", "schemadocs.render", "schemadocs.templates", "schemadocs.lineage", "schemadocs.diff",
                 "schemadocs.checks", "schemadocs.checks.rules", "schemadocs.project", "schemadocs.api",
                 "schemadocs.plan", "schemadocs.families", "schemadocs.multisite")
# The installed distributions that render Markdown, escape, highlight or build the pages.
DISTRIBUTIONS = ("Jinja2", "MarkupSafe", "markdown-it-py", "Markdown", "mkdocs", "mkdocs-material",
                 "pymdown-extensions", "Pygments")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")  # in the repr of an object that has no repr of its own


@dataclass(frozen=True)
class LazyPage:
    path: str
    template: str
    key: object  # everything the page is made from; its repr must be deterministic
    context: Callable[[], object]
    renderer: Callable[[str, object], str] = render  # the HTML Markdown, or `render.clean`'s clean copy


def context_page(path: str, template: str, context: object,
                 renderer: Callable[[str, object], str] = render) -> LazyPage:
    """A page keyed by its whole context (a frozen dataclass of plain values, whose repr is
    deterministic): the text a template makes of it depends on nothing else but the code, which
    `render_inputs` covers, so a page whose context did not change is read back, never stale."""
    return LazyPage(path, template, context, lambda: context, renderer)


class PageCache:
    def __init__(self, directory: Path | None, fragments: Path | None = None) -> None:
        self.directory = directory
        self.fragments = fragments  # where the fragments cached pages name must be (render.fragments)
        self.used: set[str] = set()

    def render(self, page: LazyPage, lift: Path | None = None) -> str:
        """The page's text: from the cache, else rendered (and kept for the next build). With
        `lift` (the fragment directory), the text with its tables lifted out (`fragments.lift_tables`):
        the cache then keeps the lifted text, so a page read back is not lifted again."""
        if self.directory is None:
            return _rendered(page, lift)
        key = repr(page.key)
        if _ADDRESS.search(key):  # an object without a value repr (its address): never cached
            return _rendered(page, lift)
        renderer = f"{page.renderer.__module__}.{page.renderer.__qualname__}"
        lifted = "" if lift is None else "\nlifted"
        digest = hashlib.sha256(
            f"{render_inputs()}\n{renderer}\n{page.template}\n{page.path}{lifted}\n{key}".encode()).hexdigest()
        self.used.add(digest)
        cached = self.directory / f"{digest}.md"
        fragments = lift if lift is not None else self.fragments  # where the fragments the text names must be
        try:
            text = cached.read_text(encoding="utf-8")
            if fragments is None or fragments_present(text, fragments):
                progress.count("cached pages", reused=1)
                return text
        except FileNotFoundError:
            pass
        progress.count("cached pages", rendered=1)
        text = _rendered(page, lift)
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, text)
        return text

    def prune(self) -> None:
        """Remove the entries this build did not use (only files named as this cache names them)."""
        if self.directory is not None:
            prune(self.directory, ".md", self.used)


def _rendered(page: LazyPage, lift: Path | None) -> str:
    """The page rendered by its template, its tables lifted out into `lift` when given."""
    text = page.renderer(page.template, page.context())
    return text if lift is None else lift_tables(text, lift)


@cache
def render_inputs() -> str:
    """A hash of everything besides its key that shapes a page: sources, library versions, Python."""
    digest = hashlib.sha256()
    for name, data in code_files():
        digest.update(name.encode() + b"\0" + data + b"\0")
    for dist in DISTRIBUTIONS:
        digest.update(f"{dist}=={installed_version(dist)}\0".encode())
    digest.update(f"python {sys.version}".encode())
    return digest.hexdigest()


def code_files() -> list[tuple[str, bytes]]:
    """(package/file name, content) of each module, template and stylesheet of CODE_PACKAGES."""
    files = []
    for package in CODE_PACKAGES:
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".j2", ".css")):
                files.append((f"{package}/{entry.name}", entry.read_bytes()))
    return files


def installed_version(distribution: str) -> str:
    """The installed version of `distribution`, or "absent"."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"
