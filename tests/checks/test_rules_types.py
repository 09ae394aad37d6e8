"""The types rules on model objects built directly (no database): planted defects and traps."""

from __future__ import annotations

from schemadocs.checks.finding import Level
from schemadocs.model import RelationKind
from tests.checks.models import catalog, col, found, pk, table

W, I = Level.WARNING, Level.INFO
TYPED = (col("id", nullable=False), col("doc", "json"), col("docs", "json[]"), col("good_doc", "jsonb"),
         col("at", "timestamp without time zone"), col("at3", "timestamp(3) without time zone"),
         col("tz", "timestamp with time zone"), col("price", "money"), col("code", "character(3)"),
         col("letter", '"char"'), col("name", "character varying(3)"), col("rel", "regclass"),
         col("fn", "regprocedure"))


def test_type_rules_on_a_table_not_on_its_partitions_views_or_foreign_tables() -> None:
    cat = catalog(table("t", TYPED, kind=RelationKind.PARTITIONED_TABLE),
                  table("t_1", TYPED, partition_of="t"),
                  table("v", TYPED, kind=RelationKind.VIEW), table("f", TYPED, kind=RelationKind.FOREIGN_TABLE))
    rules = ("json-column", "timestamp-without-time-zone", "money-column", "char-column", "reg-type-column")
    assert found(cat, *rules) == [
        ("json-column", "s.t.doc", W), ("json-column", "s.t.docs", W), ("money-column", "s.t.price", W),
        ("reg-type-column", "s.t.fn", W), ("timestamp-without-time-zone", "s.t.at", W),
        ("timestamp-without-time-zone", "s.t.at3", W), ("char-column", "s.t.code", I),
        ("reg-type-column", "s.t.rel", I)]


def test_serial_key_but_not_identity_or_application_keys() -> None:
    serial = col("id", nullable=False, default="nextval('s.t_id_seq'::regclass)")
    cat = catalog(table("serial", (serial,), constraints=(pk("serial", "id"),)),
                  table("ident", (col("id", "bigint", False, identity="always"),), constraints=(pk("ident", "id"),)),
                  table("app", (col("id", "bigint", False),), constraints=(pk("app", "id"),)),
                  table("not_key", (serial, col("k", nullable=False)), constraints=(pk("not_key", "k"),)))
    assert found(cat, "serial-key") == [("serial-key", "s.serial.id", I)]


def test_integer_key_on_large_table() -> None:
    cat = catalog(table("big", constraints=(pk("big", "id"),), rows=20_000_000),
                  table("small", constraints=(pk("small", "id"),), rows=1000),
                  table("wide", (col("id", "bigint", False),), constraints=(pk("wide", "id"),), rows=20_000_000),
                  table("pt", constraints=(pk("pt", "id"),), kind=RelationKind.PARTITIONED_TABLE, rows=0),
                  table("pt_1", constraints=(pk("pt_1", "id"),), partition_of="pt", rows=6_000_000),
                  table("pt_2", constraints=(pk("pt_2", "id"),), partition_of="pt", rows=6_000_000))
    assert found(cat, "integer-key-on-large-table") == [
        ("integer-key-on-large-table", "s.big.id", W), ("integer-key-on-large-table", "s.pt.id", W)]
