"""Sizes and durations as people read them, for the plan's text, Markdown and reasons.

In: bytes, or seconds. Out: short strings ("1.2 GB", "8192 bytes"; "0.4 s", "25 s", "3 min 20 s").
"""

from __future__ import annotations

from schemadocs.render.contexts import human_size


def human_bytes(size: int) -> str:
    """`size` in the site's units (`render.contexts.human_size`: bytes, kB, MB, GB, TB)."""
    return human_size(size)


def human_seconds(seconds: float) -> str:
    """A duration estimate: under a minute in seconds (two significant figures), else minutes or hours."""
    if seconds < 60:
        return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(round(seconds / 60), 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
