"""A routine's argument types alone (`Routine.argtypes`), as oidvectortypes(proargtypes) gives them,
and the `s.f(argtypes)` that names it in lint findings; older snapshots, which hold only the
identity arguments, give the same types."""

from __future__ import annotations

import json
from dataclasses import replace

import psycopg

from schemadocs import snapshot
from schemadocs.argtypes import argument_types
from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.introspect.introspect import introspect

SQL = """
CREATE SCHEMA "Odd, Schema";
CREATE TYPE "Odd, Schema"."my type, (1)" AS (a int);
CREATE TYPE mood AS ENUM ('ok');
CREATE FUNCTION f(a integer, b text DEFAULT 'x', VARIADIC c numeric[] DEFAULT '{}') RETURNS int
    LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION f(integer) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION g(double precision, "Tricky, name" timestamp with time zone[], x character varying,
                  y "Odd, Schema"."my type, (1)", z mood, OUT total bigint, INOUT w bit varying) RETURNS record
    LANGUAGE sql AS 'SELECT 1::bigint, w';
CREATE PROCEDURE p(IN a integer, OUT b text, INOUT c time without time zone) LANGUAGE sql AS 'SELECT ''x'', c';
CREATE FUNCTION "Odd, Schema"."h i"(double precision) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION acc(double precision[], anyelement) RETURNS double precision[]
    LANGUAGE sql AS 'SELECT $1';
CREATE FUNCTION fin(double precision[], double precision, anyelement) RETURNS anyelement
    LANGUAGE sql AS 'SELECT $3';
CREATE AGGREGATE pick(fraction double precision ORDER BY v anyelement)
    (SFUNC = acc, STYPE = double precision[], FINALFUNC = fin, FINALFUNC_EXTRA);
"""


def test_argument_types_are_what_oidvectortypes_gives(new_database) -> None:
    dsn = new_database(SQL)
    catalog = introspect(dsn, stats=False)
    with psycopg.connect(dsn) as conn:
        conn.execute("SET search_path = public")  # as introspection pins it
        expected = dict(conn.execute(
            "SELECT format('%s.%s(%s)', quote_ident(n.nspname), quote_ident(p.proname), "
            "              pg_get_function_identity_arguments(p.oid)), oidvectortypes(p.proargtypes) "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname IN ('public', 'Odd, Schema')").fetchall())
    assert len(catalog.routines) == len(expected) == 9
    for f in catalog.routines:
        assert f.argtypes == expected[f.signature], f.signature
        assert f.identity == f"{f.signature.split('(')[0]}({expected[f.signature]})"
    identities = {f.identity for f in catalog.routines}
    assert {"public.f(integer, text, numeric[])", "public.f(integer)", "public.f()",
            'public.g(double precision, timestamp with time zone[], character varying, '
            '"Odd, Schema"."my type, (1)", mood, bit varying)',
            '"Odd, Schema"."h i"(double precision)', "public.pick(double precision, anyelement)"} <= identities
    assert len(identities) == len(catalog.routines)  # overloads stay distinct
    # argument_types is kept only where the identity arguments, read without modes, names and OUT
    # arguments, are not the types: none of these (OUT and INOUT arguments, an ordered-set aggregate).
    assert [f.argument_types for f in catalog.routines] == [None] * 9
    assert {argument_types(f.arguments) for f in catalog.routines if f.name in ("g", "p")} == {
        "integer, time without time zone", 'double precision, timestamp with time zone[], character varying, '
        '"Odd, Schema"."my type, (1)", mood, bit varying'}


def test_lint_names_a_routine_by_its_argument_types(new_database) -> None:
    catalog = introspect(new_database(SQL), stats=False)
    report = lint(catalog, Settings(rules=("security-definer-search-path",)))
    assert [f.object for f in report.findings] == [
        "public.f()", "public.f(integer)", "public.f(integer, text, numeric[])"]
    named = next(f for f in report.findings if f.object == "public.f(integer, text, numeric[])")
    assert named.fix == "ALTER FUNCTION public.f(integer, text, numeric[]) SET search_path = pg_catalog, pg_temp;"
    assert "a integer, b text, VARIADIC c numeric[]" in named.message  # the message keeps the names


def test_argument_types_are_written_only_where_the_arguments_do_not_give_them(new_database) -> None:
    catalog = introspect(new_database(SQL), stats=False)
    text = snapshot.dumps(catalog)
    assert '"argument_types"' not in text  # as snapshots written before it existed, which load alike
    assert {f.identity for f in snapshot.loads(text).routines} == {f.identity for f in catalog.routines}
    odd = replace(catalog.routines[0], argument_types="integer")  # as when the arguments would not give them
    assert odd.argtypes == "integer" and odd.identity.endswith("(integer)")
    text = snapshot.dumps(replace(catalog, routines=(odd, *catalog.routines[1:])))
    assert [f.get("argument_types") for f in json.loads(text)["routines"]] == ["integer"] + [None] * 8
    assert snapshot.loads(text).routines[0] == odd
