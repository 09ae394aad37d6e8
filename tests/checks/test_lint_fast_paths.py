"""lint's shortcuts give what the slow paths give: plain index keys compared without a parse,
quoting decided by one pattern (the rule's and quote_ident's), the garbage collector paused and restored."""

from __future__ import annotations

import gc
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from schemadocs.checks.finding import Level
from schemadocs.checks.index_key import key_items, plain_key
from schemadocs.checks.rules.naming import needs_quoting
from schemadocs.model import RelationKind, quote_ident
from tests.checks.models import catalog, found, idx, table

NAMES = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=12)


def test_plain_key_needs_the_exact_definition_postgresql_writes_for_a_column_list() -> None:
    t = table("t")
    assert plain_key(t, idx("t", "ab", "a", "b"))
    assert plain_key(t, idx("t", "u", "a", unique=True))
    for other in (idx("t", "d", "a DESC"), idx("t", "i", "a", include=("b",)), idx("t", "w", "a", where="(b > 0)"),
                  idx("t", "e", "lower(a)"), idx("t", "h", "a", method="hash")):
        assert plain_key(t, other) == (other.method == "hash"), other.definition  # hash (a) is a plain list too
    odd = replace(idx("t", "odd", "a"), definition="CREATE INDEX odd ON s.t USING btree (a) WITH FROBNICATE")
    assert not plain_key(t, odd)
    parent = table("p", kind=RelationKind.PARTITIONED_TABLE)
    assert not plain_key(parent, idx("p", "pa", "a"))  # PostgreSQL writes ON ONLY there
    assert plain_key(parent, replace(idx("p", "pa", "a"), definition="CREATE INDEX pa ON ONLY s.p USING btree (a)"))


@given(st.lists(NAMES, min_size=1, max_size=4, unique=True), st.lists(NAMES, max_size=3, unique=True))
def test_plain_keys_with_the_same_leading_columns_have_the_same_leading_items(lead: list[str], more: list[str]) -> None:
    t = table("t")
    columns = lead + [m for m in more if m not in lead]
    short = replace(idx("t", "i1", *map(quote_ident, lead)), columns=tuple(lead))
    long = replace(idx("t", "i2", *map(quote_ident, columns)), columns=tuple(columns))
    assert plain_key(t, short) and plain_key(t, long)
    assert key_items(long)[:len(lead)] == key_items(short)  # what the parse says, the shortcut assumes


def test_redundant_index_is_the_same_with_and_without_the_shortcut() -> None:
    plain = (idx("t", "a", "a"), idx("t", "ab", "a", "b"))
    quoted = (idx("t", "a", '"A"'), idx("t", "ab", '"A"', "b"))
    quoted = tuple(replace(i, columns=("A", *i.columns[1:])) for i in quoted)
    spelled = (replace(plain[0], definition=plain[0].definition + " "), plain[1])  # no longer plain: parsed
    for indexes in (plain, quoted, spelled):
        assert found(catalog(table("t", indexes=indexes)), "redundant-index") == [
            ("redundant-index", "s.a", Level.WARNING)]


def _needs_quoting_by_characters(name: str, callable_name: bool) -> bool:
    """The rule as first written: character by character."""
    def ok(c: str, first: bool) -> bool:
        return "a" <= c <= "z" or c == "_" or c >= "\x80" or (not first and ("0" <= c <= "9" or c == "$"))
    if not name or not all(ok(c, i == 0) for i, c in enumerate(name)):
        return True
    return name in RESERVED_KEYWORDS or name in (COL_NAME_KEYWORDS if callable_name else TYPE_FUNC_NAME_KEYWORDS)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["", "a", "_a", "a$", "$a", "1a", "a1", "A", "\x7f", "\x80", "é", "ab c", "select", "left", "timestamp"]),
    st.booleans())
def test_needs_quoting_reads_names_as_the_character_rule_does(name: str, callable_name: bool) -> None:
    assert needs_quoting(name, callable_name=callable_name) == _needs_quoting_by_characters(name, callable_name)


def test_lint_leaves_the_garbage_collector_as_it_found_it() -> None:
    cat = catalog(table("t"))
    assert gc.isenabled()
    found(cat, "no-primary-key")
    assert gc.isenabled()
    gc.disable()
    try:
        found(cat, "no-primary-key")
        assert not gc.isenabled()
    finally:
        gc.enable()


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["", "a", "_1", "1a", "a b", "A", "²", "select", "user", 'a"b', "name"]))
def test_quote_ident_quotes_what_the_character_rule_quotes(name: str) -> None:
    quote_ident.cache_clear()  # the rule itself, not an earlier answer
    plain = bool(name) and not name[0].isdigit() and all("a" <= c <= "z" or "0" <= c <= "9" or c == "_" for c in name)
    keyword = name in RESERVED_KEYWORDS | COL_NAME_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS
    assert quote_ident(name) == (name if plain and not keyword else '"' + name.replace('"', '""') + '"')
