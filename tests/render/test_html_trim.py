"""Trimmed pages (`render.html_trim`): indentation cut, whitespace kept where it is content."""

from __future__ import annotations

from schemadocs.render.html_trim import trim_html


def test_indentation_is_cut_but_not_in_pre_code_textarea_script_style() -> None:
    page = ("<div>\n    <p>\n      a  b\n    </p>\n\n\n  <PRE class=x><code>  keep\n    this\n</code></PRE>\n"
            "    <code>x\n   y</code> <textarea>\n  t\n</textarea>\n  <script>// c\n  f()\n</script>\n"
            "  <style>\n  a { }\n</style>\n</div>\n")
    assert trim_html(page) == ("<div>\n<p>\na  b\n</p>\n<PRE class=x><code>  keep\n    this\n</code></PRE>\n"
                               "<code>x\n   y</code> <textarea>\n  t\n</textarea>\n<script>// c\n  f()\n</script>\n"
                               "<style>\n  a { }\n</style>\n</div>\n")


def test_an_unclosed_kept_element_keeps_the_rest_of_the_page() -> None:
    assert trim_html("<p>\n  a</p><pre>\n  b\n") == "<p>\na</p><pre>\n  b\n"
