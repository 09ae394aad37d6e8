"""Reading a routine's argument types from its identity arguments (schemadocs/argtypes.py), on the
texts PostgreSQL writes; tests/introspect/test_routine_identity.py checks them against a server."""

from __future__ import annotations

import pytest

from schemadocs.argtypes import argument_types


@pytest.mark.parametrize(("arguments", "types"), [
    ("", ""),
    ("integer, text", "integer, text"),
    ("a integer, b text", "integer, text"),
    ("a integer, VARIADIC b text[]", "integer, text[]"),
    ('VARIADIC "any"', '"any"'),
    ("IN a integer, OUT b text, INOUT c time without time zone", "integer, time without time zone"),
    ("x double precision, OUT total bigint, INOUT w bit varying", "double precision, bit varying"),
    ("double precision, character varying[]", "double precision, character varying[]"),
    ("fraction double precision ORDER BY v anyelement", "double precision, anyelement"),
    ('"Tricky, name" timestamp with time zone[], y "Odd, Schema"."my type, (1)"',
     'timestamp with time zone[], "Odd, Schema"."my type, (1)"'),
    ('"order" integer, "a ""b"" c" s."T"[]', 'integer, s."T"[]'),
    ('"double" double precision, "OUT" "OUT"', 'double precision, "OUT"'),
])
def test_the_types_of_the_input_arguments_alone(arguments: str, types: str) -> None:
    assert argument_types(arguments) == types
