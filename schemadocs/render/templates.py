"""The one module that owns Jinja: loads `docs_templates/` and renders a page context.

In: a template name and a page context. Out: Markdown text. Autoescaping is on for every
template: MkDocs passes raw HTML through, so anything from the database (names, comments,
defaults, SQL) is HTML-escaped unless a filter below makes it safe another way.
StrictUndefined turns a template typo into an error instead of an empty cell.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from schemadocs.render.escape import front_matter_title, html_breakable, markdown_heading


def render(template: str, page: object) -> str:
    """Render one page context with one template."""
    return environment().get_template(template).render(page=page)


def stylesheet() -> str:
    """The site's extra CSS, shipped beside the templates."""
    return environment().loader.get_source(environment(), "schemadocs.css")[0]  # type: ignore[union-attr]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("schemadocs.templates", "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(comment=comment, comment_inline=comment_inline, fence=fence, heading=markdown_heading,
                       front_matter_title=front_matter_title, breakable=html_breakable)
    return env


@cache
def _markdown() -> MarkdownIt:
    # CommonMark with raw HTML disabled: comments may use Markdown, never HTML; unsafe link
    # schemes (javascript:, vbscript:, data:) are refused by markdown-it's link validation.
    # `breaks`: a single line break in a comment stays a line break (a blank line still starts
    # a paragraph), as people write lists of rules in COMMENT ON without Markdown in mind.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False,
                                     "breaks": True}).enable("table")


@lru_cache(maxsize=1 << 16)  # the same comments come back on many pages (and in the column index)
def comment(text: str | None) -> Markup:
    """A database comment as a block of safe HTML (Markdown rendered, HTML escaped)."""
    if not text:
        return Markup("")
    body = _markdown().render(_normalise(text)).strip()
    return Markup('<div class="sd-comment">\n{}\n</div>').format(Markup(_no_blank_lines(body)))


@lru_cache(maxsize=1 << 16)
def comment_inline(text: str | None) -> Markup:
    """A database comment inside a table cell: inline Markdown only, line breaks kept."""
    if not text:
        return Markup("")
    body = _markdown().renderInline(_normalise(text))  # line breaks become <br /> (breaks=True)
    return Markup(body.replace("\n", ""))


def fence(text: str | None, lang: str = "sql") -> Markup:
    """A fenced code block that no content can break out of (the fence outgrows any run inside)."""
    if text is None:
        return Markup("")
    longest = max((len(m) for m in re.findall(r"`+|~+", text)), default=0)
    marker = "`" * max(3, longest + 1)
    return Markup(f"{marker}{lang}\n{_normalise(text).rstrip()}\n{marker}")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _no_blank_lines(html: str) -> str:
    # A blank line would end MkDocs' raw HTML block early; <p> tags already separate paragraphs.
    return "\n".join(line for line in html.splitlines() if line.strip())
