"""Each MCP answer as compact Markdown, for the agent to read.

In: the data a `queries.py` function or `sql_context` returned. Out: short Markdown: names
and types as code spans (`escape.markdown_code`), comments and messages as escaped inline
text (`escape.markdown_heading`), trees and SQL in fenced blocks (`escape.markdown_fence`),
so no hostile name or comment can add a heading, a link, HTML or break out of a table.
"""

from __future__ import annotations

from typing import Any

from schemadocs.api.objects import Data
from schemadocs.render.escape import markdown_code, markdown_fence, markdown_heading


def describe_md(d: Data) -> str:
    """A relation, a routine name or a type."""
    if d["kind"] == "routine":
        return _routine(d)
    if d["kind"] == "type":
        return _type(d)
    lines = [f"## {d['relation_kind'].replace('_', ' ')} {code(d['qualified_name'])}", ""]
    if d["comment"]:
        lines += [text(d["comment"]), ""]
    facts = [f"owner {code(d['owner'])}" if d["owner"] else ""]
    stats = d["stats"] or {}
    if "estimated_rows" in stats:
        facts.append(f"~{stats['estimated_rows']} rows")
    if "total_size" in stats:
        facts.append(f"{stats['total_size']} bytes")
    if d["partition_of"]:
        facts.append(f"partition of {code(_q(d['partition_of']))}")
    if any(facts):
        lines += ["; ".join(f for f in facts if f), ""]
    lines += ["| column | type | null | default | key | comment |", "|---|---|---|---|---|---|"]
    for c in d["columns"]:
        key = " ".join(k for k, on in (("PK", c["primary_key"]), ("FK", c["foreign_key"])) if on)
        lines.append(f"| {code(c['name'])} | {code(c['type'])} | {'yes' if c['nullable'] else 'no'} | "
                     f"{code(c['default']) if c['default'] else ''} | {key} | {text(c['comment'] or '')} |")
    if d["foreign_keys"]:
        lines += ["", "**Foreign keys**"] + [f"- {_fk(fk)}" for fk in d["foreign_keys"]]
    if d["referenced_by"]:
        lines += ["", "**Referenced by**"] + [f"- {code(_q(fk['from']))} {_fk(fk)}" for fk in d["referenced_by"]]
    if d["indexes"]:
        lines += ["", "**Indexes**"] + [f"- {code(i['definition'])}" for i in d["indexes"]]
    checks = [c for c in d["constraints"] if c["kind"] in ("check", "exclusion", "unique")]
    if checks:
        lines += ["", "**Constraints**"] + [f"- {code(c['name'])}: {code(c['definition'])}" for c in checks]
    reads = d["lineage"]["reads"]
    if reads:
        lines += ["", "**Reads** " + ", ".join(code(_q(r)) for r in reads)]
    if d["dependents"]["views"]:
        lines += ["", "**Read by** " + ", ".join(code(_q(v)) for v in d["dependents"]["views"])]
    if d.get("health"):
        lines += ["", "**Health**"] + [f"- {f['level']} {code(f['rule'])}: {text(f['message'])}" for f in d["health"]]
    return "\n".join(lines) + "\n"


def search_md(d: Data) -> str:
    if not d["results"]:
        return f"No object matches {code(d['query'])}.\n"
    lines = [f"{d['total']} objects match {code(d['query'])}" + (f"; the first {len(d['results'])}:" if d["left_out"] else ":"), ""]
    for r in d["results"]:
        kind = r.get("relation_kind", r["kind"]).replace("_", " ")
        comment = f": {text(r['comment'])}" if r["comment"] else ""
        lines.append(f"- {kind} {code(r['qualified_name'])} ({text(', '.join(r['matched']))}){comment}")
    return "\n".join(lines) + "\n"


def relationships_md(d: Data) -> str:
    lines = [f"## Relationships of {code(d['relation'])}"]
    for title, key in (("Outgoing (this table references)", "outgoing"), ("Incoming (referencing this table)", "incoming"),
                       (f"Further, up to {d['depth']} hops", "further")):
        if d[key]:
            lines += ["", f"**{title}**"] + [f"- {_edge(e)}" for e in d[key]]
    if len(lines) == 1:
        lines += ["", "No foreign keys in or out."]
    return "\n".join(lines) + "\n"


def lineage_md(d: Data) -> str:
    fence = markdown_fence(d["text"])
    lines = [f"## {d['direction'].capitalize()} lineage of {code(d['name'])}", "", fence, d["text"].rstrip("\n"), fence]
    lines += ["", "**By value**: " + (", ".join(code(n) for n in d["value"]) or "nothing")]
    what = "Filtered by (rows chosen, no value)" if d["direction"] == "upstream" else "Used as a filter by"
    lines += [f"**{what}**: " + (", ".join(code(n) for n in d["filter"]) or "nothing")]
    if d["cut_by_depth"]:
        lines += [f"{d['cut_by_depth']} more beyond depth {d['depth']}."]
    return "\n".join(lines) + "\n"


def impact_md(d: Data) -> str:
    lines = [f"## Changing {d['kind']} {code(d['name'])} affects"]
    labels = {"views_direct": "Views that depend on it directly", "views_transitive": "Views that depend on those",
              "value_downstream": "View columns computed from it", "filter_downstream": "Views filtering on it",
              "foreign_keys_referencing": "Foreign keys referencing it", "foreign_keys_on": "Its foreign keys",
              "indexes": "Indexes", "constraints": "Constraints", "routines_reading": "Routines reading the table",
              "routines_writing": "Routines writing the table", "trigger_functions": "Trigger functions on the table"}
    for key, label in labels.items():
        if d.get(key):
            lines.append(f"- {label}: " + ", ".join(code(x) for x in d[key]))
    if len(lines) == 1:
        lines.append("- nothing that the catalog records")
    return "\n".join(lines + ["", text(d["note"])]) + "\n"


def health_md(d: Data) -> str:
    if "name" in d:
        head = f"## Health of {code(d['name'])}: {len(d['findings']) + d['left_out']} findings"
    else:
        levels = ", ".join(f"{n} {level}" for level, n in d["by_level"].items()) or "none"
        head = f"## Health: {d['total']} findings ({levels}) from {d['rules_run']} rules"
        if d["by_rule"]:
            head += "\n\nBy rule: " + ", ".join(f"{code(r)} {n}" for r, n in d["by_rule"].items())
    lines = [head, ""] + [f"- {f['level']} {code(f['rule'])} on {code(f['object'])}: {text(f['message'])}"
                          + (f" Fix: {code(f['fix'])}" if f["fix"] else "") for f in d["findings"]]
    if d["left_out"]:
        lines.append(f"- … {d['left_out']} more findings left out")
    return "\n".join(lines) + "\n"


def sql_context_md(d: Data) -> str:
    fence = markdown_fence(d["sql"])
    lines = [f"{fence}sql", d["sql"].rstrip("\n"), fence]
    if d["not_joined"]:
        lines.append("No foreign-key path reaches " + ", ".join(code(q) for q in d["not_joined"]) + ".")
    if d["left_out"]:
        lines.append("Left out to fit the budget: " + text(", ".join(d["left_out"])) + ".")
    return "\n".join(lines) + "\n"


def code(value: Any) -> str:
    return markdown_code(str(value))


def text(value: str) -> str:
    return str(markdown_heading(value))


def _q(ref: Data) -> str:
    from schemadocs.model import QualifiedName

    return str(QualifiedName(ref["schema"], ref["name"]))


def _fk(fk: Data) -> str:
    virtual = " (virtual)" if fk["virtual"] else ""
    return (f"({', '.join(code(c) for c in fk['columns'])}) → {code(_q(fk['references']))} "
            f"({', '.join(code(c) for c in fk['references']['columns'])}){virtual}")


def _edge(e: Data) -> str:
    if e["kind"] == "inherits":
        return f"{code(e['from']['qualified_name'])} inherits {code(e['to']['qualified_name'])}"
    virtual = " (virtual)" if e["virtual"] else ""
    return (f"{code(e['from']['qualified_name'])} ({', '.join(code(c) for c in e['from']['columns'])}) → "
            f"{code(e['to']['qualified_name'])} ({', '.join(code(c) for c in e['to']['columns'])}) via {code(e['constraint'])}{virtual}")


def _routine(d: Data) -> str:
    lines = [f"## routine {code(d['qualified_name'])}"]
    for o in d["overloads"]:
        lines += ["", f"### {code(o['signature'])}", f"{o['routine_kind']} returning {code(o['returns'] or 'nothing')}, "
                  f"{o['language']}, {o['volatility']}" + (", SECURITY DEFINER" if o["security_definer"] else "")]
        if o["comment"]:
            lines.append(text(o["comment"]))
        for label, key in (("Reads", "reads"), ("Writes", "writes")):
            if o[key]:
                lines.append(f"{label}: " + ", ".join(code(_q(r)) for r in o[key]))
        if o["triggers"]:
            lines.append("Called by triggers: " + ", ".join(code(f"{_q(t)}: {t['trigger']}") for t in o["triggers"]))
    if d.get("health"):
        lines += ["", "**Health**"] + [f"- {f['level']} {code(f['rule'])}: {text(f['message'])}" for f in d["health"]]
    return "\n".join(lines) + "\n"


def _type(d: Data) -> str:
    lines = [f"## {d['type_kind']} {code(d['qualified_name'])}"]
    if d["comment"]:
        lines.append(text(d["comment"]))
    if d["type_kind"] == "enum":
        lines.append("Labels: " + ", ".join(code(label) for label in d["labels"]))
    elif d["type_kind"] == "domain":
        lines.append(f"Base type {code(d['base_type'])}" + ("" if d["nullable"] else ", NOT NULL")
                     + (f", default {code(d['default'])}" if d["default"] else ""))
        lines += [f"- {code(c['name'])}: {code(c['definition'])}" for c in d["checks"]]
    else:
        lines += [f"- {code(a['name'])} {code(a['type'])}" for a in d["attributes"]]
    if d["used_by_columns"]:
        lines.append("Used by columns: " + ", ".join(code(f"{_q(c)}.{c['column']}") for c in d["used_by_columns"]))
    return "\n".join(lines) + "\n"
