"""The one Markdown writer: page contexts rendered as clean Markdown, for machines.

In: the same page contexts the site's pages are rendered from. Out: Markdown with no HTML,
no diagram and no placeholder: the `.md` copy published beside each page of the site (and
gathered into `llms.txt` / `llms-full.txt`, `render/llms.py`), and the per-table files of
`schemadocs export --format markdown`. The templates are `docs_templates/*.clean.md.j2`.

Escaping is on by default, as HTML autoescaping is for the site: every value a template
prints goes through `escape.markdown_text` (one line, markup characters backslash-escaped)
unless a filter below already made it Markdown (a `Markup` value): `code` (a code span),
`link` (a Link as `[text](page.md)`), `block` (a comment as a block quote), `fence` (a code
block). Links point at the `.md` copies: the site's page-relative `.html` hrefs with `.md`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from schemadocs.render.contexts import Link
from schemadocs.render.escape import markdown_block, markdown_code, markdown_text
from schemadocs.render.templates import fence as html_fence

CLEAN = ".clean.md.j2"  # the suffix of the clean templates: relation.clean.md.j2 for relation.md.j2


def render_clean(template: str, page: object) -> str:
    """Render one page context with the clean twin of the site template `template` (`relation.md.j2`)."""
    name = template.removesuffix(".md.j2") + CLEAN
    return environment().get_template(name).render(page=page).strip() + "\n"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("schemadocs.templates", "."),
        autoescape=False,  # escaping is `finalize`: Markdown's, not HTML's
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(code=code, link=link, block=block, fence=fence, md_href=md_href)
    return env


def _escape(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return markdown_text(str(value))


def code(text: Any) -> Markup:
    """A value as an inline code span (safe in a table cell)."""
    return Markup("") if text is None else Markup(markdown_code(str(text)))


def md_href(href: str) -> str:
    """A site link (page-relative `.html`, maybe with `#anchor`) to the page's `.md` copy."""
    page, hash_, anchor = href.partition("#")
    if page.endswith(".html"):
        page = page[: -len(".html")] + ".md"
    return page + hash_ + anchor


def link(target: Link | None, as_code: bool = False) -> Markup:
    """A Link as a Markdown link to the target's `.md` copy, or its text when it has no page."""
    if target is None:
        return Markup("")
    text = markdown_code(target.text) if as_code else markdown_text(target.text)
    if not target.href:
        return Markup(text)
    return Markup(f"[{text}](<{md_href(target.href)}>)")


def block(text: str | None) -> Markup:
    """A database comment (Markdown) as a block quote nothing in it can reach past."""
    return Markup(markdown_block(text)) if text else Markup("")


def fence(text: str | None, lang: str = "sql") -> Markup:
    """A fenced code block no content can break out of."""
    return Markup(html_fence(text, lang))
