"""A catalog as DBML (dbdiagram.io, dbdocs): enums, tables with their columns, keys,
defaults and notes, indexes, and foreign keys as refs.

In: a `Catalog`. Out: DBML text. Names are quoted with `escape.dbml_name`, notes are strings
from `escape.dbml_string`; a default is a backtick expression unless it holds a backtick,
which no DBML expression can, and then it goes into the column's note. Views are not
tables in DBML and are left out. Tested by parsing the output back with pydbml.
"""

from __future__ import annotations

from schemadocs.export.tables import foreign_keys, single_column_unique, tables
from schemadocs.model import Catalog, EnumType, ForeignKey, Index, QualifiedName, Relation
from schemadocs.render.escape import dbml_name, dbml_string

_ACTIONS = {"CASCADE": "cascade", "RESTRICT": "restrict", "SET NULL": "set null", "SET DEFAULT": "set default",
            "NO ACTION": "no action"}


def to_dbml(catalog: Catalog) -> str:
    """The whole catalog's tables, enums and references as one DBML document."""
    shown = tables(catalog)
    parts = [f"Project {dbml_name(catalog.database)} {{\n  database_type: 'PostgreSQL'\n"
             f"  Note: {dbml_string(f'PostgreSQL {catalog.server_version}, exported by schemadocs')}\n}}"]
    parts += [_enum(e) for e in catalog.enums]
    parts += [_table(catalog, rel) for rel in shown]
    parts += [_ref(rel, fk) for rel, fk in foreign_keys(catalog, shown)]
    return "\n\n".join(parts) + "\n"


def _qualified(qname: QualifiedName) -> str:
    return f"{dbml_name(qname.schema)}.{dbml_name(qname.name)}"


def _enum(enum: EnumType) -> str:
    lines = [f"// enum comment: {dbml_string(enum.comment)}"] if enum.comment else []  # DBML enums have no note
    lines.append(f"Enum {_qualified(enum.qname)} {{")
    lines += [f"  {dbml_name(label)}" for label in enum.labels]
    return "\n".join(lines + ["}"])


def _type(catalog: Catalog, spelled: str) -> str:
    """A column's type: the enum's DBML name when it is one of the catalog's enums, else the
    type as PostgreSQL spells it with quote_ident's quotes taken out. DBML parsers read a dot
    in a type as schema and name, so a type holding more than one (a dot inside a quoted name)
    has them all written `_`."""
    own = catalog.user_type(spelled)
    if (own is not None and not spelled.endswith("[]") and "." not in own.schema + own.name
            and any(e.qname == own for e in catalog.enums)):
        return _qualified(own)
    text = spelled.replace('"', "")
    return dbml_name(text.replace(".", "_") if text.count(".") > 1 else text)


def _table(catalog: Catalog, rel: Relation) -> str:
    pk = rel.primary_key
    single_pk = pk.columns[0] if pk is not None and len(pk.columns) == 1 else None
    unique = single_column_unique(rel)
    lines = [f"Table {_qualified(rel.qname)} {{"]
    for col in rel.columns:
        settings, notes = [], []
        if col.name == single_pk:
            settings.append("pk")
        elif not col.nullable:
            settings.append("not null")
        if col.name in unique and col.name != single_pk:
            settings.append("unique")
        if col.identity or (col.default or "").startswith("nextval("):
            settings.append("increment")
        if col.default is not None:
            if "`" in col.default:
                notes.append(f"default: {col.default}")
            else:
                settings.append(f"default: `{' '.join(col.default.split())}`")
        if col.generated:
            notes.append(f"generated always as ({col.generated}) stored")
        if notes or col.comment:
            settings.append("note: " + dbml_string("\n".join([*notes, col.comment or ""]).strip()))
        suffix = f" [{', '.join(settings)}]" if settings else ""
        lines.append(f"  {dbml_name(col.name)} {_type(catalog, col.type)}{suffix}")
    indexes = _indexes(rel, single_pk)
    if indexes:
        lines += ["", "  indexes {", *indexes, "  }"]
    note = "\n".join(filter(None, [rel.kind.label if rel.kind.value != "table" else "", rel.comment or ""]))
    if note:
        lines += ["", f"  Note: {dbml_string(note)}"]
    return "\n".join(lines + ["}"])


def _indexes(rel: Relation, single_pk: str | None) -> list[str]:
    names = {c.name for c in rel.columns}
    found = []
    pk = rel.primary_key
    if pk is not None and single_pk is None and pk.columns:
        found.append(f"    ({', '.join(dbml_name(c) for c in pk.columns)}) [pk]")
    for index in rel.indexes:
        if index.primary or not index.columns:
            continue
        found.append(f"    {_index_subject(index, names)} [{', '.join(_index_settings(index))}]")
    return found


def _index_subject(index: Index, names: set[str]) -> str:
    items = [dbml_name(c) if c in names or "`" in c else f"`{' '.join(c.split())}`" for c in index.columns]
    return items[0] if len(items) == 1 else f"({', '.join(items)})"


def _index_settings(index: Index) -> list[str]:
    settings = [f"name: {dbml_name(index.name)}"]
    if index.unique:
        settings.append("unique")
    if index.method in ("btree", "hash"):
        settings.append(f"type: {index.method}")
    note = "\n".join(filter(None, [f"WHERE {index.predicate}" if index.predicate else "", index.comment or ""]))
    if note:
        settings.append(f"note: {dbml_string(note)}")
    return settings


def _ref(rel: Relation, fk: ForeignKey) -> str:
    def side(qname: QualifiedName, columns: tuple[str, ...]) -> str:
        if len(columns) == 1:
            return f"{_qualified(qname)}.{dbml_name(columns[0])}"
        return f"{_qualified(qname)}.({', '.join(dbml_name(c) for c in columns)})"

    one_to_one = len(fk.columns) == 1 and fk.columns[0] in single_column_unique(rel)
    arrow = "-" if one_to_one else ">"
    settings = [f"delete: {_ACTIONS.get(fk.on_delete, 'no action')}", f"update: {_ACTIONS.get(fk.on_update, 'no action')}"]
    return (f"Ref {dbml_name(fk.name)}: {side(rel.qname, fk.columns)} {arrow} {side(fk.target, fk.ref_columns)}"
            f" [{', '.join(settings)}]")
