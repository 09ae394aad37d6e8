"""A catalog's tables as a Mermaid `erDiagram`: entities with their columns and keys, and a
relationship per foreign key.

In: a `Catalog`. Out: Mermaid text. The spelling scheme: an entity's id is
`escape.mermaid_id` of its quote_ident-qualified name (`app.orders` → `app_orders_<hash>`,
unique), shown under its exact name through an alias (`id["app.orders"]`, the label escaped
with `escape.mermaid_text`); an attribute's name is its column name when that is a Mermaid
token, else `mermaid_id` of it, and the exact name then starts the attribute's comment; a
type keeps letters, digits, `_`, `-`, `()` and `[]`. Views are left out.
"""

from __future__ import annotations

from schemadocs.export.tables import column_keys, foreign_keys, single_column_unique, tables
from schemadocs.model import Catalog, Column, ForeignKey, Relation
from schemadocs.render.escape import mermaid_id, mermaid_text


def to_mermaid(catalog: Catalog) -> str:
    """Every table as an entity, every foreign key between them as a relationship."""
    shown = tables(catalog)
    lines = ["erDiagram"]
    for rel in shown:
        keys = column_keys(rel)
        lines.append(f'    {entity(rel)}["{mermaid_text(str(rel.qname))}"] {{')
        lines += [f"        {_attribute(col, keys.get(col.name, ()))}" for col in rel.columns]
        lines.append("    }")
    for rel, fk in foreign_keys(catalog, shown):
        lines.append(f"    {_relationship(catalog, rel, fk)}")
    return "\n".join(lines) + "\n"


def entity(rel: Relation) -> str:
    """The entity id of a relation."""
    return mermaid_id(str(rel.qname))


def _attribute(col: Column, keys: tuple[str, ...]) -> str:
    name = mermaid_id(col.name)
    notes = [col.name] if name != col.name else []
    if not col.nullable:
        notes.append("not null")
    if col.comment:
        notes.append(col.comment)
    parts = [mermaid_id(col.type.replace(" ", "_"), extra="()[]-"), name]
    if keys:
        parts.append(", ".join(keys))
    if notes:
        parts.append(f'"{mermaid_text("; ".join(notes))}"')
    return " ".join(parts)


def _relationship(catalog: Catalog, rel: Relation, fk: ForeignKey) -> str:
    """child }o--|| parent: the child side many (one when its key columns are unique), the
    parent side exactly one when every key column is NOT NULL, else zero or one."""
    nullable = {c.name for c in rel.columns if c.nullable}
    child = "|o" if len(fk.columns) == 1 and fk.columns[0] in single_column_unique(rel) else "}o"
    parent = "o|" if any(c in nullable for c in fk.columns) else "||"
    target = catalog.by_name[fk.target]
    return f'{entity(rel)} {child}--{parent} {entity(target)} : "{mermaid_text(fk.name)}"'
