"""Each export context's escaping function against breakout payloads (no database needed):
quotes, backticks, newlines, pipes, brackets, braces, `--`, unicode."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydbml import PyDBML

from schemadocs.render.escape import (
    csv_cell,
    dbml_name,
    dbml_string,
    markdown_block,
    markdown_text,
    mermaid_id,
    plantuml_text,
)

PAYLOADS = ['a"b', "a'b", "x`y``z", "line\nbreak\r\nCR", "a|b", "[x](javascript:alert(1))", "}{", "{{ x }}",
            "-- comment", "<script>x</script>", "*bold* _em_ __u__", "#1. - + =", "naïve ☃ 名前", "back\\slash",
            "@enduml", "=1+2", "", " "]


def _render_inline(md: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").renderInline(md)


@pytest.mark.parametrize("text", PAYLOADS)
def test_markdown_text_renders_as_exactly_the_text(text):
    import html

    rendered = html.unescape(_render_inline(markdown_text(text)))
    assert rendered == " ".join(re.split(r"\r\n?|\n", text)) or (text.strip() == "" and rendered.strip() == "")
    assert "\n" not in markdown_text(text)


def test_markdown_text_in_a_table_cell_keeps_the_columns():
    md = "| a | b |\n| --- | --- |\n| " + markdown_text("x|y") + " | z |\n"
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<td>") == 2 and "x|y" in html


def test_markdown_block_cannot_reach_past_its_quote():
    block = markdown_block("```\nunclosed fence\n<div>raw</div>\n# heading")
    html = MarkdownIt("commonmark", {"html": True}).render(block + "\n\nafter")
    assert html.rstrip().endswith("<p>after</p>")
    assert "<div>" not in html


@pytest.mark.parametrize("text", [p for p in PAYLOADS if p.strip()])
def test_dbml_name_and_string_parse_back(text):
    src = f"Table {dbml_name('s')}.{dbml_name(text)} {{\n  {dbml_name(text + 'c')} int [note: {dbml_string(text)}]\n}}\n"
    table = PyDBML(src).tables[0]
    assert table.columns[0].note.text == text.replace("\r\n", "\n").replace("\r", "\n")
    if not re.search(r'["\\\r\n]', text):
        assert table.name == text  # quotable names are kept exactly


def test_dbml_names_stay_distinct():
    assert dbml_name('a"b') != dbml_name("a_b") != dbml_name('a\nb')


@pytest.mark.parametrize("text", PAYLOADS)
def test_mermaid_id_is_a_token(text):
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", mermaid_id(text))
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_()\[\]-]*", mermaid_id(text, extra="()[]-"))


def test_mermaid_ids_stay_distinct():
    ids = {mermaid_id(t) for t in PAYLOADS}
    assert len(ids) == len(set(PAYLOADS))


@pytest.mark.parametrize("text", PAYLOADS)
def test_plantuml_text_has_no_syntax(text):
    out = plantuml_text(text)
    assert not re.search(r"[\"'<>{}\[\]|*=~#@:\n\r-]", out.replace("&#", "").replace(";", ""))
    assert re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), out) == " ".join(re.split(r"\r\n?|\n", text))


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx", "plain", "a,b\n\"c\""])
def test_csv_cell_is_never_a_formula(text):
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(text)])
    (cell,) = next(csv.reader(io.StringIO(out.getvalue())))
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.removeprefix("'") == text


def test_mermaid_text_stays_on_one_line():
    from schemadocs.render.escape import mermaid_text

    for text in PAYLOADS:
        assert len(mermaid_text(text).splitlines()) <= 1 and '"' not in mermaid_text(text)


def _markdown_text_by_character(text: str) -> str:
    """markdown_text's rules, character by character, as the docstring states them: the
    specification the faster implementation must equal."""
    flat = re.sub(r"\r\n?|\n", " ", text)
    out: list[str] = []
    for i, c in enumerate(flat):
        if c in "\\`*[]<>|&~#!{}$":
            out.append("\\" + c)
        elif c == "_" and not (0 < i < len(flat) - 1 and flat[i - 1].isalnum() and flat[i + 1].isalnum()):
            out.append("\\_")
        elif c in "-+=" and not flat[:i].strip():
            out.append("\\" + c)
        elif c in ".)" and flat[:i].strip().isdigit() and flat[i + 1:i + 2] in ("", " ", "\t"):
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\`*[]<>|&~#!{}$_-+=.)( \t\n\r\u00a0\u2003aZ9_é名²٣ⅷ'\""))))
def test_markdown_text_equals_its_rules_character_by_character(text: str) -> None:
    assert markdown_text(text) == _markdown_text_by_character(text)


@pytest.mark.parametrize("text", PAYLOADS + ["1. x", " 12 ) y", "3.", "²) x", "a_b _c d_ é_名 ٣_x", "-x", " =y", "+"])
def test_markdown_text_payloads_equal_its_rules(text: str) -> None:
    assert markdown_text(text) == _markdown_text_by_character(text)
