"""A catalog as a CSV data dictionary for spreadsheets: one row per column of every table
and view.

In: a `Catalog`. Out: CSV text (RFC 4180 quoting by the csv module, `\\r\\n` line ends, a
header row): schema, table, kind, column, type, nullable, default, key (`PK`, `FK`, `UK`,
joined by `,`), references (`schema.table.column` of each foreign key, joined by `, `),
comment. Every cell goes through `escape.csv_cell`, so a cell a spreadsheet would read as a
formula (starting with `=`, `+`, `-`, `@`, a tab or a CR) starts with `'` and stays text.
"""

from __future__ import annotations

import csv
import io

from schemadocs.export.tables import column_keys, relations
from schemadocs.model import Catalog, ColumnRef, Relation
from schemadocs.render.escape import csv_cell

HEADER = ("schema", "table", "kind", "column", "type", "nullable", "default", "key", "references", "comment")


def to_csv(catalog: Catalog) -> str:
    """The data dictionary: a header, then each relation's columns in order."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for rel in relations(catalog):
        writer.writerows([csv_cell(cell) for cell in row] for row in _rows(rel))
    return out.getvalue()


def _rows(rel: Relation) -> list[tuple[str, ...]]:
    keys = column_keys(rel)
    references: dict[str, list[str]] = {}
    for fk in rel.declared_foreign_keys:
        for col, ref in zip(fk.columns, fk.ref_columns):
            references.setdefault(col, []).append(str(ColumnRef(fk.ref_schema, fk.ref_name, ref)))
    return [(rel.schema, rel.name, rel.kind.label, col.name, col.type, "yes" if col.nullable else "no",
             col.default or "", ",".join(keys.get(col.name, ())), ", ".join(references.get(col.name, ())),
             col.comment or "") for col in rel.columns]
