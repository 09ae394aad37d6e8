"""Removing a build's work folder, at once or in a detached process the build does not wait for.

In: a work folder of `schemadocs.swap` (after the switch it holds the replaced site) and the
open, locked lock file in it. Out: the folder removed, its lock file last, so a build killed
meanwhile leaves a folder the next one still recognises (locked by nobody, or empty) and
removes. `remove_later` hands a large folder (a replaced site of some 1,500 files or more,
judged by the size of its build record) to a child process in its own session, at low
priority, which inherits the lock: the folder stays locked, so no other build touches it,
until the child has removed it. A small one is removed at once (milliseconds), so nothing is
left beside the output folder when the command returns. Run as a script
(`python -m schemadocs.detached_remove FOLDER LOCKNAME`), it is that child.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# a replaced site whose build record is larger than this (some 1,500 files) is removed in the background
DETACH_ABOVE_BYTES = 256 * 1024


def remove_later(work: Path, lock_fd: int, lock_name: str, records: Iterable[Path],
                 above: int | None = None) -> bool:
    """Start a detached child that removes `work`, holding its lock (`lock_fd`), when one of the
    build `records` (the replaced site's, wherever the switch left it) is larger than `above`
    bytes (`DETACH_ABOVE_BYTES`); True when the child took it over, False when the caller must
    remove `work` itself."""
    limit = DETACH_ABOVE_BYTES if above is None else above
    if not any(_size(record) > limit for record in records):
        return False
    try:
        subprocess.Popen([sys.executable, "-m", "schemadocs.detached_remove", str(work), lock_name],
                         pass_fds=(lock_fd,), start_new_session=True, close_fds=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return False
    return True


def remove(work: Path, lock_name: str) -> None:
    """Delete a work folder, its lock file last (see the module docstring)."""
    with contextlib.suppress(OSError):  # what cannot be removed now is left for the next build
        for entry in work.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            elif entry.name != lock_name:
                entry.unlink()
        (work / lock_name).unlink(missing_ok=True)
        work.rmdir()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def main(argv: list[str]) -> int:
    with contextlib.suppress(OSError):
        os.nice(10)
    remove(Path(argv[0]), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
