"""A lint report as SARIF 2.1.0, for code-scanning tools (GitHub code scanning and others).

In: a `Report`. Out: one run whose `tool.driver.rules` documents every rule run (title, why,
fix and traps: the registry's text) and whose results name their object as a logical
location (a catalog finding has no file); the fingerprint is a partial fingerprint.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Level
from schemadocs.checks.registry import Rule, all_rules

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def render_sarif(report: Report) -> str:
    known = all_rules()
    ids = sorted({*report.rules_run, *(f.rule for f in report.findings)})
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = [{
        "ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVELS[f.level],
        "message": {"text": f.message + (f"\nFix: {f.fix}" if f.fix else "")},
        "locations": [{"logicalLocations": [{"fullyQualifiedName": f.object}]}],
        "partialFingerprints": {"schemadocs/v1": f.fingerprint},
        "properties": {"category": f.category.value, **({"fix": f.fix} if f.fix else {})},
    } for f in report.findings]
    driver = {"name": "schemadocs", "version": version("schemadocs"),
              "rules": [_rule(known[rule_id]) for rule_id in ids]}
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _rule(r: Rule) -> dict[str, Any]:
    return {"id": r.id, "shortDescription": {"text": r.title}, "fullDescription": {"text": r.why},
            "help": {"text": f"{r.why}\n\nFix: {r.fix}\n\nTraps: {r.traps}"},
            "defaultConfiguration": {"level": LEVELS[r.level]},
            "properties": {"category": r.category.value, "needs": r.needs.value, "thresholds": dict(r.thresholds)}}
