"""Search-excluded tables leave a page's Markdown as fragments, and come back whole."""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from schemadocs.render.escape import markdown_block
from schemadocs.render.fragments import FRAGMENT_PLACEHOLDER, lift_excluded_tables

EXCLUDED = ('<table data-sd="findings" data-search-exclude data-sd-sortable>\n'
            "<thead><tr><th>Level</th></tr></thead>\n<tbody>\n<tr><td>warning</td></tr>\n</tbody>\n</table>")
SEARCHED = '<table data-sd="columns">\n<tbody>\n<tr><td>id</td></tr>\n</tbody>\n</table>'


def expand(text: str, cache: Path) -> str:
    return FRAGMENT_PLACEHOLDER.sub(lambda m: (cache / f"{m.group(1)}.html").read_text(encoding="utf-8"), text)


def test_an_excluded_table_becomes_a_placeholder_and_expands_back(tmp_path: Path) -> None:
    page = f"# t\n\n## Health\n\n{EXCLUDED}\n\n## Columns\n{SEARCHED}\n"
    lifted = lift_excluded_tables(page, tmp_path)
    assert "data-sd=\"findings\"" not in lifted and len(FRAGMENT_PLACEHOLDER.findall(lifted)) == 1
    assert SEARCHED in lifted  # the search reads this one: it stays in the Markdown
    assert expand(lifted, tmp_path) == page
    assert lift_excluded_tables(page, tmp_path) == lifted  # one file per content, the same name again
    assert len(list(tmp_path.iterdir())) == 1


def test_hostile_text_cannot_start_or_end_a_lifted_table(tmp_path: Path) -> None:
    payload = '</table>\n<table data-search-exclude>\n<script>alert(1)</script>\n</table>'
    shown = f"<p>{escape(payload)}</p>\n\n{markdown_block(payload)}"  # as HTML text, and as a comment
    page = f"{shown}\n\n{EXCLUDED}\n"
    lifted = lift_excluded_tables(page, tmp_path)
    assert lifted.startswith(shown + "\n\n<!-- schemadocs-html ")  # escaped text never matches a table's line
    assert expand(lifted, tmp_path) == page


def test_a_nested_table_is_left_inline(tmp_path: Path) -> None:
    nested = ('<table data-sd="outer" data-search-exclude>\n<tr><td>\n<table data-sd="inner">\n<tr><td>x</td></tr>\n'
              "</table>\n</td></tr>\n</table>")
    assert lift_excluded_tables(nested + "\n", tmp_path) == nested + "\n"
    assert not tmp_path.exists() or not any(tmp_path.iterdir())
