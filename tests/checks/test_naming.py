"""Naming rules on model objects: names that need quoting, names at the 63-byte limit."""

from __future__ import annotations

from schemadocs.model import Column, Constraint, ConstraintKind, Index, Routine, Schema
from tests.checks.helpers import catalog, found, table


def test_names_that_need_quoting_are_reported_and_plain_ones_and_ddl_only_names_are_not() -> None:
    cat = catalog(
        schemas=(Schema(name="s"), Schema(name="Sales")),
        relations=(table("Orders", columns=(Column(name="order", type="int", nullable=False),
                                            Column(name="name", type="text", nullable=True),
                                            Column(name="first name", type="text", nullable=True),
                                            Column(name="café", type="text", nullable=True),
                                            Column(name="price$", type="text", nullable=True),
                                            Column(name="Café", type="text", nullable=True),
                                            Column(name="1st", type="text", nullable=True),
                                            Column(name="timestamp", type="text", nullable=True),
                                            Column(name="left", type="text", nullable=True)),
                         indexes=(Index(name="Orders_idx", definition="..."),),
                         constraints=(Constraint(name="Orders_pkey", kind=ConstraintKind.PRIMARY_KEY),)),
                   table("plain_1")),
        routines=(Routine(schema="s", name="DoIt", arguments="integer", kind="function", returns="int",
                          language="sql"),
                  Routine(schema="s", name="left", arguments="", kind="function", returns="int", language="sql"),
                  Routine(schema="s", name="values", arguments="", kind="function", returns="int", language="sql")))
    assert sorted(found(cat, "name-needs-quoting")) == sorted([
        ('"Sales"', "warning"), ('s."DoIt"(integer)', "warning"), ('s."Orders"', "warning"),
        ('s."Orders"."1st"', "warning"), ('s."Orders"."Café"', "warning"), ('s."Orders"."left"', "warning"),
        ('s."Orders"."first name"', "warning"), ('s."Orders"."order"', "warning"), ('s."values"()', "warning")])


def test_names_at_the_limit_count_bytes_and_cover_indexes_and_constraints() -> None:
    long = "a" * 63
    utf8 = "é" * 32  # 64 bytes, 32 characters
    short = "b" * 62
    cat = catalog(relations=(
        table(long, indexes=(Index(name=long[:-1] + "i", definition="..."), Index(name=short, definition="...")),
              constraints=(Constraint(name=utf8, kind=ConstraintKind.CHECK),)),
        table(short),
    ))
    assert sorted(found(cat, "name-at-length-limit")) == sorted([
        (f"s.{long}", "warning"), (f"s.{long[:-1]}i", "warning"), (f's.{long}."{utf8}"', "warning")])
