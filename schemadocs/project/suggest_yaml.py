"""Candidate relations as YAML to paste into the project file's `relations:` section.

In: `Candidate`s (`suggest.py`) and, after `--check-data`, their `Orphans` (`orphans.py`). Out:
a YAML document whose `relations:` list `relations.load` reads back as is, each entry preceded
by its evidence as a comment (escaped by `escape.yaml_comment`: a hostile name stays one line).
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from schemadocs.model import QualifiedName
from schemadocs.project.orphans import Orphans
from schemadocs.project.suggest import Candidate
from schemadocs.render.escape import yaml_comment


def to_yaml(candidates: Sequence[Candidate], orphans: Sequence[Orphans] | None = None, database: str = "") -> str:
    """The candidates, strongest evidence first within each table, as a `relations:` document."""
    lines = [f"# schemadocs suggest-relations: {yaml_comment(_count(candidates))} in {yaml_comment(database)}.", *HOW]
    if not candidates:
        return "\n".join(lines) + "\nrelations: []\n"
    return "\n".join([*lines, "relations:", *_entries(candidates, orphans)]) + "\n"


def to_yaml_each(found: Sequence[tuple[str, Sequence[Candidate], Sequence[Orphans] | None, str]]) -> str:
    """Several databases' candidates as one `relations:` document (the project file's one list,
    which gives each database the relations between its tables): each database's candidates
    under a comment naming it. `found`: (database name, candidates, orphans, database as named
    by the server)."""
    total = sum(len(candidates) for _, candidates, _, _ in found)
    lines = [f"# schemadocs suggest-relations: {_count(total)} in {len(found)} databases.", *HOW,
             "relations:" if total else "relations: []"]
    for name, candidates, orphans, database in found:
        lines.append(f"  # database {yaml_comment(name)} ({yaml_comment(database)}): {_count(len(candidates))}")
        lines += _entries(candidates, orphans)
    return "\n".join(lines) + "\n"


HOW = ("# Nothing was applied: review each candidate and its evidence, then paste the ones you accept",
       "# under relations: in schemadocs.yml (see README, Virtual relations).")


def _count(candidates: Sequence[Candidate] | int) -> str:
    n = candidates if isinstance(candidates, int) else len(candidates)
    return f"{n} candidate relation{'s' if n != 1 else ''}"


def _entries(candidates: Sequence[Candidate], orphans: Sequence[Orphans] | None) -> list[str]:
    """Each candidate's evidence as a comment, then its entry, indented under `relations:`."""
    lines = []
    for i, c in enumerate(candidates):
        evidence = [*c.evidence, *([orphans[i].evidence()] if orphans is not None else [])]
        lines.append(f"  # {yaml_comment('; '.join(evidence))}")
        entry = {"from": spell(c.source), "columns": list(c.columns), "to": spell(c.target),
                 "to_columns": list(c.to_columns), "note": f"suggested from the column name ({', '.join(c.columns)})"}
        dumped = _dump(entry, allow_unicode=True)
        if yaml.safe_load(dumped) != [entry]:  # a name YAML would fold (U+2028 is a line break to it)
            dumped = _dump(entry, allow_unicode=False)  # every character not ASCII escaped as \uNNNN
        lines += ["  " + line for line in dumped.rstrip("\n").split("\n")]  # not splitlines: U+2028 is no line break here
    return lines


def _dump(entry: dict[str, object], allow_unicode: bool) -> str:
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=allow_unicode, default_flow_style=None, width=1 << 16)


def spell(qname: QualifiedName) -> str:
    """schema.table as `relations:` reads it: a part holding a dot or a quote is double-quoted."""
    def part(name: str, dot_ok: bool) -> str:
        plain = name and name == name.strip() and '"' not in name and (dot_ok or "." not in name)
        return name if plain else '"' + name.replace('"', '""') + '"'
    return f"{part(qname.schema, False)}.{part(qname.name, True)}"
