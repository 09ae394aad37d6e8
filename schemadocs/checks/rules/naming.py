"""Rules on names: names that must be quoted, names at PostgreSQL's 63-byte limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.index_key import index_name
from schemadocs.checks.names import NAME_LIMIT, may_reach_limit
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import QualifiedName, quote_ident



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
    for n in named_objects(ctx, select=_needing_quotes):
        yield Hit(object=n.object, message=f"{n.kind} name {quote_ident(n.name)} must be double-quoted",
                  subject=n.subject)


def _needing_quotes(names: Collection[str], callable_name: bool) -> set[str]:
    """The names that need quotes. When every name is a valid lower-case identifier (one pattern
    over them all, joined by a character no name holds), only the keywords among them do."""
    if _ALL_PLAIN.fullmatch("\x00".join(names)):
        return (CALLABLE_KEYWORDS if callable_name else NAME_KEYWORDS).intersection(names)
    return {name for name in names if needs_quoting(name, callable_name=callable_name)}


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
_ALL_PLAIN = re.compile(f"{_PLAIN.pattern}(?:\x00{_PLAIN.pattern})*")  # names joined by NUL, which no name holds
NAME_KEYWORDS = RESERVED_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS  # what needs_quoting refuses as a plain name
CALLABLE_KEYWORDS = RESERVED_KEYWORDS | COL_NAME_KEYWORDS  # ... and as a routine or type name


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
    for n in named_objects(ctx, select=at_limit, members=_members_at_limit):
        yield Hit(object=n.object, subject=n.subject,
                  message=f"{n.kind} name is {NAME_LIMIT} bytes long, the limit: it may have been truncated")


def at_limit(names: Collection[str], callable_name: bool = False) -> set[str]:
    """The names of NAME_LIMIT bytes or more in UTF-8. A character takes 1 to 4 bytes, so a name of
    NAME_LIMIT characters is long enough, one of fewer than a quarter of that is not, and only a
    non-ASCII name in between is encoded to count its bytes. Mostly there is none: every name ASCII
    and shorter, which max() and str.isascii tell without a Python step per name."""
    if not names or (len(max(names, key=len)) < NAME_LIMIT and all(map(str.isascii, names))):
        return set()
    return {name for name in names if len(name) >= NAME_LIMIT or (
        len(name) * 4 >= NAME_LIMIT and not name.isascii() and len(name.encode("utf-8")) >= NAME_LIMIT)}


@dataclass(frozen=True)
class Named:
    kind: str
    name: str
    object: str
    subject: QualifiedName | None


Select = Callable[[Collection[str], bool], set[str]]  # (names, callable_name) -> the names a rule reports


def named_objects(ctx: Context, *, select: Select,
                  members: Callable[[Context], Iterator[Named]] | None = None) -> Iterator[Named]:
    """Every named object whose name `select` picks, with its finding `object`. `select` gets the
    names of each kind of object at once (routine and type names, which the grammar reads apart,
    with `callable_name`; column names once each); the objects of a kind are walked again only when
    it picked some. `members`, when given, finds the indexes, constraints, triggers and policies to
    report too (names used in DDL only)."""
    catalog = ctx.catalog
    picked = select([s.name for s in catalog.schemas], False)
    yield from (Named("schema", s.name, quote_ident(s.name), None) for s in catalog.schemas if s.name in picked)
    picked = select(ctx.index.relation_names, False)
    if picked:
        yield from (Named(r.kind.label, r.name, str(r.qname), r.qname) for r in catalog.relations if r.name in picked)
    picked = select(ctx.index.column_names, False)
    if picked:  # the columns of only the relations that have such a name (their names are the keys of column_types)
        types = ctx.index.column_types
        yield from (Named("column", c.name, f"{r.qname}.{quote_ident(c.name)}", r.qname)
                    for r in catalog.relations if not picked.isdisjoint(types[r.schema, r.name])
                    for c in r.columns if c.name in picked)
    if members is not None:
        yield from members(ctx)
    picked = select([f.name for f in catalog.routines], True)
    yield from (Named(f.kind, f.name, f.identity, QualifiedName(f.schema, f.name))
                for f in catalog.routines if f.name in picked)
    picked = select([q.name for q in catalog.sequences], False)
    yield from (Named("sequence", q.name, str(q.qname), q.owned_by) for q in catalog.sequences if q.name in picked)
    types = (*catalog.enums, *catalog.domains, *catalog.composite_types)
    picked = select([t.name for t in types], True)
    yield from (Named("type", t.name, str(t.qname), None) for t in types if t.name in picked)


def _members_at_limit(ctx: Context) -> Iterator[Named]:
    """The indexes, constraints, triggers and policies whose names are at the limit, kind by kind (a
    key's constraint shares its index's name: it is named once, as the index). There are many: only a
    name of NAME_LIMIT characters or a non-ASCII one can reach the limit, and `at_limit` decides those
    few. The catalog index picks the indexes' and tables' constraints' as its passes read them."""
    index = ctx.index
    for kind, members_of in _MEMBERS:
        if kind == "index":
            found = list(index.index_names_near_limit)
        elif kind == "constraint":  # tables' from the index; other relations' (a foreign table's checks) here
            found = [*index.constraint_names_near_limit,
                     *((r, m) for r in index.constrained_others for m in r.constraints if may_reach_limit(m.name))]
        else:
            relations = index.with_triggers if kind == "trigger" else index.with_policies
            found = [(r, m) for r in relations for m in members_of(r) if may_reach_limit(m.name)]
        picked = at_limit([m.name for _, m in found]) if found else set()
        for r, m in found:
            if m.name not in picked:
                continue
            if kind == "index":
                yield Named(kind, m.name, index_name(r, m), r.qname)
            elif kind != "constraint" or not any(i.name == m.name for i in r.indexes):
                yield Named(kind, m.name, f"{r.qname}.{quote_ident(m.name)}", r.qname)


_MEMBERS = (("index", attrgetter("indexes")), ("constraint", attrgetter("constraints")),
            ("trigger", attrgetter("triggers")), ("policy", attrgetter("policies")))
