"""A migration plan as JSON, and back: `schemadocs plan --format json` writes it, `build
--plan FILE.json` reads it.

In: a `Plan` (or the JSON text). Out: the JSON text (or the `Plan`). The shape:

    {"statements": [{"file": "migrations/0042.sql", "line": 3, "sql": "ALTER TABLE ...",
                     "locks": [{"relation": "app.orders", "mode": "AccessExclusiveLock",
                                "blocks": "reads and writes"}],
                     "rewrites": ["app.orders"], "scans": ["app.orders"],
                     "changes": [{"object": "column", "name": "app.orders.total", "action": "changed",
                                  "severity": "breaking", "text": "...", "breaks": ["app.v"]}],
                     "risk": "high", "estimate_seconds": 12.5, "reasons": ["..."],
                     "advice": "..." | null,
                     "observed": true, "note": null | "...", "lock_timeout_ms": 0,
                     "sizes": {"app.orders": 123456}, "error": null | "..."}],
     "summary": {"risk": "high", "statements": 1, "high": 1, "medium": 0, "low": 0,
                 "transaction": "per-file",
                 "held_locks": [{"relation": ..., "mode": ..., "blocks": ..., "statement": 0,
                                 "file": ..., "line": ..., "held_seconds": 12.5}],
                 "warnings": [{"file": ..., "statement": 0, "line": ..., "risk": ..., "message": ...,
                               "advice": ...}],
                 "assumptions": {"method": "copy", "sizes_from": ..., "rewrite_bytes_per_second": ...,
                                 "scan_bytes_per_second": ..., "large_bytes": ..., "server_version": ...}}}
"""

from __future__ import annotations

import json
from typing import Any

from schemadocs.errors import ConfigError
from schemadocs.plan.model import (
    Assumptions,
    ChangeNote,
    FileWarning,
    HeldLock,
    Lock,
    LockMode,
    Observation,
    Plan,
    Risk,
    Statement,
    StatementPlan,
    Transaction,
)


def dumps(plan: Plan) -> str:
    """The plan as pretty, deterministic JSON (a trailing newline)."""
    return json.dumps(to_data(plan), indent=2, ensure_ascii=False) + "\n"


def to_data(plan: Plan) -> dict[str, Any]:
    statements = [_statement(s) for s in plan.statements]
    counts = {r.value: sum(1 for s in plan.statements if s.risk is r) for r in reversed(Risk)}
    summary = {
        "risk": plan.risk.value, "statements": len(plan.statements), **counts,
        "transaction": plan.transaction.value,
        "held_locks": [{"relation": h.relation, "mode": h.mode.value, "blocks": h.mode.blocks,
                        "statement": h.statement, "file": plan.statements[h.statement].observation.statement.file,
                        "line": plan.statements[h.statement].observation.statement.line,
                        "held_seconds": h.held_seconds} for h in plan.held],
        "warnings": [{"file": w.file, "statement": w.statement,
                      "line": plan.statements[w.statement].observation.statement.line,
                      "risk": w.risk.value, "message": w.message, "advice": w.advice} for w in plan.warnings],
        "assumptions": vars(plan.assumptions).copy(),
    }
    return {"statements": statements, "summary": summary}


def _statement(s: StatementPlan) -> dict[str, Any]:
    o = s.observation
    return {
        "file": o.statement.file, "line": o.statement.line, "sql": o.statement.sql,
        "locks": [{"relation": lk.relation, "mode": lk.mode.value, "blocks": lk.blocks} for lk in o.locks],
        "rewrites": list(o.rewrites), "scans": list(o.scans),
        "changes": [{"object": c.object, "name": c.name, "action": c.action, "severity": c.severity,
                     "text": c.text, "breaks": list(c.breaks)} for c in o.changes],
        "risk": s.risk.value, "estimate_seconds": s.estimate_seconds, "reasons": list(s.reasons),
        "advice": s.advice, "observed": o.observed, "note": o.note, "lock_timeout_ms": o.lock_timeout_ms,
        "transactional": o.statement.transactional, "sizes": dict(o.sizes), "error": o.error,
    }


def loads(text: str, source: str = "plan") -> Plan:
    """A plan from its JSON; `ConfigError` naming `source` when it is not one."""
    try:
        data = json.loads(text)
        statements = tuple(_statement_plan(s) for s in data["statements"])
        summary = data["summary"]
        held = tuple(HeldLock(h["relation"], LockMode(h["mode"]), int(h["statement"]), float(h["held_seconds"]))
                     for h in summary["held_locks"])
        warnings = tuple(FileWarning(w["file"], int(w["statement"]), Risk(w["risk"]), w["message"], w.get("advice"))
                         for w in summary["warnings"])
        assumptions = Assumptions(**summary["assumptions"])
        plan = Plan(statements, held, warnings, assumptions, Transaction(summary["transaction"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{source} is not a migration plan from `schemadocs plan --format json` ({exc!r}); "
                          "write one with `schemadocs plan ... --format json > plan.json`") from None
    for index in [h.statement for h in held] + [w.statement for w in warnings]:
        if not 0 <= index < len(statements):
            raise ConfigError(f"{source}: statement index {index} is out of range; regenerate it with `schemadocs plan`")
    return plan


def _statement_plan(d: dict[str, Any]) -> StatementPlan:
    statement = Statement(d["file"], int(d["line"]), d["sql"], bool(d.get("transactional", True)))
    observation = Observation(
        statement=statement,
        locks=tuple(Lock(lk["relation"], LockMode(lk["mode"])) for lk in d["locks"]),
        rewrites=tuple(d["rewrites"]), scans=tuple(d["scans"]),
        changes=tuple(ChangeNote(c["object"], c["name"], c["action"], c["severity"], c["text"], tuple(c["breaks"]))
                      for c in d["changes"]),
        observed=bool(d["observed"]), note=d.get("note"), lock_timeout_ms=int(d.get("lock_timeout_ms", 0)),
        sizes=tuple(sorted((str(k), int(v)) for k, v in d.get("sizes", {}).items())), error=d.get("error"),
    )
    return StatementPlan(observation, Risk(d["risk"]), float(d["estimate_seconds"]), tuple(d.get("reasons", ())),
                         d.get("advice"))
