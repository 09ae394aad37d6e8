"""`atomic.write_atomic`: the whole data, the old file's mode kept, a new file's from the umask,
no temporary file left; `fragments.fragment_key` makes the cache directory when it is missing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.render.fragments import fragment_key


def test_the_whole_data_is_written_and_the_mode_kept(tmp_path: Path) -> None:
    big = os.urandom(3 * 1024 * 1024 + 7)
    write_atomic(str(tmp_path / "big.bin"), big)  # a str path too
    assert (tmp_path / "big.bin").read_bytes() == big
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "big.bin").stat().st_mode) == 0o666 & ~mask
    (tmp_path / "big.bin").chmod(0o600)
    write_atomic(tmp_path / "big.bin", "ünïcode")
    assert (tmp_path / "big.bin").read_text(encoding="utf-8") == "ünïcode"
    assert stat.S_IMODE((tmp_path / "big.bin").stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["big.bin"]


def test_a_write_into_a_missing_directory_fails_and_leaves_nothing(tmp_path: Path) -> None:
    try:
        write_atomic(tmp_path / "no" / "x.txt", "x")
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a missing directory must fail")
    assert os.listdir(tmp_path) == []


def test_a_fragment_makes_its_cache_directory_once_and_is_not_written_again(tmp_path: Path) -> None:
    cache = tmp_path / "a" / "fragments"
    key = fragment_key("<table>\n</table>", cache)
    assert (cache / f"{key}.html").read_text(encoding="utf-8") == "<table>\n</table>"
    before = (cache / f"{key}.html").stat().st_mtime_ns
    os.utime(cache / f"{key}.html", ns=(1, 1))
    assert fragment_key("<table>\n</table>", cache) == key and before != 1
    assert (cache / f"{key}.html").stat().st_mtime_ns == 1, "an existing fragment is not rewritten"
