"""Writes the corrupt-input corpus beside this file: python tests/corrupt/make_corpus.py.

In: nothing. Out: `valid.json` and `hostile_names.json` (snapshots that must load and build)
and one file per way a snapshot goes wrong (each must give `error: ...` with exit 2).
Huge inputs are not stored here: tests/test_corrupt_inputs.py makes them when it runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from schemadocs import snapshot
from schemadocs.model import (Catalog, Column, Constraint, ConstraintKind, ForeignKey, Index, Relation,
                              RelationKind, Schema)

HERE = Path(__file__).parent
HOSTILE = '<script>alert(1)</script> "q" \'s\' `b` {{x}} {%y%} [l](javascript:x) ../.. |a| *e* \\ ; --'


def main() -> None:
    valid = json.loads(snapshot.dumps(catalog("app", "customers", "orders", "id")))
    write("valid.json", valid)
    write("hostile_names.json", json.loads(snapshot.dumps(catalog(HOSTILE, HOSTILE + " t", HOSTILE + "\nv", HOSTILE + " c"))))
    rel = valid["relations"]
    corrupt: dict[str, object] = {
        "not_an_object.json": [valid],
        "no_format_version.json": {k: v for k, v in valid.items() if k != "format_version"},
        "format_version_true.json": {**valid, "format_version": True},
        "format_version_2.json": {**valid, "format_version": 2},
        "format_version_string.json": {**valid, "format_version": "1"},
        "missing_schemas.json": {k: v for k, v in valid.items() if k != "schemas"},
        "missing_columns.json": {**valid, "relations": [{k: v for k, v in rel[0].items() if k != "columns"}, rel[1]]},
        "columns_not_a_list.json": {**valid, "relations": [{**rel[0], "columns": "id"}, rel[1]]},
        "name_is_a_number.json": {**valid, "relations": [{**rel[0], "name": 7}, rel[1]]},
        "kind_unknown.json": {**valid, "relations": [{**rel[0], "kind": "spaceship"}, rel[1]]},
        "unknown_key.json": {**valid, "colour": "blue"},
        "duplicate_relation.json": {**valid, "relations": [rel[0], rel[0], rel[1]]},
        "duplicate_column.json": {**valid, "relations": [{**rel[0], "columns": rel[0]["columns"] * 2}, rel[1]]},
        "relation_without_schema.json": {**valid, "relations": [{**rel[0], "schema": "nowhere"}, rel[1]]},
        "fk_to_missing_column.json": {**valid, "relations": [rel[0], with_fk(rel[1], ref_columns=["nope"])]},
        "fk_column_count.json": {**valid, "relations": [rel[0], with_fk(rel[1], ref_columns=["id", "id"])]},
        "constraint_on_missing_column.json": {**valid, "relations": [with_pk(rel[0], ["ghost"]), rel[1]]},
    }
    for name, data in corrupt.items():
        write(name, data)
    text = (HERE / "valid.json").read_text(encoding="utf-8")
    (HERE / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
    (HERE / "not_utf8.json").write_bytes(text.replace('"app"', '"\xe9"').encode("latin-1"))
    (HERE / "empty.json").write_bytes(b"")


def catalog(schema: str, parent: str, child: str, key: str) -> Catalog:
    """Two tables, the second with a foreign key to the first, and a view."""
    pk = Constraint(name=f"{parent}_pkey", kind=ConstraintKind.PRIMARY_KEY, columns=(key,), definition=f"PRIMARY KEY ({key})")
    fk = ForeignKey(name=f"{child}_fk", kind=ConstraintKind.FOREIGN_KEY, columns=(key,), definition="FOREIGN KEY",
                    ref_schema=schema, ref_name=parent, ref_columns=(key,))
    column = Column(name=key, type="integer", nullable=False, position=1, comment=HOSTILE)
    index = Index(name=f"{parent}_pkey", definition="CREATE UNIQUE INDEX", columns=(key,), unique=True, primary=True)
    return Catalog(database="corpus", server_version="16.0", search_path="public",
                   schemas=(Schema(name=schema, comment=HOSTILE),),
                   relations=tuple(sorted((
                       Relation(schema=schema, name=parent, kind=RelationKind.TABLE, columns=(column,),
                                constraints=(pk,), indexes=(index,), comment=HOSTILE),
                       Relation(schema=schema, name=child, kind=RelationKind.TABLE, columns=(column,),
                                constraints=(fk,), comment=HOSTILE)), key=lambda r: r.name)))


def with_fk(relation: dict, **changes: object) -> dict:
    return {**relation, "constraints": [{**relation["constraints"][0], **changes}]}


def with_pk(relation: dict, columns: list[str]) -> dict:
    return {**relation, "constraints": [{**relation["constraints"][0], "columns": columns}]}


def write(name: str, data: object) -> None:
    (HERE / name).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
