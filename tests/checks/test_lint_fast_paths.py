"""lint's shortcuts give what the slow paths give: plain index keys compared without a parse,
quoting decided by one pattern (the rule's and quote_ident's) and for many names at once, names at the
length limit found without encoding each, cycles looked for only in a graph that has one, findings
ordered without one sort of them all, a finding made without dataclass's __init__, the garbage
collector paused and restored, and the catalog index's shared passes reaching every object."""

from __future__ import annotations

import gc
from dataclasses import FrozenInstanceError, fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from schemadocs import snapshot
from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Category, Finding, Level
from schemadocs.checks.index_key import key_items, plain_key
from schemadocs.checks.rules.keys import _acyclic, _cycles
from schemadocs.checks.rules.naming import _needing_quotes, at_limit, needs_quoting
from schemadocs.model import Constraint, ConstraintKind, Policy, QualifiedName, RelationKind, Trigger, quote_ident
from tests.checks.models import catalog, col, fk, found, idx, pk, table

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


@given(st.sets(NAMES | st.sampled_from(["select", "left", "timestamp", "user", "a$", "é", "A"]), max_size=6),
       st.booleans())
def test_names_needing_quotes_are_picked_as_needs_quoting_picks_them_one_by_one(names: set[str],
                                                                                callable_name: bool) -> None:
    assert _needing_quotes(names, callable_name) == {n for n in names if needs_quoting(n, callable_name=callable_name)}


@given(st.sets(st.text(st.characters(blacklist_categories=("Cs",)), min_size=10, max_size=70)
               | st.sampled_from(["a" * 62, "a" * 63, "é" * 31, "é" * 32, "😀" * 15, "😀" * 16]), max_size=6))
def test_names_at_the_length_limit_are_those_of_63_bytes_or_more(names: set[str]) -> None:
    assert at_limit(names) == {n for n in names if len(n.encode("utf-8")) >= 63}


@given(st.dictionaries(st.sampled_from("abcdef"), st.sets(st.sampled_from("abcdef"), max_size=3), max_size=6))
def test_a_graph_is_acyclic_when_tarjan_finds_no_cycle_in_it(graph: dict[str, set[str]]) -> None:
    edges = {("s", a): {("s", b) for b in targets if b != a} for a, targets in graph.items()}
    edges = {node: targets for node, targets in edges.items() if targets}
    assert _acyclic(edges) == (not _cycles(edges))


def test_findings_come_worst_first_then_by_rule_and_object_whatever_order_the_rules_report_them() -> None:
    cat = catalog(table("b_no_key", (col("x"),)), table("a_no_key", (col("x"),)),
                  table("t", (col("id", nullable=False), col("data", "json")),
                        constraints=(pk("t", "id"),), indexes=(idx("t", "t_pkey", "id", primary=True),)))
    report = lint(cat, Settings(levels={"relation-without-comment": Level.ERROR}))
    keys = [(-f.level.rank, f.rule, f.object) for f in report.findings]
    assert len(keys) > 5 and keys == sorted(keys)
    assert [f.level for f in report.findings][0] is Level.ERROR


def test_a_finding_is_frozen_and_made_of_its_fields() -> None:
    f = Finding("s.t", "no-primary-key", Level.WARNING, Category.KEYS, "table s.t has no primary key",
                subject=QualifiedName("s", "t"))
    assert {k: getattr(f, k) for k in (x.name for x in fields(Finding))} == {
        "object": "s.t", "rule": "no-primary-key", "level": Level.WARNING, "category": Category.KEYS,
        "message": "table s.t has no primary key", "fix": None, "subject": QualifiedName("s", "t")}
    assert f == Finding(object="s.t", rule="no-primary-key", level=Level.WARNING, category=Category.KEYS,
                        message="table s.t has no primary key")  # subject is not compared
    with pytest.raises(FrozenInstanceError):
        f.rule = "other"  # type: ignore[misc]


def test_linting_a_catalog_leaves_its_snapshot_as_it_was() -> None:
    # orjson writes a dataclass from its __dict__: a value a rule cached on a model object would enter the snapshot
    cat = catalog(table("p", (col("id", nullable=False),), constraints=(pk("p", "id"),),
                        indexes=(idx("p", "p_pkey", "id", primary=True), idx("p", "p_id", "id"))),
                  table("c", (col("p_id"),), constraints=(fk("c_p_fkey", ("p_id",), "p"),)))
    before = snapshot.dump_bytes(cat)
    assert lint(cat).findings
    assert snapshot.dump_bytes(cat) == before


def test_the_shared_passes_see_every_object_the_rules_walked_one_by_one() -> None:
    # CatalogIndex reads relations, constraints and indexes once each for every rule: the objects a rule
    # used to reach by its own walk must still reach it (other kinds of relation, clones on partitions).
    long = "n" * 63
    check = Constraint(name=long, kind=ConstraintKind.CHECK, definition="CHECK ((id > 0))")
    foreign = table("ft", kind=RelationKind.FOREIGN_TABLE, constraints=(check,))
    trigger = Trigger(name=long + "t", function=QualifiedName("s", "f"), timing="AFTER", events=("INSERT",),
                      level="ROW")
    policy = Policy(name=long + "p", command="ALL", roles=("public",))
    parent = table("p", kind=RelationKind.PARTITIONED_TABLE, indexes=(idx("p", "p_id", "id", valid=False),),
                   constraints=(pk("p", "id"),))
    part = table("p1", partition_of="p", indexes=(idx("p1", "p1_id", "id", valid=False),),
                 constraints=(pk("p1", "id"),))
    secured = replace(table("sec", constraints=(pk("sec", "id"),)), triggers=(trigger,), policies=(policy,))
    cat = catalog(foreign, parent, part, secured, replace(table("v", kind=RelationKind.VIEW), populated=None),
                  replace(table("mv", kind=RelationKind.MATERIALIZED_VIEW), populated=False))
    assert found(cat, "name-at-length-limit") == [
        ("name-at-length-limit", f"s.ft.{long}", Level.WARNING),
        ("name-at-length-limit", f"s.sec.{long}p", Level.WARNING),
        ("name-at-length-limit", f"s.sec.{long}t", Level.WARNING)]
    assert [o for _, o, _ in found(cat, "invalid-index")] == ["s.p1_id", "s.p_id"]  # the partition's clone too
    assert [o for _, o, _ in found(cat, "policy-without-rls", "materialized-view-not-populated")] == ["s.sec", "s.mv"]
