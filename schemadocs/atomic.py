"""Atomic file writes: a reader sees the old file or the new one, never half of either.

In: a path and its new contents. Out: the file, replaced in one rename(2). A new file gets
the umask's default mode (0644 under umask 022), a replaced one keeps its mode; the
temporary file beside it is removed on any error, Ctrl-C included. The bytes go out with
os.write on the file descriptor (no buffered file object: most writes are small cache files).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write `data` (str as UTF-8) to `path` through a temporary file renamed over it."""
    target = os.fspath(path)
    directory, name = os.path.split(target)
    tmp = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for open()
    try:
        try:
            view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
