"""unqualify: the `public.` a role without USAGE on public sees in deparsed SQL, taken out
exactly where PostgreSQL adds it (no database needed: the inputs are PostgreSQL's own
deparsed forms, as seen on pagila and lago read by a CONNECT-only role)."""

from __future__ import annotations

from collections import namedtuple

import pytest

from schemadocs.introspect.unqualify import unqualified_rows, unqualify


@pytest.mark.parametrize("hidden, visible", [
    ("nextval('public.actor_actor_id_seq'::regclass)", "nextval('actor_actor_id_seq'::regclass)"),
    ("'G'::public.mpaa_rating", "'G'::mpaa_rating"),
    ('public."My ""Type"""[]', '"My ""Type"""[]'),
    ("SETOF public.customer", "SETOF customer"),
    ("FOREIGN KEY (city_id) REFERENCES public.city(city_id)", "FOREIGN KEY (city_id) REFERENCES city(city_id)"),
    ("BEFORE UPDATE ON public.actor FOR EACH ROW EXECUTE FUNCTION public.last_updated()",
     "BEFORE UPDATE ON actor FOR EACH ROW EXECUTE FUNCTION last_updated()"),
    ("a OPERATOR(public.===) b", "a === b"),
    ("'public.x'::text || 'it''s public.y'", "'public.x'::text || 'it''s public.y'"),  # strings stay
    ('"public.x" || "public".y || t.public || t.public.z', '"public.x" || "public".y || t.public || t.public.z'),
    ("public", "public"),
    (" SELECT f.title FROM public.film f JOIN public.\"Ünï\" u ON f.public = u.id WHERE f.len > 1.5",
     " SELECT f.title FROM film f JOIN \"Ünï\" u ON f.public = u.id WHERE f.len > 1.5"),
])
def test_public_qualifier_is_removed_where_the_deparser_adds_it(hidden, visible):
    assert unqualify(hidden) == visible


def test_a_relation_named_like_a_cte_keeps_its_schema():
    hidden = (' WITH filters AS (SELECT 1 FROM public.x), "B c"(a, "b)") AS NOT MATERIALIZED (SELECT 2)\n'
              " SELECT * FROM public.filters f JOIN public.\"B c\" ON true JOIN public.y ON 'WITH z AS (' <> ''")
    assert unqualify(hidden) == (
        ' WITH filters AS (SELECT 1 FROM x), "B c"(a, "b)") AS NOT MATERIALIZED (SELECT 2)\n'
        " SELECT * FROM public.filters f JOIN public.\"B c\" ON true JOIN y ON 'WITH z AS (' <> ''")


def test_index_definitions_keep_their_table():
    hidden = 'CREATE UNIQUE INDEX "USING" ON ONLY public.t USING btree (public.f(a), b) WHERE (c <> \'public.x\'::text)'
    assert unqualify(hidden, after="USING") == (
        'CREATE UNIQUE INDEX "USING" ON ONLY public.t USING btree (f(a), b) WHERE (c <> \'public.x\'::text)')


def test_rows_keep_plain_column_names():
    Row = namedtuple("Row", "definition predicate texts")
    row = Row("CREATE INDEX i ON public.t USING btree (\"public.a\", public.f(b))", None,
              ['"public.a"', "public.f(b)"])
    (fixed,) = unqualified_rows("indexes", [row])
    assert fixed.definition == "CREATE INDEX i ON public.t USING btree (\"public.a\", f(b))"
    assert fixed.texts == ['"public.a"', "f(b)"]
    (plain,) = unqualified_rows("indexes", [Row("CREATE INDEX j ON public.t USING btree (a)", None, None)])
    assert plain.texts is None  # no expressions: the columns are named from their attribute numbers
    Domain = namedtuple("Domain", "base_type constraints")
    (domain,) = unqualified_rows("domains", [Domain("public.posint", [["c", "CHECK (VALUE > public.zero())"]])])
    assert domain == Domain("posint", [["c", "CHECK (VALUE > zero())"]])
