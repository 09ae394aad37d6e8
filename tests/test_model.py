"""Model helpers checked against PostgreSQL itself."""

from __future__ import annotations

import dataclasses

import orjson
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemadocs.model import QualifiedName, quote_ident

NAMES = ["users", "Users", "select", "user", "order_items", "x.y", "a/b", "..", 'say "hi"', "Ünïcødé_表",
         "_private", "1abc", "abc$", "café", "end", "name", "between", "int", "left", "value", ""]


def test_quote_ident_agrees_with_postgres(demo_dsn):
    with psycopg.connect(demo_dsn) as conn:
        for name in NAMES:
            assert quote_ident(name) == conn.execute("SELECT quote_ident(%s)", (name,)).fetchone()[0], name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=20))
def test_quote_ident_property(demo_dsn_conn, name):
    assert quote_ident(name) == demo_dsn_conn.execute("SELECT quote_ident(%s)", (name,)).fetchone()[0]


def test_qualified_name_str_and_order():
    assert str(QualifiedName("Sales", "Customer Orders")) == '"Sales"."Customer Orders"'
    assert sorted([QualifiedName("b", "a"), QualifiedName("a", "z")])[0] == QualifiedName("a", "z")


def test_a_qualified_name_is_a_frozen_pair_written_as_its_fields() -> None:
    q = QualifiedName("s", "T x")
    assert (q.schema, q.name) == ("s", "T x") and q == QualifiedName(schema="s", name="T x")
    assert hash(q) == hash(QualifiedName("s", "T x")) and q < QualifiedName("s", "u")
    assert dataclasses.replace(q, name="u") == QualifiedName("s", "u")
    assert [f.name for f in dataclasses.fields(q)] == ["schema", "name"] == list(vars(q))
    assert orjson.dumps(q) == b'{"schema":"s","name":"T x"}'  # as snapshots write it
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.name = "u"  # type: ignore[misc]
