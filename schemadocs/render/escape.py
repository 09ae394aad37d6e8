"""The one escaping path per output context, for any text from the database (names, comments).

In: text as PostgreSQL holds it (any character: `<`, quotes, backslashes, newlines, Markdown
and Jinja syntax). Out: the same text made inert for one context:

- `page_title`: a title MkDocs and the theme show (front matter `title:`, navigation entries,
  the search index): Material writes titles into pages, the `<title>` element and search
  results as HTML, unescaped, so the title handed to MkDocs is already HTML-escaped text;
- `front_matter_title`: that title as a YAML front matter line;
- `markdown_heading`: the text of a Markdown heading (HTML-escaped, Markdown punctuation
  backslash-escaped);
- `dot_text`: a quoted Graphviz string (labels, tooltips, URLs): never an HTML-like label,
  backslashes literal (no `\\N`, `\\l` escapes), quotes escaped, line breaks as `\\n`;
- `dot_html`: text or an attribute value inside a Graphviz HTML-like label;
- `mermaid_text`: text inside a quoted Mermaid label;
- `markdown_code`, `markdown_cell`, `markdown_fence`: GitHub-flavoured Markdown for pull-request
  comments (an inline code span in a table cell, plain cell text, a code block's fence);
- `github_data`, `github_property`: a GitHub Actions workflow command's message and its
  properties (`::error title=...::message`);
- `terminal_text`: a line for a terminal or a CI log: control characters (escape sequences,
  line breaks) shown as `\\xNN`, never interpreted;
- `sql_comment`: the text of a `-- ` comment in SQL we write (the MCP server's `sql_context`):
  one line, so a comment can never end the comment and start a statement.

HTML text and quoted attribute values need no function of their own: templates autoescape
(`templates.py`) and Python builds HTML only with `Markup.format`, both markupsafe's `escape`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import graphviz
from markupsafe import Markup, escape


def page_title(text: str) -> str:
    """A page or navigation title for MkDocs: one line, HTML-escaped (the theme renders it as HTML)."""
    return str(escape(" ".join(text.split())))


def front_matter_title(text: str) -> Markup:
    """The `title:` line of a page's YAML front matter (a JSON string is a YAML scalar)."""
    return Markup(f"title: {json.dumps(page_title(text), ensure_ascii=False)}")


def markdown_heading(text: str) -> Markup:
    """Text for a Markdown heading: one line, HTML-escaped, Markdown punctuation backslash-escaped."""
    flat = re.sub(r"([\\`*_{}\[\]()#+!|-])", r"\\\1", " ".join(str(text).split()))
    return Markup(flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


@lru_cache(maxsize=1 << 16)  # names repeat across thousands of diagrams
def dot_text(text: str) -> str:
    """A Graphviz string attribute (label, tooltip, URL) that shows exactly `text`."""
    escaped = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return graphviz.nohtml(escaped)  # quoted by graphviz, `"` escaped there, never an HTML-like label


@lru_cache(maxsize=1 << 16)
def dot_html(text: str) -> str:
    """Text or a quoted attribute value inside a Graphviz HTML-like label (a line break, which
    Graphviz would drop there, becomes a space)."""
    return str(escape(re.sub(r"\r\n?|\n", " ", text)))


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for the characters Mermaid reads."""
    return "".join({"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "\n": " "}.get(c, c)
                   for c in text)


def markdown_code(text: str) -> str:
    """`text` as an inline code span safe inside a table cell (line breaks, CR included, as spaces)."""
    text = _one_line(text).replace("|", "\\|")
    fence = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_cell(text: str) -> str:
    """Plain text (written by schemadocs, never a name) for one table cell: one line, pipes escaped."""
    return _one_line(text).replace("|", "\\|")


def _one_line(text: str) -> str:
    return re.sub(r"\r\n?|\n", " ", text)


def markdown_fence(body: str) -> str:
    """The fence of a code block holding `body`: longer than any run of backticks inside it."""
    return "`" * max(3, _longest_run(body, "`") + 1)


def _longest_run(text: str, char: str) -> int:
    best = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        best = max(best, run)
    return best


def github_data(text: str) -> str:
    """The message of a GitHub Actions workflow command (after `::`): `%`, CR and LF encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (`title=...`): also `:` and `,` encoded."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def terminal_text(text: str) -> str:
    """Text for one line of a terminal or log: C0/C1 control characters shown as `\\xNN`."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def sql_comment(text: str) -> str:
    """Text after `-- ` on one SQL line: line breaks (any, Unicode's too) and other control characters as spaces."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text).strip()
