"""The plan's text and Markdown: golden files of a representative plan, hostile names, fences,
the size limit, and json through the same entry point.

To accept an intended change: `SCHEMADOCS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/plan/test_render.py`,
then review the diff of tests/plan/golden/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from schemadocs.errors import ConfigError
from schemadocs.plan import json_format
from schemadocs.plan.judge import judge
from schemadocs.plan.markdown import MARKER, render_markdown
from schemadocs.plan.model import ChangeNote, Risk, Transaction
from schemadocs.plan.render import render
from tests.plan.plans import AE, GB, SH, observation, representative_plan

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("fmt", "name"), [("text", "representative.txt"), ("markdown", "representative.md"),
                                           ("json", "representative.json")])
def test_golden(fmt, name):
    out = render(representative_plan(), fmt)
    path = GOLDEN / name
    if os.environ.get("SCHEMADOCS_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with SCHEMADOCS_UPDATE_GOLDEN=1 and review it"
    assert out == path.read_text(encoding="utf-8")


def test_text_summary_is_worst_first_and_each_statement_has_file_line_and_estimate():
    out = render(representative_plan(), "text")
    assert out.splitlines()[0] == ("migration plan: HIGH risk: 4 high, 2 medium, 2 low "
                                   "(8 statements, per-file transaction)")
    assert "HIGH   migrations/0042_orders.sql:5  ALTER TABLE app.orders\n" in out  # the SQL's first line
    assert "  rewrites  app.orders (2.0 GB), app.orders_pkey (400.0 MB)\n" in out
    assert out.index("\nheld locks") < out.index("\nwarnings") < out.index("\nassumptions")
    assert "server: PostgreSQL 16.4" in out


def test_markdown_table_is_worst_first_with_a_details_block_per_risky_statement():
    plan = representative_plan()
    out = render(plan, "markdown")
    assert out.startswith(MARKER + "\n### Migration plan: HIGH risk: 4 high, 2 medium, 2 low")
    rows = [line for line in out.splitlines() if line.startswith("| **")]
    assert [re.match(r"\| \*\*(\w+)", r).group(1) for r in rows] == ["high"] * 4 + ["medium"] * 2 + ["low"] * 2
    assert out.count("<details>") == out.count("</details>") == 6  # high and medium only
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert html.count("<tr>") == (1 + 8) + (1 + 4)  # the statements and the held locks, with their headers
    assert out.rstrip().endswith("- server: PostgreSQL 16.4")


HOSTILE_TABLE = 'app."x`|<script>alert(1)</script>\n| injected | row |"'
HOSTILE_FILE = "mig|rations/`0001`\n<img src=x onerror=alert(1)>.sql"


def hostile_plan():
    sizes = ((HOSTILE_TABLE, 2 * GB),)
    sql = f"ALTER TABLE {HOSTILE_TABLE} ALTER COLUMN \"````\" TYPE bigint\n-- ``` end"
    return judge([observation(sql, 3, (HOSTILE_TABLE, AE), rewrites=(HOSTILE_TABLE,), file=HOSTILE_FILE,
                              sizes=sizes,
                              changes=(ChangeNote("column", "a.b", "changed", "breaking", "<b>bold</b> | pipe",
                                                  ("app.<i>v</i>",)),),
                              error="boom\x1b[31m red\n| forged |"),
                  observation(f"CREATE INDEX i ON {HOSTILE_TABLE} (x)", 9, (HOSTILE_TABLE, SH),
                              scans=(HOSTILE_TABLE,), file=HOSTILE_FILE, sizes=sizes)],
                 transaction=Transaction.PER_FILE, method="copy", server_version="16.4",
                 sizes_from="the snapshot <b>prod</b>.json")


def test_hostile_names_stay_text_in_markdown():
    out = render(hostile_plan(), "markdown")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(out)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html
    # every table row has exactly the header's number of cells: no pipe or line break forged one
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    for table in tables:
        widths = {len(re.findall(r"<t[hd]", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1
    assert len(tables) == 2 and html.count("<tr>") == (1 + 2) + (1 + 1)  # no row forged by a pipe or a line break


def test_code_fences_are_longer_than_any_backtick_run_inside():
    out = render(hostile_plan(), "markdown")
    html = MarkdownIt("commonmark").enable("table").render(out)
    # the statement's SQL (with ```` and ```) comes out whole inside one code block
    blocks = re.findall(r'<code class="language-sql">(.*?)</code>', html, re.S)
    assert any('TYPE bigint\n-- ``` end' in b and "````" in b for b in blocks)
    assert re.search(r"^`{5}sql$", out, re.M)


def test_hostile_text_in_the_terminal_cannot_send_escape_sequences_or_forge_lines():
    out = render(hostile_plan(), "text")
    assert "\x1b" not in out and "\\x1b[31m" in out
    lines = out.splitlines()
    assert not any(line.startswith("| forged |") or line.startswith("| injected") for line in lines)
    assert "<script>" in out  # a terminal shows it as text: nothing to escape there


def test_markdown_stays_under_the_comment_limit_with_a_note():
    obs = [observation(f"ALTER TABLE app.orders ALTER COLUMN c{i} TYPE bigint", i, ("app.orders", AE),
                       rewrites=("app.orders",)) for i in range(1, 200)]
    plan = judge(obs, transaction=Transaction.PER_STATEMENT, method="copy", server_version="16.4")
    full = render_markdown(plan, limit=10**9)
    cut = render_markdown(plan, limit=20_000)
    assert len(full) > 20_000 >= len(cut)
    assert "**Not shown** (comment size limit)" in cut and cut.rstrip().endswith("PostgreSQL 16.4")
    assert cut.count("<details>") == cut.count("</details>")


def test_json_round_trips_through_render():
    plan = representative_plan()
    assert json_format.loads(render(plan, "json")) == plan
    assert plan.statements[1].advice and plan.warnings and plan.held


def test_outputs_are_deterministic_and_unknown_format_is_an_error():
    assert render(representative_plan(), "markdown") == render(representative_plan(), "markdown")
    with pytest.raises(ConfigError, match="use one of text, markdown, json"):
        render(representative_plan(), "html")


def test_low_plan_says_so_and_has_no_details():
    plan = judge([observation("ALTER TABLE app.orders ADD COLUMN x int", 1, ("app.orders", AE), lock_timeout_ms=5000)],
                 transaction=Transaction.PER_FILE, method="rollback", server_version="14.12")
    assert plan.risk is Risk.LOW
    out = render(plan, "markdown")
    assert "LOW risk: 0 high, 0 medium, 1 low (1 statement," in out and "<details>" not in out
    assert "each statement ran in a transaction that was rolled back" in render(plan, "text")
