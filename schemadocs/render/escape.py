"""The one escaping path per output context, for any text from the database (names, comments).

In: text as PostgreSQL holds it (any character: `<`, quotes, backslashes, newlines, Markdown
and Jinja syntax). Out: the same text made inert for one context:

- `page_title`: a title MkDocs and the theme show (front matter `title:`, navigation entries,
  the search index): Material writes titles into pages, the `<title>` element and search
  results as HTML, unescaped, so the title handed to MkDocs is already HTML-escaped text;
- `front_matter_title`: that title as a YAML front matter line;
- `markdown_heading`: the text of a Markdown heading (HTML-escaped, Markdown punctuation
  backslash-escaped);
- `html_breakable`: HTML text of an identifier that may wrap after `.` and `_` (`<wbr>`);
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
- `yaml_comment`: the text of a `# ` comment in YAML we print (`suggest-relations`): one line;
- `sql_comment`: the text of a `-- ` comment in SQL we write (the MCP server's `sql_context`):
  one line, so a comment can never end the comment and start a statement;
- `script_json`: JSON text as (part of) a `<script>` element's body: every `</` written `<\\/`
  (the same string to JSON), so no string in it can close the element;
- `base64_attribute`: bytes (a packed diagram, `render.packed_diagrams`) as a double-quoted
  HTML attribute value: base64, whose alphabet holds no character special there.

HTML text and quoted attribute values need no function of their own: templates autoescape
(`templates.py`) and Python builds HTML only with `Markup.format`, both markupsafe's `escape`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache

import graphviz
from markupsafe import Markup, escape


def page_title(text: str) -> str:
    """A page or navigation title for MkDocs: one line, HTML-escaped (the theme renders it as HTML)."""
    return str(escape(" ".join(text.split())))


def script_json(text: str) -> str:
    """JSON text made safe inside `<script>`: no `</` in it can end the element."""
    return text.replace("</", "<\\/")


def base64_attribute(data: bytes) -> Markup:
    """Bytes as the value of a double-quoted HTML attribute: base64 (RFC 4648: `A-Z a-z 0-9 + /`
    and `=` padding). None of those is special in an attribute (`"`, `&`, `<`, `>`), so the
    encoding is the whole escape; HTML-escaping it again would change nothing."""
    return Markup(base64.b64encode(data).decode("ascii"))


def front_matter_title(text: str) -> Markup:
    """The `title:` line of a page's YAML front matter (a JSON string is a YAML scalar)."""
    return Markup(f"title: {json.dumps(page_title(text), ensure_ascii=False)}")


def markdown_heading(text: str) -> Markup:
    """Text for a Markdown heading: one line, HTML-escaped, Markdown punctuation backslash-escaped."""
    flat = re.sub(r"([\\`*_{}\[\]()#+!|-])", r"\\\1", " ".join(str(text).split()))
    return Markup(flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


@lru_cache(maxsize=1 << 16)  # names repeat across thousands of diagrams
def html_breakable(text: str) -> Markup:
    """An identifier as HTML text a narrow table cell may wrap after a `.` or `_` (a `<wbr>`
    there) instead of overflowing or breaking mid-word; the text itself is unchanged."""
    return Markup(re.sub(r"(?<=[._])(?=[^._])", "<wbr>", str(escape(text))))


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
    """Text safe inside a quoted Mermaid label: entity codes for the characters Mermaid reads,
    line breaks (CR too, which would end the line as surely as LF) as spaces."""
    return "".join({"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "\n": " ", "\r": " "}.get(c, c)
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
    return re.sub(r"\r\n?|\n", " ", text) if "\n" in text or "\r" in text else text


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


def yaml_comment(text: str) -> str:
    """Text after `# ` in YAML we print: one line, as `terminal_text`, and YAML's other line breaks
    (U+2028, U+2029) shown as `\\uNNNN`, so a hostile name cannot end the comment and add a key."""
    return re.sub("[\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", terminal_text(text))


def sql_comment(text: str) -> str:
    """Text inside an SQL comment, `-- ...` or `/* ... */`: line breaks (any, Unicode's too) and
    other control characters as spaces, and `*/` and `/*` split (`* /`, `/ *`), so neither a
    line break nor a comment marker in a hostile name can end the comment and turn the rest into SQL."""
    flat = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text).strip()
    return flat.replace("*/", "* /").replace("/*", "/ *")


def sql_literal(text: str) -> str:
    """Text as an SQL string literal that reads back as exactly `text` whatever
    `standard_conforming_strings` says: quotes doubled, and with a backslash, an E'' literal
    with backslashes doubled. (PostgreSQL text cannot hold NUL, so neither can the literal.)"""
    quoted = text.replace("'", "''")
    return f"E'{quoted.replace(chr(92), chr(92) * 2)}'" if "\\" in text else f"'{quoted}'"


# --- Exports and the site's clean Markdown copies (schemadocs/export, render/clean.py) ---------

_MD_ALWAYS = frozenset("\\`*[]<>|&~#!{}$")  # CommonMark/GFM punctuation that can start markup anywhere


def markdown_text(text: str) -> str:
    """Any text (a name, a type, a default) as one line of plain Markdown text that renders as
    exactly `text`: line breaks become spaces, and every character that could start markup
    (`\\ ` * [ ] < > | & ~ # ! { } $`, a `_` that is not between two letters or digits, a
    leading `-`, `+` or `=`, and the `.` or `)` of a leading `1. `) is backslash-escaped.
    (Called for every cell of the clean Markdown copies: one regular expression does the
    first two, and only the start of the text is looked at for the others.)"""
    flat = _one_line(text)
    at = _leading_marker(flat)
    if at is None:
        return _MD_INLINE.sub(_backslashed, flat)
    return _MD_INLINE.sub(_backslashed, flat[:at]) + "\\" + flat[at] + _MD_INLINE.sub(_backslashed, flat[at + 1:])


# a character of _MD_ALWAYS, or a `_` without a letter or digit ([^\W_]: str.isalnum) before it or
# after it (the `_` matched first: a pattern starting with a look-behind is tried at every position)
_MD_INLINE = re.compile("[" + re.escape("".join(sorted(_MD_ALWAYS))) + r"]|_(?:(?<![^\W_]_)|(?![^\W_]))")


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


def _leading_marker(flat: str) -> int | None:
    """Where a list or heading marker would start the text: the first character after leading
    blanks when it is `-`, `+` or `=`; the `.` or `)` after leading digits (blanks around them
    allowed) when a blank or the end follows it."""
    n = len(flat)
    j = 0
    while j < n and flat[j].isspace():
        j += 1
    if j < n and flat[j] in "-+=":
        return j
    k = j
    while k < n and flat[k].isdigit():
        k += 1
    m = k
    while m < n and flat[m].isspace():
        m += 1
    if k > j and m < n and flat[m] in ".)" and flat[m + 1:m + 2] in ("", " ", "\t"):
        return m
    return None


def markdown_block(text: str) -> str:
    """A database comment (Markdown as written) as a block quote, so nothing in it can reach
    past it: an unclosed fence or list ends with the quote, and the start of any raw HTML
    (`<` before a letter, `/`, `!` or `?`) is written `&lt;` and shows as text."""
    lines = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


_DBML_UNQUOTABLE = re.compile(r'["\\\r\n]')


def dbml_name(text: str) -> str:
    """A quoted DBML name (table, column, enum, index, ref). DBML's quoted names have no escape,
    so a `"`, backslash or line break (which no parser reads back) becomes `_` and the name gets
    `_` and 8 hex digits of its SHA-256, which keeps two different names apart."""
    if not _DBML_UNQUOTABLE.search(text):
        return f'"{text}"'
    return f'"{_DBML_UNQUOTABLE.sub("_", text)}_{hashlib.sha256(text.encode()).hexdigest()[:8]}"'


def dbml_string(text: str) -> str:
    """A single-quoted DBML string (notes): backslash and quote escaped, line breaks as `\\n`."""
    body = text.replace("\\", "\\\\").replace("'", "\\'").replace("\r\n", "\n").replace("\r", "\n")
    return "'" + body.replace("\n", "\\n") + "'"


def mermaid_id(text: str, extra: str = "") -> str:
    """A Mermaid erDiagram token (an entity id or attribute name; with `extra="()[]-"`, an
    attribute type, where Mermaid allows those too): ASCII letters, digits and `_` kept, a
    leading `_` before a digit or anything else that cannot start one, every other character
    `_`; when anything was changed, `_` and 8 hex digits of the SHA-256 of `text` follow, so
    two different names never share a token."""
    token = "".join(c if (c.isascii() and (c.isalnum() or c == "_")) or c in extra else "_" for c in text)
    if not (token[:1].isascii() and (token[:1].isalpha() or token[:1] == "_")):
        token = "_" + token
    if token == text:
        return token
    return f"{token}_{hashlib.sha256(text.encode()).hexdigest()[:8]}"


_PUML_SPECIAL = frozenset("\"'<>{}[]\\|*=~#@/:-`^%$!&")


def plantuml_text(text: str) -> str:
    """Text inside a PlantUML quoted name, member line or label: one line, and every character
    PlantUML or its Creole markup reads (quotes, `<>`, braces, `*`, `-`, `=`, `~`, `#`, `:`,
    `/`, a doubled `_`, ...) as a numeric character reference (`&#34;`), shown as itself."""
    flat = _one_line(text)
    return "".join(f"&#{ord(c)};" if c in _PUML_SPECIAL or (c == "_" and flat[i + 1:i + 2] == "_") else c
                   for i, c in enumerate(flat))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV data-dictionary cell a spreadsheet never evaluates: one starting with `=`, `+`,
    `-`, `@`, a tab or a carriage return is prefixed with `'` (OWASP's CSV-injection defence);
    quoting, commas and line breaks are the csv module's."""
    return "'" + text if text.startswith(_FORMULA_START) else text
