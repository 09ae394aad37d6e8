"""Render a lint report in the format asked for on the command line.

In: a `Report` and a format name: "text" (a terminal), "json" (machines; shape in `json`),
"sarif" (code-scanning tools), "github" (GitHub Actions annotations) or "markdown" (a
pull-request comment, worst first). Out: the text.
"""

from __future__ import annotations

from collections.abc import Callable

from schemadocs.checks.engine import Report
from schemadocs.checks.output import github, json, markdown, sarif, text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render_text, "json": json.render_json, "sarif": sarif.render_sarif,
    "github": github.render_github, "markdown": markdown.render_markdown,
}


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)
