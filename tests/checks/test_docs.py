"""Documentation rules on model objects: relations, columns and routines without a comment."""

from __future__ import annotations

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.model import Column, QualifiedName, RelationKind, Routine, Schema
from tests.checks.helpers import catalog, found, table

COLS = (Column(name="id", type="integer", nullable=False, comment="the key"),
        Column(name="note", type="text", nullable=True), Column(name="blank", type="text", nullable=True, comment=" "))


def test_relations_and_columns_without_comments_skip_partitions() -> None:
    cat = catalog(relations=(
        table("documented", comment="rows of x", columns=COLS[:1]),
        table("parted", kind=RelationKind.PARTITIONED_TABLE, comment="  ", columns=COLS),
        table("parted_1", partition_of=QualifiedName("s", "parted"), columns=COLS),
        table("v", kind=RelationKind.VIEW, columns=COLS[:1]),
    ))
    assert found(cat, "relation-without-comment") == [("s.parted", "info"), ("s.v", "info")]
    assert found(cat, "column-without-comment") == [("s.parted", "info")]
    (finding,) = lint(cat, Settings(rules=("column-without-comment",))).findings
    assert finding.message == "2 of 3 columns of s.parted have no comment: note, blank"


def test_schemas_without_comment() -> None:
    cat = catalog(schemas=(Schema(name="public", comment="standard public schema"), Schema(name="Raw"),
                           Schema(name="blank", comment=" ")))
    assert found(cat, "schema-without-comment") == [('"Raw"', "info"), ("blank", "info")]


def test_routines_without_comment() -> None:
    def routine(name: str, comment: str | None) -> Routine:
        return Routine(schema="s", name=name, arguments="a integer", kind="function", returns="int",
                       language="sql", comment=comment)
    cat = catalog(routines=(routine("f", None), routine("g", "does g")))
    assert found(cat, "routine-without-comment") == [("s.f(integer)", "info")]  # argument types alone
