"""A plan in the format asked for: `json` (plan.json_format), `markdown` or `text`.

In: a `Plan` and a format name. Out: the text to print.
"""

from __future__ import annotations

from schemadocs.errors import ConfigError
from schemadocs.plan import json_format
from schemadocs.plan.markdown import render_markdown
from schemadocs.plan.model import Plan
from schemadocs.plan.text import render_text

FORMATS = ("text", "markdown", "json")


def render(plan: Plan, fmt: str) -> str:
    if fmt == "json":
        return json_format.dumps(plan)
    if fmt == "markdown":
        return render_markdown(plan)
    if fmt == "text":
        return render_text(plan)
    raise ConfigError(f"unknown plan format {fmt!r}: use one of {', '.join(FORMATS)}")
