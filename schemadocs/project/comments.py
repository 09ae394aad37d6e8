"""Write-back between the project file's descriptions and the database's comments.

`comment_sql(annotated)`: in, the catalog annotated with the project file; out, a reviewable
migration of `COMMENT ON` statements storing the file's descriptions that are not already the
database's comments (names quoted with the model's `quote_ident`, text as SQL literals).
Descriptions the database's own comment wins over are listed as skipped, not written.
`imported_yaml(catalog)`: in, a catalog; out, a project file (YAML) holding its comments as
descriptions, to start a project from an existing database. Running the first on a database
without comments and importing that database gives the file back.
"""

from __future__ import annotations

from typing import Any

import yaml

from schemadocs.model import Catalog, Domain, QualifiedName, RelationKind, Routine, quote_ident
from schemadocs.project.overlay import FILE, Annotated, ObjectKey
from schemadocs.project.spec import Kind
from schemadocs.render.escape import sql_comment, sql_literal

_RELATION_KEYWORD = {RelationKind.VIEW: "VIEW", RelationKind.MATERIALIZED_VIEW: "MATERIALIZED VIEW",
                     RelationKind.FOREIGN_TABLE: "FOREIGN TABLE"}


def comment_sql(annotated: Annotated) -> str:
    """`COMMENT ON` statements for the file's descriptions, in catalog order."""
    catalog = annotated.catalog
    statements: list[str] = []
    skipped: list[str] = []
    for key, target, current in _commentable(catalog):
        description = annotated.descriptions.get(key)
        if description is None:
            continue
        if description.shadowed:
            skipped.append(f"-- skipped {sql_comment(_name(key))}: the database's comment wins "
                           "(add `override: true` to the file's entry to replace it)")
        if description.source == FILE and description.text != current:
            statements.append(f"COMMENT ON {target} IS {sql_literal(description.text)};")
    head = [f"-- COMMENT ON statements for the descriptions of {sql_comment(annotated.project.source)} "
            f"(database {sql_comment(catalog.database)}), by `schemadocs comments --sql`.",
            f"-- {len(statements)} statement{'s' if len(statements) != 1 else ''}; review, then run as a migration."]
    return "\n".join([*head, *skipped, *statements]) + "\n"


def imported_yaml(catalog: Catalog) -> str:
    """The catalog's comments as a project file: schemas, tables, columns, functions, types."""
    schemas: dict[str, dict[str, Any]] = {}

    def at(schema: str) -> dict[str, Any]:
        return schemas.setdefault(schema, {})

    for s in catalog.schemas:
        if s.comment:
            at(s.name)["description"] = s.comment
    for rel in catalog.relations:
        entry: dict[str, Any] = {"description": rel.comment} if rel.comment else {}
        columns = {c.name: {"description": c.comment} for c in rel.columns if c.comment}
        if columns:
            entry["columns"] = columns
        if entry:
            at(rel.schema).setdefault("tables", {})[rel.name] = entry
    for routine in catalog.routines:
        if routine.comment:
            many = len(catalog.routines_named(QualifiedName(routine.schema, routine.name))) > 1
            name = f"{routine.name}({routine.arguments})" if many else routine.name
            at(routine.schema).setdefault("functions", {})[name] = {"description": routine.comment}
    for t in sorted((*catalog.enums, *catalog.domains, *catalog.composite_types), key=lambda t: (t.schema, t.name)):
        if t.comment:
            at(t.schema).setdefault("types", {})[t.name] = {"description": t.comment}
    ordered = {name: _ordered(schemas[name]) for name in sorted(schemas)}
    head = "# Descriptions imported from the database's comments by `schemadocs comments --import`.\n"
    body = yaml.dump({"schemas": ordered}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100) if ordered else "schemas: {}\n"
    return head + body


def _ordered(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: schema[k] for k in ("description", "tables", "functions", "types") if k in schema}


def _commentable(catalog: Catalog) -> list[tuple[ObjectKey, str, str | None]]:
    """Every object a description may be stored on: its key, its `COMMENT ON` target and its comment."""
    found: list[tuple[ObjectKey, str, str | None]] = [
        (("schema", s.name), f"SCHEMA {quote_ident(s.name)}", s.comment) for s in catalog.schemas]
    for rel in catalog.relations:
        name = f"{quote_ident(rel.schema)}.{quote_ident(rel.name)}"
        found.append((("relation", rel.schema, rel.name), f"{_RELATION_KEYWORD.get(rel.kind, 'TABLE')} {name}",
                      rel.comment))
        found += [(("column", rel.schema, rel.name, c.name), f"COLUMN {name}.{quote_ident(c.name)}", c.comment)
                  for c in rel.columns]
    found += [(("routine", r.schema, r.name, r.arguments), _routine_target(r), r.comment) for r in catalog.routines]
    for t in (*catalog.enums, *catalog.domains, *catalog.composite_types):
        keyword = "DOMAIN" if isinstance(t, Domain) else "TYPE"
        found.append((("type", t.schema, t.name), f"{keyword} {quote_ident(t.schema)}.{quote_ident(t.name)}",
                      t.comment))
    return found


def _routine_target(routine: Routine) -> str:
    return f"{routine.keyword} {quote_ident(routine.schema)}.{quote_ident(routine.name)}({routine.arguments})"


def _name(key: ObjectKey) -> str:
    kind = "table" if key[0] == Kind.RELATION.value else key[0]
    if key[0] == "routine":
        return f"{kind} {key[1]}.{key[2]}({key[3]})"
    return f"{kind} {'.'.join(key[1:])}"


class _Dumper(yaml.SafeDumper):
    """Multi-line descriptions as literal blocks (`|`), where YAML allows it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)
