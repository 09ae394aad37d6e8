"""A catalog's tables as a PlantUML entity-relationship diagram (Information Engineering
notation): an `entity` per table with its columns, the key columns above the `--` line,
and a relationship per foreign key.

In: a `Catalog`. Out: PlantUML text between `@startuml` and `@enduml`. Every name, type and
label goes through `escape.plantuml_text` (PlantUML and Creole punctuation as `&#NN;`), an
entity is named `"schema.name"` with an alias `e<n>` (its position), and every member line
starts with `{field}`, so no name can end the body, start a separator or a comment, or
fake a stereotype. Views are left out.
"""

from __future__ import annotations

from schemadocs.export.tables import column_keys, foreign_keys, single_column_unique, tables
from schemadocs.model import Catalog, Column, Relation
from schemadocs.render.escape import plantuml_text


def to_plantuml(catalog: Catalog) -> str:
    """Every table as an entity, every foreign key between them as a relationship."""
    shown = tables(catalog)
    alias = {rel.qname: f"e{i}" for i, rel in enumerate(shown, 1)}
    lines = ["@startuml", "hide circle", "skinparam linetype ortho", ""]
    for rel in shown:
        lines += _entity(rel, alias[rel.qname])
    for rel, fk in foreign_keys(catalog, shown):
        nullable = any(c.nullable for c in rel.columns if c.name in fk.columns)
        child = "|o" if len(fk.columns) == 1 and fk.columns[0] in single_column_unique(rel) else "}o"
        parent = "o|" if nullable else "||"
        lines.append(f"{alias[rel.qname]} {child}--{parent} {alias[fk.target]} : {plantuml_text(fk.name)}")
    return "\n".join(lines + ["@enduml"]) + "\n"


def _entity(rel: Relation, alias: str) -> list[str]:
    keys = column_keys(rel)
    key_cols = [c for c in rel.columns if "PK" in keys.get(c.name, ())]
    others = [c for c in rel.columns if c not in key_cols]
    lines = [f'entity "{plantuml_text(rel.schema)}.{plantuml_text(rel.name)}" as {alias} {{']
    lines += [_member(c, keys.get(c.name, ())) for c in key_cols]
    lines.append("  --")
    lines += [_member(c, keys.get(c.name, ())) for c in others]
    if rel.comment:
        lines += ["  ..", f"  {{field}} {plantuml_text(rel.comment)}"]
    return lines + ["}", ""]


def _member(col: Column, keys: tuple[str, ...]) -> str:
    mandatory = "* " if not col.nullable else ""
    stereotypes = "".join(f" <<{k}>>" for k in keys)
    comment = f" -- {plantuml_text(col.comment)}" if col.comment else ""
    return f"  {{field}} {mandatory}{plantuml_text(col.name)} : {plantuml_text(col.type)}{stereotypes}{comment}"
