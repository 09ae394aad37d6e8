"""Compiled Jinja templates kept between builds, for MkDocs' theme and for schemadocs' pages.

In: a Jinja environment and the build's cache directory. Out: the environment with a bytecode
cache in `<cache>/jinja/`, so a build compiles a template only when its source (or Jinja, or
Python) changed since a build last compiled it. Jinja keys each entry by the template's name
and file and checks the source's checksum and its own and Python's versions on load, so an
entry never serves another source; a damaged entry is compiled again. An incremental build
renders a handful of pages but compiled every template they and the theme's 404 page and
sitemap use (mkdocs-material's some 30), a large share of its time; a cold build compiles
them once per MkDocs process. `TemplateCache` is the MkDocs plugin (added by
`schemadocs.mkdocs_plugins`), `use_for` sets the cache on schemadocs' own environments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.plugins import BasePlugin

NAME = "schemadocs/template-cache"
FOLDER = "jinja"


class TemplateCache(BasePlugin):  # type: ignore[type-arg]
    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.cache_dir = cache_dir

    def on_env(self, env: jinja2.Environment, /, *, config: Any, files: Any) -> jinja2.Environment:
        use_for(env, self.cache_dir)
        return env


def use_for(env: jinja2.Environment, cache_dir: Path) -> None:
    """Keep `env`'s compiled templates in `cache_dir`/jinja."""
    folder = cache_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = _Cache(str(folder))


class _Cache(jinja2.FileSystemBytecodeCache):
    """A cache that never fails a build: an entry it cannot read or write is compiled instead."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass
