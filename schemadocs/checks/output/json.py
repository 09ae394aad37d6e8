"""A lint report as JSON for machines.

In: a `Report`. Out: one JSON object, stable and sorted (worst first, then rule, object):

    {"findings": [{"rule": "no-primary-key",        # stable kebab-case id
                   "level": "warning",              # error | warning | info
                   "category": "keys",              # keys | indexes | types | naming |
                                                    # documentation | security | maintenance
                   "object": "app.events",          # quote_ident-qualified thing to change
                   "message": "...", "fix": "..." | null,
                   "fingerprint": "3f0c..."}],      # rule + object: what a baseline matches
     "summary": {"total": 1, "error": 0, "warning": 1, "info": 0,
                 "known": 0,                        # left out by --baseline
                 "stale": [{"rule": ..., "object": ..., "fingerprint": ...}],
                 "rules_run": [...], "skipped_no_stats": [...]}}
"""

from __future__ import annotations

import json

from schemadocs.checks.engine import Report
from schemadocs.checks.output.summary import level_counts


def render_json(report: Report) -> str:
    findings = [{"rule": f.rule, "level": f.level.value, "category": f.category.value, "object": f.object,
                 "message": f.message, "fix": f.fix, "fingerprint": f.fingerprint} for f in report.findings]
    summary = {"total": len(report.findings), **{lv.value: n for lv, n in level_counts(report).items()},
               "known": report.known,
               "stale": [{"rule": e.rule, "object": e.object, "fingerprint": e.fingerprint} for e in report.stale],
               "rules_run": list(report.rules_run), "skipped_no_stats": list(report.skipped_no_stats)}
    return json.dumps({"findings": findings, "summary": summary}, indent=2, ensure_ascii=False) + "\n"
