"""A diff for machines: one JSON document with a fixed, documented shape.

In: a `Diff`. Out: JSON text (indent 2, keys in this order, UTF-8, trailing newline):

    {
      "format": "schemadocs-diff",
      "version": 1,
      "old": "prod.json",                  # what was compared: file path, redacted DSN or database name
      "new": "host=... dbname=app",
      "summary": {"breaking": 1, "safe": 2, "total": 3},
      "changes": [                         # sorted by path, object, action, field (deterministic)
        {
          "object": "column",              # schema, table, partitioned table, view, materialized view,
                                           # foreign table, column, constraint, index, trigger, policy,
                                           # grant, function, procedure, aggregate, window, enum,
                                           # domain, composite type, sequence, extension
          "name": "app.page_views.user_id",     # display name, quoted as PostgreSQL quotes identifiers
          "path": ["app", "page_views", "user_id"],  # the same name as plain parts
          "action": "removed",             # added | removed | renamed | changed
          "field": null,                   # for "changed": type, nullable, default, definition, label, ...
                                           # for "renamed": "name"
          "old": null, "new": null,        # values (or old/new names) as text; null where absent
          "severity": "breaking",          # breaking | safe
          "reason": "column dropped: queries that use it fail, and its data is gone",
          "impact": [{"schema": "analytics", "name": "daily_traffic"}],  # views that break
          "relation": {"schema": "app", "name": "page_views"}            # or null
        }
      ]
    }
"""

from __future__ import annotations

import json
from typing import Any

from schemadocs.diff.change import Diff
from schemadocs.snapshot import to_plain

FORMAT = "schemadocs-diff"
VERSION = 1


def render_json(diff: Diff) -> str:
    return json.dumps(to_json(diff), indent=2, ensure_ascii=False) + "\n"


def to_json(diff: Diff) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": diff.old,
        "new": diff.new,
        "summary": {"breaking": len(diff.breaking), "safe": len(diff.safe), "total": len(diff.changes)},
        "changes": [to_plain(c) for c in diff.changes],
    }
