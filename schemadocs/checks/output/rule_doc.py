"""A rule's documentation as text, for `schemadocs rules` and `lint --list-rules`.

In: a `Rule`. Out: the registry's text (`registry.describe`: what it checks, level, category,
the data it needs, thresholds, why it matters, the safe fix, the known traps), the same
text the site shows.
"""

from __future__ import annotations

import textwrap

from schemadocs.checks.registry import Rule, describe


def render_rule(r: Rule) -> str:
    d = describe(r)
    thresholds = ", ".join(f"{name}={value:g}" for name, value in d["thresholds"].items()) or "none"
    lines = [f"{d['id']}: {d['title']}",
             f"  level {d['level']}, category {d['category']}, needs {d['needs']}, thresholds: {thresholds}"]
    for label in ("why", "fix", "traps"):
        lines += textwrap.wrap(f"{label}: {d[label]}", width=100, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"
