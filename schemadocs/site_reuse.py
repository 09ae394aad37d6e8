"""The previous site's unchanged files, put into the staging folder of an incremental build.

In: the previous site's build record (each file's SHA-256 and, when recorded, its size,
modification time and inode), the previous site, the staging folder, and which staged paths
are outputs of unchanged docs-dir files (MkDocs' dirty build writes those only when their
source is newer). Out: `reuse` puts each file in staging, linked or copied, and returns what
it knows of the linked ones (path → digest and stat), so the new build record need not hash
them again.

A file is taken only when it is as the previous build left it: its size, modification time
and inode equal the record's (any write, or a file replaced, changes them), else when its
SHA-256 does (a record without stats, or a site restored from a CI cache). An edited file is
left out, so MkDocs makes it again.

A hard link shares its bytes with the previous site, so a write into it would change the
previous site, which must stay whole until the switch (and whole for good if the build fails
or is killed). A file is therefore linked only when nothing of the build writes it: the
output of an unchanged docs-dir file whose source is not newer than it (MkDocs' dirty build
skips it: `File.is_modified`), and none of the files written after MkDocs on every build.
Everything else (theme assets, the search index, the sitemap, the 404 page, the shared frame
files) is copied, as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

Stat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class Known:
    """A staged file's digest, and its stat once staged (a copy has a new inode and time)."""

    digest: str
    stat: Stat


def reuse(previous: Mapping[str, str], stats: Mapping[str, list[int]], previous_site: Path, staging: Path,
          linkable: Mapping[str, Path | None], skip: Collection[str]) -> dict[str, Known]:
    """Put the previous site's files (`previous`: path → SHA-256, `stats`: path → recorded stat)
    into `staging`, but the `skip` paths and edited files; hard-link the `linkable` ones (path →
    the docs-dir source whose output it is, whose source is not newer; None: a file nothing of
    the build writes), copy the rest."""
    known: dict[str, Known] = {}
    made: set[Path] = set()
    for path, digest in previous.items():
        source = previous_site / path
        if path in skip or Path(path).is_absolute() or ".." in Path(path).parts:
            continue
        try:
            st = source.lstat()
        except OSError:
            continue  # gone
        if not stat.S_ISREG(st.st_mode):
            continue  # a symlink or a folder where a file was: not ours
        recorded = stats.get(path)
        if not ((recorded is not None and list(recorded) == list(stat_of(st))) or _sha256(source) == digest):
            continue  # edited since: MkDocs makes it again
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if path in linkable and (linkable[path] is None or _not_newer(linkable[path], st.st_mtime_ns)):
            os.link(source, target)  # same inode, same time: MkDocs sees it up to date and never opens it
            known[path] = Known(digest, stat_of(target.lstat()))
        else:  # copied: the build may rewrite it within the file system's time granularity, so not known
            shutil.copyfile(source, target)
    return known


def stat_of(st: os.stat_result) -> Stat:
    """What the build record keeps of a file to know it unchanged without reading it."""
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _not_newer(docs_source: Path, mtime_ns: int) -> bool:
    """True when MkDocs' `File.is_modified` finds the output (modified at `mtime_ns`) up to date."""
    try:
        return docs_source.stat().st_mtime_ns <= mtime_ns
    except OSError:
        return False


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
