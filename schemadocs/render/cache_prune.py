"""The build caches pruned to what the last successful build used.

In: the cache directory beside the docs dir (`.schemadocs-cache/`) and the text of every page
the build generated. Out: the diagrams (`diagrams/*.svg`, and their packed text `*.z`) and
fragments (`fragments/*.html`) those pages do not name by placeholder are removed, and how many were. Only files schemadocs
writes there are touched: a name of 64 hex digits (a content hash) and the cache's suffix;
anything else in those folders is left alone. `schemadocs.build` calls it once MkDocs has
succeeded, so a failed build leaves what the previous site and its pages name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from schemadocs.render.diagrams import SVG_PLACEHOLDER
from schemadocs.render.fragments import fragment_keys
from schemadocs.render.packed_diagrams import PACKED_SUFFIX

HASH_NAME = re.compile(r"([0-9a-f]{64})(\.[a-z]+)")  # a cache entry: content hash + suffix


def prune_caches(cache_dir: Path, pages: Iterable[str]) -> int:
    """Remove the diagrams and fragments no page in `pages` names; return how many were removed."""
    return prune_named(cache_dir, *placeholders(pages))


def placeholders(pages: Iterable[str]) -> tuple[set[str], set[str]]:
    """The hashes of the diagrams and of the fragments the pages name by placeholder."""
    svgs: set[str] = set()
    fragments: set[str] = set()
    for text in pages:
        svgs.update(SVG_PLACEHOLDER.findall(text))
        fragments.update(fragment_keys(text))
    return svgs, fragments


def prune_named(cache_dir: Path, svgs: Iterable[str], fragments: Iterable[str]) -> int:
    """Remove the diagrams (SVG and packed) and fragments whose hashes are not in `svgs` and
    `fragments`; return how many."""
    return (prune(cache_dir / "diagrams", ".svg", set(svgs)) + prune(cache_dir / "diagrams", PACKED_SUFFIX, set(svgs))
            + prune(cache_dir / "fragments", ".html", set(fragments)))


def prune(directory: Path, suffix: str, keep: set[str]) -> int:
    """Remove the entries `<hash><suffix>` of `directory` whose hash is not in `keep`; return how many."""
    if not directory.is_dir():
        return 0
    removed = 0
    for entry in directory.iterdir():
        named = HASH_NAME.fullmatch(entry.name)
        if named and named.group(2) == suffix and named.group(1) not in keep and entry.is_file():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
