"""The static JSON API of a built site: one small file per object, and an index.

In: `Sources` (the catalog, its graphs, the build's health report). Out: site-root-relative
path → JSON text: `api/index.json` (every object: kind, name, the links of its JSON file
and its HTML page, and the health summary) and `api/relations/<schema>/<name>.json`,
`api/routines/...`, `api/types/...` (`objects.py` makes each object's data, `paths.py`
names the files), and `api/health/<rule>.json`: every finding of one rule, which its Health
page links (a rule page lists the first few thousand). The build puts them into the site beside `catalog.json`, so a tool fetches
one table without downloading the whole snapshot; `api.schema.json` documents both shapes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from schemadocs.api.objects import API_VERSION, Data, Sources, finding, relation_data, routine_data, type_data
from schemadocs.api.paths import INDEX, ObjectKind, health_rule_path, object_links
from schemadocs.checks.finding import Finding
from schemadocs.checks.registry import all_rules
from schemadocs.model import QualifiedName
from schemadocs.render.slugs import health_rule_page


def api_files(src: Sources) -> dict[str, str]:
    """Every file of `api/`, by its path in the site."""
    files: dict[str, str] = {}
    entries: list[Data] = []
    for rel in src.catalog.relations:
        data = relation_data(src, rel)
        files[data["links"]["api"]] = dumps(data)
        entries.append(_entry(data, relation_kind=rel.kind.value))
    for qname in sorted(src.routine_names):
        data = routine_data(src, qname)
        files[data["links"]["api"]] = dumps(data)
        entries.append(_entry(data))
    for t in src.types.values():
        data = type_data(src, t)
        files[data["links"]["api"]] = dumps(data)
        entries.append(_entry(data, type_kind=data["type_kind"]))
    by_rule: dict[str, list[Finding]] = {}
    for f in src.report.findings if src.report is not None else ():
        by_rule.setdefault(f.rule, []).append(f)
    files.update({health_rule_path(rule): dumps(health_rule_data(rule, found)) for rule, found in sorted(by_rule.items())})
    files[INDEX] = dumps(index_data(src, entries, sorted(by_rule)))
    return files


def health_rule_data(rule_id: str, findings: list[Finding]) -> Data:
    """`api/health/<rule>.json`: one rule, its page, and all its findings in the report's order."""
    rule = all_rules()[rule_id]
    return {"api_version": API_VERSION, "kind": "health_rule", "rule": rule.id, "level": rule.level.value,
            "category": rule.category.value, "title": rule.title,
            "html": health_rule_page(rule.id).removesuffix(".md") + ".html", "findings": [finding(f) for f in findings]}


def index_data(src: Sources, entries: list[Data], rules: Sequence[str] = ()) -> Data:
    """`api/index.json`: the database, every object, and (after the health checks) the counts of
    findings by level and the file of each rule that has findings."""
    catalog = src.catalog
    data: Data = {"api_version": API_VERSION, "database": catalog.database, "server_version": catalog.server_version,
                  "schemas": [s.name for s in catalog.schemas], "objects": entries}
    if src.report is not None:
        levels = Counter(f.level.value for f in src.report.findings)
        data["health"] = {level: levels.get(level, 0) for level in ("error", "warning", "info")}
        data["health_rules"] = {rule: health_rule_path(rule) for rule in rules}
    return data


def dumps(data: Data) -> str:
    """One API file's text: compact UTF-8 JSON, keys in the order the shape gives them, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _entry(data: Data, **extra: str) -> Data:
    return {"kind": data["kind"], "schema": data["schema"], "name": data["name"],
            "qualified_name": data["qualified_name"], **extra,
            "links": object_links(ObjectKind(data["kind"]), QualifiedName(data["schema"], data["name"]))}
