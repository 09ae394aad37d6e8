"""Render a diff in the format asked for on the command line.

In: a `Diff` and a format name: "text" (a terminal), "markdown" (a pull-request comment,
breaking changes first) or "json" (machines; shape in `json_format`). Out: the text.
"""

from __future__ import annotations

from collections.abc import Callable

from schemadocs.diff.change import Diff
from schemadocs.diff.json_format import render_json
from schemadocs.diff.markdown import render_markdown
from schemadocs.diff.text import render_text

RENDERERS: dict[str, Callable[[Diff], str]] = {"text": render_text, "markdown": render_markdown, "json": render_json}


def render(diff: Diff, fmt: str) -> str:
    return RENDERERS[fmt](diff)
