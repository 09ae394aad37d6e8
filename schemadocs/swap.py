"""The switch from the previous site to the new one, in one atomic step, and the cleaning
of what killed builds left behind.

In: the output folder. Out: a work folder beside it for the build (`.<out>.building-*`,
holding the new site in `site/` and the derived mkdocs.yml, locked while the build runs),
then the switch: Linux's renameat2(RENAME_EXCHANGE) exchanges the new site and the output
folder in one step, so `--out` stays a real folder and is at every instant the complete old
or the complete new site. Where the exchange is unsupported, two renames are done with
SIGTERM, SIGINT and SIGHUP blocked, and a build killed between them anyway (SIGKILL, power
loss) is recovered by the next one. A work folder is ours when its name matches and its
lock file is in it; it is stale when nothing holds that lock (the kernel drops a dead
process's locks), and only then removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import glob
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from schemadocs import detached_remove
from schemadocs.errors import BuildError
from schemadocs.incremental import STAMP

LOCK = ".schemadocs-lock"
PREVIOUS = "previous"  # where the two-rename fallback parks the old site
RENAME_EXCHANGE = 2
AT_FDCWD = -100


@contextlib.contextmanager
def work_dir(out_dir: Path) -> Iterator[Path]:
    """A fresh locked work folder beside `out_dir` with an empty `site/` for the new site;
    removed afterwards, whatever happens (with the old site, after a switch: a large one by a
    detached process the build does not wait for, `schemadocs.detached_remove`)."""
    clean_stale(out_dir)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    except OSError as exc:
        raise BuildError(f"cannot create the work folder beside {out_dir} ({exc.strerror}); "
                         f"make {out_dir.parent} writable or pass another --out") from None
    detached = False
    try:
        with open(work / LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            (work / "site").mkdir()  # the umask's default mode
            yield work
            detached = detached_remove.remove_later(work, lock.fileno(), LOCK,
                                                    (work / "site" / STAMP, work / PREVIOUS / STAMP))
    finally:
        if not detached:
            _remove(work)


def switch(site: Path, out_dir: Path) -> None:
    """Put `site` in the place of `out_dir` in one step; `site` then holds the old site.
    The new site takes the mode of the folder it replaces."""
    if out_dir.is_dir():
        os.chmod(site, stat.S_IMODE(out_dir.stat().st_mode))
    if not out_dir.exists():
        os.rename(site, out_dir)
    elif not _exchange(site, out_dir):
        with _signals_blocked():
            os.rename(out_dir, site.parent / PREVIOUS)
            os.rename(site, out_dir)


def clean_stale(out_dir: Path) -> None:
    """Remove the work folders of dead builds into `out_dir`, putting back the previous site
    if one was killed between the fallback's two renames; older versions' `.old-*` too."""
    pattern = glob.escape(f".{out_dir.name}.")
    for work in sorted(out_dir.parent.glob(f"{pattern}building-*")):
        with _stale_lock(work) as stale:
            if stale:
                _restore(work / PREVIOUS, out_dir)
                _remove(work)
    for old in sorted(out_dir.parent.glob(f"{pattern}old-*")):  # schemadocs before the exchange: old/site
        if not old.is_symlink() and old.is_dir() and [p.name for p in old.iterdir()] == ["site"]:
            _restore(old / "site", out_dir)
            if not (old / "site").exists() or (old / "site" / STAMP).is_file():
                shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _stale_lock(work: Path) -> Iterator[bool]:
    """True while holding the lock of a work folder of ours that no running build holds, or
    for an empty one (a build killed before it locked its folder or after it emptied it)."""
    if work.is_symlink() or not work.is_dir() or not (work / LOCK).is_file():
        yield not work.is_symlink() and work.is_dir() and not any(work.iterdir())
        return
    fd = os.open(work / LOCK, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _remove(work: Path) -> None:
    """Delete a work folder, its lock file last: a build killed meanwhile leaves a folder the
    next one still recognises (locked by nobody, or empty)."""
    detached_remove.remove(work, LOCK)


def _restore(previous: Path, out_dir: Path) -> None:
    if not out_dir.exists() and (previous / STAMP).is_file():
        os.rename(previous, out_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders with renameat2(RENAME_EXCHANGE); False where the system lacks it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
