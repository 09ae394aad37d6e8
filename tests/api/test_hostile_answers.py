"""Hostile names and comments in the MCP answers: the Markdown of every object of the
hostile fixture holds no HTML, no link and no extra table cell; `sql_context` keeps every
comment on its own `--` line; cut answers say what they left out."""

from __future__ import annotations

import re

import pytest
from pglast.parser import scan
from markdown_it import MarkdownIt

from schemadocs.api import markdown, queries
from schemadocs.api.bounded import bound_data, bound_text
from schemadocs.api.objects import Sources, sources
from schemadocs.api.sql_context import sql_context
from schemadocs.checks.engine import lint
from schemadocs.introspect.introspect import introspect
from schemadocs.model import QualifiedName
from schemadocs.render.escape import sql_comment
from tests.conftest import FIXTURES

PAYLOADS = ['"quoted"', "`tick`", "new\nline", "a | pipe", "[x](javascript:alert(1))", "}{", "-- not a comment",
            "<script>alert(1)</script>", "Ünïcødé 表", "\u2028line separator", "cr\rlf"]


@pytest.fixture(scope="module")
def hostile(new_database) -> Sources:  # type: ignore[no-untyped-def]
    catalog = introspect(new_database((FIXTURES / "hostile.sql").read_text(encoding="utf-8"), prefix="hostile_api"))
    return sources(catalog, lint(catalog))


def tokens(text: str) -> list:  # type: ignore[type-arg]
    found = []
    for t in MarkdownIt("commonmark").enable("table").parse(text):
        found.append(t)
        found += t.children or []
    return found


def test_markdown_of_every_hostile_object_is_inert(hostile: Sources) -> None:
    names = [str(r.qname) for r in hostile.catalog.documented] + [f"{q}()" for q in hostile.routine_names] + \
            [str(q) for q in hostile.types]
    assert len(names) > 10
    for name in names:
        text = markdown.describe_md(queries.describe(hostile, name))
        found = tokens(text)
        assert not [t for t in found if t.type in ("html_block", "html_inline", "link_open", "image")], (name, text)
        assert sum(t.type == "heading_open" for t in found) <= 1 + len(hostile.routine_names.get(_q(name), ())), name
        rows = [t for t in found if t.type == "tr_open"]
        cells = [t for t in found if t.type in ("td_open", "th_open")]
        assert len(cells) == 6 * len(rows), (name, text)


def test_hostile_names_resolve_as_sql_spells_them(hostile: Sources) -> None:
    for rel in hostile.catalog.documented:
        assert queries.describe(hostile, str(rel.qname))["name"] == rel.name


def test_sql_context_keeps_comments_in_their_comment(hostile: Sources) -> None:
    """PostgreSQL's own lexer (pglast) sees each statement start with CREATE, and outside comments,
    quoted identifiers and string literals only the words the catalog's names and types hold."""
    catalog = hostile.catalog
    tables = [str(r.qname) for r in catalog.documented if not r.kind.is_view][:12]
    sql = sql_context(hostile, tables, 100_000)["sql"]
    words = {w.lower() for r in catalog.relations for text in (r.schema, r.name, *(f"{c.name} {c.type}" for c in r.columns))
             for w in re.findall(r"\w+", text)}
    words |= {"create", "table", "view", "materialized", "foreign", "primary", "key", "references", "not", "null"}
    statement_start = True
    for token in scan(sql):
        text = sql[token.start:token.end + 1]
        if token.name == "SQL_COMMENT":
            assert "\n" not in text and "\r" not in text
            continue
        if statement_start:
            assert token.name == "CREATE", text
        statement_start = token.name == "ASCII_59"
        if token.name not in ("SCONST",) and not text.startswith('"'):
            assert not re.search(r"[a-z]", text, re.I) or text.lower() in words, text
    assert "xss" in sql, "the hostile comments are there, inside comments"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_context_function_holds_its_payload(payload: str) -> None:
    comment = sql_comment(payload)
    assert "\n" not in comment and "\r" not in comment and "\u2028" not in comment
    cell = markdown.text(payload)
    found = tokens(f"| a | b |\n|---|---|\n| {cell} | {markdown.code(payload)} |\n")
    assert sum(t.type == "td_open" for t in found) == 2, payload
    assert not [t for t in found if t.type in ("html_inline", "html_block", "link_open")], payload


def test_bound_data_cuts_largest_first_and_reports_it() -> None:
    data = {"columns": [{"name": f"c{i}", "comment": "x" * 50} for i in range(200)], "definition": "y" * 4000, "name": "t"}
    cut, notes = bound_data(data, 2000)
    import json
    assert len(json.dumps(cut, separators=(",", ":"))) <= 2000
    assert cut["name"] == "t" and data["columns"][0] == cut["columns"][0], "a copy, cut from the end"
    assert any(n.startswith("columns: ") and n.endswith("of 200 items left out") for n in notes)
    assert any(n.startswith("definition: cut to ") for n in notes)
    assert bound_data({"a": [1]}, 1000) == ({"a": [1]}, [])


def test_bound_text_says_how_much_it_left_out() -> None:
    text = "".join(f"line {i}\n" for i in range(1000))
    cut = bound_text(text, 600)
    assert len(cut) <= 600 and "more characters left out" in cut
    assert bound_text("short", 600) == "short"


def _q(name: str) -> QualifiedName:
    from schemadocs.lineage.trace import split_identifier

    parts = split_identifier(name.removesuffix("()"))
    return QualifiedName(*parts) if len(parts) == 2 else QualifiedName("", "")
