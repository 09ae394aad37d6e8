"""The post-processing's faster paths (`html_trim.trim_html` with `build_marks.strip_part`, and
`strip_part`'s search from each mark) give the bytes the plain passes give: the trim, then the
strip, each scanning every tag, on random hostile HTML."""

from __future__ import annotations

import random
import re

from schemadocs.render.build_marks import MARK, strip_build_marks, strip_part
from schemadocs.render.html_trim import trim_html

_KEPT_OPEN = re.compile(r"<(pre|code|textarea|script|style)[\s>]", re.I | re.A)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # HTML's case: ASCII only
_EVERY_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s=<>\"'/]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
_ATTRIBUTE = re.compile(r"(\s+)([^\s=<>\"'/]+)(=(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
PIECES = ["<td data-search-exclude>", "<td class=x data-search-exclude>", "<span data-search-exclude title='a<b'>",
          '<a title="<i data-search-exclude>">', "<b title='x data-search-exclude'>", "data-search-exclude", " ",
          "\n", "\n   ", "\n\t\n  ", "<pre>", "</pre>", "<PRE class=a>", "</pre\n >", "<code>", "</code>",
          "<script>", "</script>", "<style>", "</style>", "<textarea>", "</textarea>", "İ", "ß", "<", ">", "=",
          '"', "'", "text", "<p>", "</p>", "<br data-search-exclude/>", "<div DATA-SEARCH-EXCLUDE data-search-exclude>",
          "<x data-search-exclude=\"1\">", "<y data-search-excluded>", "</td>", "<!-- c -->", "<td\ndata-search-exclude\n>"]


def _plain_trim(html: str) -> str:
    out, last, lower = [], 0, html.translate(_ASCII_LOWER)  # as long as html
    while (kept := _KEPT_OPEN.search(html, last)) is not None:
        out.append(re.sub(r"\n\s+", "\n", html[last:kept.start()]))
        close = lower.find(f"</{kept.group(1).lower()}", kept.end())
        end = len(html) if close < 0 else lower.find(">", close) + 1 or len(html)
        out.append(html[kept.start():end])
        last = end
    out.append(re.sub(r"\n\s+", "\n", html[last:]))
    return "".join(out)


def _plain_strip(html: str) -> str:
    def tag(m: re.Match[str]) -> str:
        if MARK not in m.group(0):
            return m.group(0)
        name_end = re.match(r"<[a-zA-Z][a-zA-Z0-9-]*", m.group(0)).end()  # type: ignore[union-attr]
        return m.group(0)[:name_end] + _ATTRIBUTE.sub(
            lambda a: "" if a.group(2).lower() == MARK and a.group(3) is None else a.group(0), m.group(0)[name_end:])
    out, last, lower = [], 0, html.translate(_ASCII_LOWER)  # as long as html
    while (kept := _KEPT_OPEN.search(html, last)) is not None:
        out.append(_EVERY_TAG.sub(tag, html[last:kept.start()]))
        close = lower.find(f"</{kept.group(1).lower()}", kept.end())
        end = len(html) if close < 0 else lower.find(">", close) + 1 or len(html)
        out.append(html[kept.start():end])
        last = end
    out.append(_EVERY_TAG.sub(tag, html[last:]))
    return "".join(out)


def test_trim_and_strip_in_one_split_equal_the_two_passes() -> None:
    rng = random.Random(15)
    differ = 0
    for _ in range(4000):
        page = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        expected = _plain_strip(_plain_trim(page))
        assert trim_html(page, strip_part) == expected, page
        assert strip_build_marks(_plain_trim(page)) == expected, page
        assert trim_html(page) == _plain_trim(page), page
        differ += expected != page
    assert differ > 2000  # the pages exercised the cuts


def test_a_mark_in_a_quoted_value_or_in_text_stays() -> None:
    page = '<p title="<td data-search-exclude>">data-search-exclude <td data-search-exclude>x</td></p>'
    assert strip_part(page) == '<p title="<td data-search-exclude>">data-search-exclude <td>x</td></p>'
    assert strip_part("a data-search-exclude <b data-search-exclude>") == "a data-search-exclude <b>"


def test_a_letter_that_lowers_to_two_does_not_shift_the_kept_elements() -> None:
    """`İ` lowers to two characters: positions found in a lowered copy of the page would land
    past the real closing tag, cutting into what follows (a kept `<pre>` then loses its end,
    or text after it is kept untrimmed)."""
    page = "<p>İİİİ\n   x</p><pre>a\n   b</pre>\n   <td data-search-exclude>y</td>\n   z"
    assert trim_html(page) == "<p>İİİİ\nx</p><pre>a\n   b</pre>\n<td data-search-exclude>y</td>\nz"
    assert trim_html(page, strip_part) == "<p>İİİİ\nx</p><pre>a\n   b</pre>\n<td>y</td>\nz"
    assert strip_build_marks(page) == page.replace(" data-search-exclude", "")
