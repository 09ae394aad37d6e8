"""Giving the memory of what a build no longer needs back to the system before MkDocs runs.

In: nothing (call it once the rendered pages, page contexts and graphs are unreferenced). Out:
the process's garbage collected and, on glibc, the free memory at the top of its heaps and in
its free chunks returned to the operating system (`malloc_trim(0)`). Python's own allocator
(pymalloc) frees only its empty arenas; what stays free in the process is then reused by
MkDocs' allocations in this process, so the rendered site and MkDocs' pages are not resident at
the same time. Elsewhere (musl, macOS) only the collection runs; nothing fails.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache


def release() -> bool:
    """Collect garbage, then return free heap memory to the system; True when malloc_trim ran."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim
