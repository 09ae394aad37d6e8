"""The snapshot a built site keeps: `catalog.json`, or on a large site `catalog.json.gz`.

In: a catalog about to be published (`snapshot_name`: which file it goes to), a docs-dir file
given as text (`write_file`, `read_file`: a `.gz` file is written gzip-compressed and read back
as its text), or a built site's folder (`snapshot_file`: whichever of the two it holds). Out:
the file name, the file on disk, or its path.

A site of `COMPRESS_MIN` relations or more publishes its snapshot compressed: at 1,000 tables
`catalog.json` is 7.2 MB and `catalog.json.gz` 0.4 MB, some 68 MB less at 10,000 tables. The
compression is deterministic (no time stamp, no file name), so builds stay byte-identical.
Every reader in schemadocs takes either file (`snapshot.load` inflates a gzip file): `build
--previous`, the incremental build, `diff`, `lint --snapshot`, the MCP server's `--site`, and
the example CI workflow's download of the published site's snapshot.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from schemadocs.model import Catalog

PLAIN = "catalog.json"
COMPRESSED = "catalog.json.gz"
COMPRESS_MIN = 1000  # relations: from this many on, a site keeps its snapshot compressed
NAMES = (PLAIN, COMPRESSED)
LEVEL = 6  # zlib's default: level 9 takes twice the time for 1 % fewer bytes on a snapshot


def snapshot_name(catalog: Catalog) -> str:
    """The file a site of `catalog` keeps its snapshot in."""
    return COMPRESSED if len(catalog.relations) >= COMPRESS_MIN else PLAIN


def snapshot_file(folder: Path) -> Path | None:
    """The snapshot a built site (or a database's folder of one) holds, or None."""
    for name in NAMES:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


def write_file(target: Path, text: str) -> None:
    """Write a docs-dir file given as text: gzip-compressed when its name ends in `.gz`."""
    data = text.encode("utf-8")
    target.write_bytes(gzip.compress(data, compresslevel=LEVEL, mtime=0) if target.suffix == ".gz" else data)


def read_file(target: Path) -> str:
    """The text of a docs-dir file `write_file` wrote (a `.gz` file inflated)."""
    data = target.read_bytes()
    if target.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return ""  # not what schemadocs wrote: differs from any text, so it is written again
    return data.decode("utf-8", errors="replace")
