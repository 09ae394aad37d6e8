"""Rendered pages kept between builds, by a hash of what they are made from.

In: `LazyPage`s (a template, a key holding everything the page is made from, and a function
that builds its context) and the cache directory. Out: each page's text, read from the cache
when the same template and key were rendered before by the same code, else rendered and
stored. For pages that are costly to build and rarely change (the column index: 200,000
rows at 10,000 tables), so a rebuild after a small migration skips them. The hash covers
the key's repr (plain tuples of strings and numbers: deterministic) and the source of the
templates and of this package, so new code never serves an old page. Entries a build did
not use are removed at its end (`prune`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.render.fragments import fragments_present
from schemadocs.render.templates import render


@dataclass(frozen=True)
class LazyPage:
    path: str
    template: str
    key: object  # everything the page is made from; its repr must be deterministic
    context: Callable[[], object]


class PageCache:
    def __init__(self, directory: Path | None, fragments: Path | None = None) -> None:
        self.directory = directory
        self.fragments = fragments  # where the fragments cached pages name must be (render.fragments)
        self.used: set[str] = set()

    def render(self, page: LazyPage) -> str:
        """The page's text: from the cache, else rendered (and kept for the next build)."""
        if self.directory is None:
            return render(page.template, page.context())
        digest = hashlib.sha256(f"{_code_version()}\n{page.template}\n{page.path}\n{page.key!r}".encode()).hexdigest()
        self.used.add(digest)
        cached = self.directory / f"{digest}.md"
        try:
            text = cached.read_text(encoding="utf-8")
            if self.fragments is None or fragments_present(text, self.fragments):
                return text
        except FileNotFoundError:
            pass
        text = render(page.template, page.context())
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, text)
        return text

    def prune(self) -> None:
        """Remove the entries this build did not use."""
        if self.directory is not None and self.directory.exists():
            for entry in self.directory.glob("*.md"):
                if entry.stem not in self.used:
                    entry.unlink(missing_ok=True)


@cache
def _code_version() -> str:
    """A hash of the templates and of the page-building code: a new version renders anew."""
    digest = hashlib.sha256()
    for package in ("schemadocs.templates", "schemadocs.render"):
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".j2", ".css")):
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()

