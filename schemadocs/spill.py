"""Files a build writes into the site after MkDocs, kept on disk instead of in memory meanwhile.

In: a mapping of site path → text (the files for machines: the clean `.md` copies, `llms.txt`,
`llms-full.txt`). Out: `Spilled`, a read-only mapping with the same keys whose values are read
back from a folder in the build's cache directory when asked for, so the texts need not stay in memory while MkDocs
runs. The folder (`spilled_dir`) is removed when its block ends, whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PREFIX = "spill-"


@contextmanager
def spilled_dir(parent: Path) -> Iterator[Path]:
    """A fresh folder `spill-*` in `parent` (the build's cache directory, on disk: a temporary
    folder may be in memory) for `Spilled` files, removed when the block ends. A killed build's
    leftover folders are removed first (two builds of one docs dir never run at once: they would
    write the same pages)."""
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f"{PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=PREFIX, dir=parent) as folder:
        yield Path(folder)


class Spilled(Mapping[str, str]):
    """Site path → text, each text in a file of its own (named by its rank, in `files`' order)."""

    def __init__(self, folder: Path, files: Mapping[str, str]) -> None:
        self._folder = folder
        self._names: dict[str, str] = {}
        for rank, (path, text) in enumerate(files.items()):
            name = f"{rank}.txt"
            (folder / name).write_text(text, encoding="utf-8", newline="")
            self._names[path] = name

    def __getitem__(self, path: str) -> str:
        with open(self._folder / self._names[path], encoding="utf-8", newline="") as file:
            return file.read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
