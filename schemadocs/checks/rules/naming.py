"""Rules on names: names that must be quoted, names at PostgreSQL's 63-byte limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import QualifiedName, quote_ident

CALLED = ("function", "procedure", "aggregate", "window", "type")  # named where the grammar wants a type_function_name
NAME_LIMIT = 63  # NAMEDATALEN - 1 bytes: PostgreSQL truncates longer identifiers silently


@rule("name-needs-quoting", level=Level.WARNING, category=Category.NAMING,
      title="A schema, table, view, column, sequence, routine or type whose name must be double-quoted",
      why="Upper case, spaces, punctuation and reserved words make every query that names the object quote it "
          "exactly; an unquoted reference folds to lower case and fails or, worse, finds another object.",
      fix="Rename it to lower case letters, digits and underscores (ALTER TABLE ... RENAME TO ...; "
          "ALTER TABLE ... RENAME COLUMN ... TO ...), and update the code that names it.",
      traps="Only names people type in queries are checked; index, constraint, trigger and policy names "
            "(named in DDL only, often generated from the table's name) are not. Unreserved keywords (name, "
            "type), column-name keywords as table or column names (timestamp, position, values), type/function "
            "keywords as routine names (left), non-ASCII letters and $ after the first character are all valid "
            "unquoted there and are not reported, although quote_ident quotes some of them.")
def name_needs_quoting(ctx: Context) -> Iterator[Hit]:
    for n in named_objects(ctx, typed_only=True,
                           wanted=lambda kind, name: needs_quoting(name, callable_name=kind in CALLED)):
        yield Hit(object=n.object, message=f"{n.kind} name {quote_ident(n.name)} must be double-quoted",
                  subject=n.subject)


@lru_cache(maxsize=1 << 16)  # the same column names recur across tables
def needs_quoting(name: str, *, callable_name: bool) -> bool:
    """PostgreSQL would not read `name` back unquoted: it is not a valid lower-case identifier, or a
    keyword the grammar refuses there (a routine or type name: reserved and column-name keywords;
    any other name: reserved and type/function-name keywords)."""
    if not _PLAIN.fullmatch(name):
        return True
    return name in RESERVED_KEYWORDS or name in (COL_NAME_KEYWORDS if callable_name else TYPE_FUNC_NAME_KEYWORDS)


# lower-case letters, _ and any non-ASCII character; after the first also digits and $
_PLAIN = re.compile("[a-z_\x80-\U0010ffff][a-z0-9_$\x80-\U0010ffff]*")


@rule("name-at-length-limit", level=Level.WARNING, category=Category.NAMING,
      title="A name of 63 bytes, PostgreSQL's limit: a longer name given was probably truncated",
      why="PostgreSQL cuts identifiers to 63 bytes with only a NOTICE; two long names can then collide, and "
          "scripts that use the full name no longer find the object.",
      fix="Rename it to a shorter name (ALTER ... RENAME TO ...).",
      traps="Bytes are counted, not characters (multi-byte UTF-8 names reach the limit sooner); names shorter "
            "than 63 bytes are never reported. A primary key, unique or exclusion constraint is reported once, "
            "as its index (renaming the index renames the constraint). Names PostgreSQL generated (t_pkey, "
            "t_c_fkey) are truncated too and are reported: name them explicitly.")
def name_at_length_limit(ctx: Context) -> Iterator[Hit]:
    for n in named_objects(ctx, typed_only=False, wanted=_at_limit):
        yield Hit(object=n.object, subject=n.subject,
                  message=f"{n.kind} name is {NAME_LIMIT} bytes long, the limit: it may have been truncated")


def _at_limit(kind: str, name: str) -> bool:
    """`name` is NAME_LIMIT bytes or more (a UTF-8 character is at most 4 bytes: shorter texts are not encoded)."""
    return len(name) * 4 >= NAME_LIMIT and len(name.encode("utf-8")) >= NAME_LIMIT


@dataclass(frozen=True)
class Named:
    kind: str
    name: str
    object: str
    subject: QualifiedName | None


def named_objects(ctx: Context, *, typed_only: bool, wanted: Callable[[str, str], bool]) -> Iterator[Named]:
    """Every named object whose kind and name `wanted` accepts, with its finding `object`;
    `typed_only` leaves out names used in DDL only. Each distinct column name is asked once."""
    catalog = ctx.catalog
    for s in catalog.schemas:
        if wanted("schema", s.name):
            yield Named("schema", s.name, quote_ident(s.name), None)
    columns = {name for name in ctx.index.column_names if wanted("column", name)}
    for r in catalog.relations:
        if wanted(r.kind.label, r.name):
            yield Named(r.kind.label, r.name, str(r.qname), r.qname)
        if columns:
            for c in r.columns:
                if c.name in columns:
                    yield Named("column", c.name, f"{r.qname}.{quote_ident(c.name)}", r.qname)
        if typed_only:
            continue
        for i in r.indexes:
            if wanted("index", i.name):
                yield Named("index", i.name, str(QualifiedName(r.schema, i.name)), r.qname)
        index_names = {i.name for i in r.indexes}  # a key's constraint shares its index's name: named once
        constraints = tuple(c for c in r.constraints if c.name not in index_names)
        for kind, items in (("constraint", constraints), ("trigger", r.triggers), ("policy", r.policies)):
            for item in items:
                if wanted(kind, item.name):
                    yield Named(kind, item.name, f"{r.qname}.{quote_ident(item.name)}", r.qname)
    for f in catalog.routines:
        if wanted(f.kind, f.name):
            yield Named(f.kind, f.name, f.signature, QualifiedName(f.schema, f.name))
    for q in catalog.sequences:
        if wanted("sequence", q.name):
            yield Named("sequence", q.name, str(q.qname), q.owned_by)
    for t in (*catalog.enums, *catalog.domains, *catalog.composite_types):
        if wanted("type", t.name):
            yield Named("type", t.name, str(t.qname), None)
