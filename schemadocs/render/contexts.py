"""Page contexts: everything a template shows, computed in Python from the model and graphs.

In: a `Catalog` and its ER and lineage graphs. Out: one context object per page (home,
lineage overview, column index here; schema, relation, routine and type pages each in
their own `*_context.py`) and the link and grant rows they share, holding display-ready values and page-relative links, so templates hold no logic beyond
loops and presence checks.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from schemadocs.lineage.layers import Layers
from schemadocs.model import Catalog, Grant, QualifiedName, Relation, RelationKind
from schemadocs.render.page_cache import LazyPage
from schemadocs.render.slugs import (
    COLUMN_INDEX_PAGE,
    HOME_PAGE,
    LINEAGE_PAGE,
    UNDOCUMENTED_PAGE,
    column_anchor,
    column_index_part,
    relation_page,
    relative_html,
    schema_page,
    slug,
)

MAX_OVERVIEW_NODES = 250  # beyond this the overview is listed by layer, not drawn
TOP_TABLES = 10  # largest and most-connected tables listed on the home page
MAX_COLUMN_INDEX_ROWS = 5000  # columns on one column index page; beyond, one page per initial letter


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # page-relative URL in the built site; None when the target isn't documented


def relation_link(catalog: Catalog, page: str, qname: QualifiedName, anchor: str = "",
                  schema: str | None = None) -> Link:
    """A link from `page` to a relation's page (at `anchor`); its text leaves out the schema
    when it is `schema` (the page's own); no href when the relation is not documented."""
    text = qname.name if qname.schema == schema else str(qname)
    known = catalog.relation(qname) is not None
    return Link(text, relative_html(page, relation_page(qname)) + (f"#{anchor}" if anchor else "") if known else None)


@dataclass(frozen=True)
class GrantRow:
    grantee: str
    privileges: str


@dataclass(frozen=True)
class SchemaRow:
    link: Link
    comment: str | None
    counts: str


@dataclass(frozen=True)
class HomePage:
    path: str
    database: str
    server_version: str
    counts: tuple[tuple[str, int], ...]
    schemas: tuple[SchemaRow, ...]
    extensions: tuple[tuple[str, str, str], ...]  # name, version, schema
    skipped_sizes: tuple[str, ...]
    coverage: tuple[tuple[str, int, int, str], ...]  # (what, documented, total, the Undocumented page's list of the rest)
    largest: tuple[tuple[Link, str], ...]  # (relation, total size), biggest first
    most_connected: tuple[tuple[Link, int], ...]  # (table, foreign keys in and out), most first
    health: tuple[tuple[str, int, str], ...] = ()  # (level, findings, Health page href), when linted
    families: tuple[Any, ...] = ()  # schema families (render.family_context.FamilyRow), when found


@dataclass(frozen=True)
class LayerRow:
    title: str
    relations: tuple[Link, ...]  # A→Z
    aliases: tuple[tuple[Link, Link], ...] = ()  # (view, the relation it only renames), A→Z


@dataclass(frozen=True)
class OverviewPage:
    path: str
    home: Link
    layers: tuple[LayerRow, ...]
    relations: int
    drawn: bool  # False when the analytics layer is too large for one readable diagram
    diagram: Markup = Markup("")


@dataclass(frozen=True)
class ColumnIndexRow:
    anchor: str | None  # set on the first row of each column name: <page>#<anchor>
    column: str
    relation: Link  # to the column's anchor on its relation's page
    type: str
    comment: str | None
    indexed: str = ""  # "yes" (leads an index), "not first", "no"; "" for a view's column
    references: str = ""  # the tables its foreign keys reference, virtual ones marked (`references`)


@dataclass(frozen=True)
class ColumnIndexPart:
    link: Link  # "a", "b", ... "other": the part's page
    columns: int
    names: int


@dataclass(frozen=True)
class ColumnIndexPage:
    path: str
    title: str
    home: Link
    index: Link | None  # the column index, from one of its parts
    rows: tuple[ColumnIndexRow, ...]  # empty on the index of a split column index
    parts: tuple[ColumnIndexPart, ...]  # the pages of a split column index, on its index page
    columns: int
    names: int  # distinct column names
    partitions: int  # partitions left out (their columns are their parent's)
    rows_html: Markup = Markup("")  # the rows' table, as a fragment placeholder (render.fragments)


def column_index_pages(catalog: Catalog) -> list[LazyPage]:
    """Every column of every relation (partitions aside), sorted by column name, then relation.

    Up to MAX_COLUMN_INDEX_ROWS columns make one page; beyond, the column index lists one page
    per initial letter (names that start otherwise share the page "other"), so no page grows
    past what a browser shows at once and a migration re-renders only the letters it touches.
    The pages are lazy (`page_cache`): each is keyed by its rows, so an unchanged part is
    neither built nor rendered again.
    """
    listed = sorted(((c.name, r.schema, r.name, c.type, c.comment, indexed.get(c.name, "no") if not r.kind.is_view else "",
                      refs.get(c.name, ""))
                     for r in catalog.documented for indexed, refs in [(index_positions(r), references(r))]
                     for c in r.columns),
                    key=lambda row: (row[0].casefold(), row))
    partitions = sum(1 for r in catalog.relations if r.partition_of)
    names = len({name for name, *_ in listed})
    home = Link("Home", relative_html(COLUMN_INDEX_PAGE, HOME_PAGE))
    if len(listed) <= MAX_COLUMN_INDEX_ROWS:
        return [LazyPage(COLUMN_INDEX_PAGE, "columns.md.j2", (listed, partitions), lambda: ColumnIndexPage(
            path=COLUMN_INDEX_PAGE, title="Columns", home=home, index=None, rows=_column_rows(COLUMN_INDEX_PAGE, listed),
            parts=(), columns=len(listed), names=names, partitions=partitions))]
    by_key: dict[str, list[ColumnListing]] = {}
    for row in listed:
        by_key.setdefault(column_index_key(row[0]), []).append(row)
    parts = sorted(by_key.items(), key=lambda kv: (kv[0] == "other", kv[0]))
    pages = [LazyPage(column_index_part(key), "columns.md.j2", (rows, partitions), partial(_column_index_part, key, rows, partitions))
             for key, rows in parts]
    index = ColumnIndexPage(
        path=COLUMN_INDEX_PAGE, title="Columns", home=home, index=None, rows=(),
        parts=tuple(ColumnIndexPart(link=Link(key, relative_html(COLUMN_INDEX_PAGE, column_index_part(key))),
                                    columns=len(rows), names=len({name for name, *_ in rows})) for key, rows in parts),
        columns=len(listed), names=names, partitions=partitions)
    return [LazyPage(COLUMN_INDEX_PAGE, "columns.md.j2", repr(index), lambda: index), *pages]


ColumnListing = tuple[str, str, str, str, str | None, str, str]  # column, schema, relation, type, comment, indexed, references


def references(rel: Relation) -> dict[str, str]:
    """Per column of a relation, the tables its foreign keys reference (`s.t`, and `s.t (virtual)`
    for a key the project file declares), in key order, `; `-separated."""
    found: dict[str, list[str]] = {}
    for fk in rel.foreign_keys:
        target = f"{fk.target} (virtual)" if fk.virtual else str(fk.target)
        for column in fk.columns:
            if target not in found.setdefault(column, []):
                found[column].append(target)
    return {column: "; ".join(targets) for column, targets in found.items()}


def index_positions(rel: Relation) -> dict[str, str]:
    """Per column of a table, "yes" when it leads one of its indexes (a lookup or a foreign-key
    check by it can use the index), "not first" when it is in one only after another column."""
    found: dict[str, str] = {}
    for index in rel.indexes:
        for i, column in enumerate(index.columns):
            if i == 0 or found.get(column) != "yes":
                found[column] = "yes" if i == 0 else "not first"
    return found


def _column_index_part(key: str, rows: list[ColumnListing], partitions: int) -> ColumnIndexPage:
    page = column_index_part(key)
    return ColumnIndexPage(
        path=page, title=f"Columns: {key}",
        home=Link("Home", relative_html(page, HOME_PAGE)),
        index=Link("Columns", relative_html(page, COLUMN_INDEX_PAGE)),
        rows=_column_rows(page, rows), parts=(), columns=len(rows),
        names=len({name for name, *_ in rows}), partitions=partitions,
    )


def column_index_key(name: str) -> str:
    """The part of a split column index a column name is listed on: its initial a-z, else "other"."""
    first = name[:1].lower()
    return first if "a" <= first <= "z" else "other"


def _column_rows(page: str, listed: list[ColumnListing]) -> tuple[ColumnIndexRow, ...]:
    """The rows of one column index page."""
    rows, seen, links = [], set(), {}
    for name, schema, relation, type_, comment, indexed, refs in listed:
        if (schema, relation) not in links:
            qname = QualifiedName(schema, relation)
            links[schema, relation] = (str(qname), relative_html(page, relation_page(qname)))
        text, href = links[schema, relation]
        rows.append(ColumnIndexRow(
            anchor=None if name in seen else f"name-{slug(name)}",
            column=name,
            relation=Link(text, f"{href}#{column_anchor(name)}"),
            type=type_, comment=comment, indexed=indexed, references=refs,
        ))
        seen.add(name)
    return tuple(rows)


def overview_page(found: Layers, catalog: Catalog | None = None) -> OverviewPage:
    """The lineage overview: base tables → intermediate views → analytics views, by layer, each
    layer A→Z; with the catalog, a layer's alias views (`alias_of`) are listed apart, grouped."""
    page = LINEAGE_PAGE
    total = sum(len(layer) for layer in found.layers)

    def link(q: QualifiedName) -> Link:
        return Link(str(q), relative_html(page, relation_page(q)))

    rows = []
    for i, layer in enumerate(found.layers):
        aliases = {q: target for q in layer if catalog is not None and (target := alias_of(catalog, q)) is not None}
        rows.append(LayerRow(
            title="Base relations" if i == 0 else f"Views, level {i}",
            relations=tuple(link(q) for q in sorted(layer) if q not in aliases),
            aliases=tuple((link(q), link(target)) for q, target in sorted(aliases.items()))))
    return OverviewPage(
        path=page,
        home=Link("Home", relative_html(page, HOME_PAGE)),
        layers=tuple(rows),
        relations=total,
        drawn=0 < total <= MAX_OVERVIEW_NODES,
    )


def alias_of(catalog: Catalog, qname: QualifiedName) -> QualifiedName | None:
    """The one relation a view only renames: it reads just that relation, filters on none of
    its columns, and each of its columns is one column of it (a compatibility or short-name
    view such as `pe.a` over `person.address`, which may show a column twice); else None."""
    view = catalog.relation(qname)
    if view is None or not view.kind.is_view or len(view.reads) != 1 or view.filter_columns or not view.column_lineage:
        return None
    target = view.reads[0].target
    sources = [c.sources for c in view.column_lineage]
    if any(len(s) != 1 or s[0].relation != target for s in sources):
        return None
    return target


def home_page(catalog: Catalog) -> HomePage:
    """The database, its server version, its schemas and what they hold."""
    kinds = Counter(r.kind for r in catalog.relations)
    counts = (
        ("schemas", len(catalog.schemas)),
        *((f"{k.label}s", kinds[k]) for k in RelationKind if kinds[k]),
        *((("of them partitions", partitions),) if (partitions := sum(1 for r in catalog.relations if r.partition_of)) else ()),
        ("columns (partitions' included)", sum(len(r.columns) for r in catalog.relations)),
        ("foreign keys", sum(len(r.declared_foreign_keys) for r in catalog.relations)),
        ("indexes", sum(len(r.indexes) for r in catalog.relations)),
        ("functions and procedures", len(catalog.routines)),
        ("enums", len(catalog.enums)),
        ("domains", len(catalog.domains)),
        ("composite types", len(catalog.composite_types)),
        ("sequences", len(catalog.sequences)),
        ("triggers", sum(len(r.triggers) for r in catalog.relations)),
        ("RLS policies", sum(len(r.policies) for r in catalog.relations)),
    )
    rows = []
    for schema in catalog.schemas:
        per_kind = Counter(r.kind for r in catalog.in_schema(schema.name))
        rows.append(SchemaRow(
            link=Link(schema.name, relative_html(HOME_PAGE, schema_page(schema.name))),
            comment=schema.comment,
            counts=", ".join(f"{per_kind[k]} {k.label}{'s' if per_kind[k] != 1 else ''}" for k in RelationKind if per_kind[k])
            or "empty",
        ))
    return HomePage(path=HOME_PAGE, database=catalog.database, server_version=catalog.server_version,
                    counts=counts, schemas=tuple(rows),
                    extensions=tuple((e.name, e.version, e.schema) for e in catalog.extensions),
                    skipped_sizes=tuple(str(q) for q in catalog.skipped_sizes),
                    coverage=coverage(catalog), largest=largest(catalog), most_connected=most_connected(catalog))


def coverage(catalog: Catalog) -> tuple[tuple[str, int, int, str], ...]:
    """How much of the database carries a comment: relations, columns, functions; each with the
    link to its list of what has none (the Undocumented page). Partitions are counted with their
    parent, as everywhere on the site but the Contents counts."""
    documented = catalog.documented
    columns = [c for r in documented for c in r.columns]
    page = relative_html(HOME_PAGE, UNDOCUMENTED_PAGE)
    return (
        ("tables and views with a comment (partitions aside)", sum(1 for r in documented if r.comment),
         len(documented), f"{page}#relations"),
        ("their columns with a comment", sum(1 for c in columns if c.comment), len(columns), f"{page}#columns"),
        ("functions and procedures with a comment", sum(1 for f in catalog.routines if f.comment),
         len(catalog.routines), f"{page}#routines"),
    )


def largest(catalog: Catalog, limit: int = TOP_TABLES) -> tuple[tuple[Link, str], ...]:
    """The biggest relations on disk (needs statistics)."""
    sized = [r for r in catalog.relations if r.stats and r.stats.total_size]
    sized.sort(key=lambda r: (-(r.stats.total_size or 0), r.qname))  # type: ignore[union-attr]
    return tuple((Link(str(r.qname), relative_html(HOME_PAGE, relation_page(r.qname))),
                  human_size(r.stats.total_size)) for r in sized[:limit])  # type: ignore[union-attr]


def most_connected(catalog: Catalog, limit: int = TOP_TABLES) -> tuple[tuple[Link, int], ...]:
    """The tables with the most foreign keys, counting both directions (partition copies aside)."""
    degree: Counter[QualifiedName] = Counter()
    for rel in catalog.relations:
        for fk in rel.declared_foreign_keys:
            degree[rel.qname] += 1
            degree[fk.target] += 1
    ranked = sorted((q for q in degree if catalog.relation(q)), key=lambda q: (-degree[q], q))
    return tuple((Link(str(q), relative_html(HOME_PAGE, relation_page(q))), degree[q]) for q in ranked[:limit])


def grant_rows(grants: tuple[Grant, ...]) -> tuple[GrantRow, ...]:
    """Grants grouped per role (and column): 'SELECT, UPDATE (with grant option)'."""
    by_role: dict[str, list[str]] = {}
    for g in grants:
        who = g.grantee + (f" on column {g.column}" if g.column else "")
        by_role.setdefault(who, []).append(g.privilege + (" (grantable)" if g.grantable else ""))
    return tuple(GrantRow(grantee=who, privileges=", ".join(privs)) for who, privs in sorted(by_role.items()))


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return ""
