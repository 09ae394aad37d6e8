"""The least an agent needs to write a query over some tables: DDL-like text and join paths.

In: `Sources`, the relations asked for, and a budget in characters. Out: a dict with `sql`
(one `CREATE TABLE`/`CREATE VIEW`-like block per relation: columns, types, NOT NULL,
keys, foreign keys, the labels of enum columns, comments as one-line `--` comments), the
`joins` that connect the relations (shortest paths on the foreign-key graph, undirected;
tables only passed through are added, with their key columns only) and `left_out`: to fit
the budget, comments go first, then the non-key columns of the tables passed through, then
the non-key columns of the rest, and last the text is cut.
"""

from __future__ import annotations

from itertools import chain
import networkx as nx

from schemadocs.api.bounded import bound_text
from schemadocs.api.objects import Data, Sources
from schemadocs.api.paths import ObjectKind
from schemadocs.api.resolve import resolve
from schemadocs.errors import ConfigError
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import partition_root
from schemadocs.model import EnumType, ForeignKey, QualifiedName, Relation, quote_ident
from schemadocs.render.escape import sql_comment

MAX_TABLES = 20


def sql_context(src: Sources, tables: list[str], max_chars: int) -> Data:
    """The DDL-like context and join paths for `tables`, within `max_chars` of SQL text."""
    if not tables:
        raise ConfigError("pass one or more relation names (schema.relation)")
    if len(tables) > MAX_TABLES:
        raise ConfigError(f"pass at most {MAX_TABLES} relations; ask for the others in a second call")
    asked = list(dict.fromkeys(partition_root(src.catalog, resolve(src, t, (ObjectKind.RELATION,), columns=False).qname)
                               for t in tables))
    joins, via, unjoined = join_paths(src, asked)
    relations = [r for q in [*asked, *via] if (r := src.catalog.relation(q)) is not None]
    steps = [("comments", dict(comments=False, via_keys_only=False, keys_only=False)),
             ("non-key columns of tables only joined through", dict(comments=False, via_keys_only=True, keys_only=False)),
             ("non-key columns", dict(comments=False, via_keys_only=True, keys_only=True))]
    left_out: list[str] = []
    text = _sql(src, relations, set(via), joins, comments=True, via_keys_only=False, keys_only=False)
    for what, options in steps:
        if len(text) <= max_chars:
            break
        left_out.append(what)
        text = _sql(src, relations, set(via), joins, **options)
    if len(text) > max_chars:
        left_out.append("the end of the text")
        text = bound_text(text, max_chars, "ask for fewer relations, or raise max_chars")
    return {"relations": [str(q) for q in asked], "joined_through": [str(q) for q in via],
            "joins": joins, "not_joined": [str(q) for q in unjoined], "sql": text, "left_out": left_out}


def join_paths(src: Sources, asked: list[QualifiedName]) -> tuple[list[Data], list[QualifiedName], list[QualifiedName]]:
    """The joins connecting `asked`: each next relation by the shortest foreign-key path to
    any relation already connected. Returns the joins, the relations passed through, and the
    relations no foreign-key path reaches."""
    graph = nx.Graph()
    for s, t, data in src.graphs.er.edges(data=True):
        if data.get("kind") is Edge.FOREIGN_KEY and s != t and not graph.has_edge(s, t):
            graph.add_edge(s, t, fk=data["fk"], owner=s)
    joins: list[Data] = []
    connected, via, unjoined = [asked[0]], [], []
    for q in asked[1:]:
        best = None
        for have in connected:
            try:
                path = nx.shortest_path(graph, have, q)
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                continue
            if best is None or (len(path), path) < (len(best), best):
                best = path
        if best is None:
            unjoined.append(q)
            connected.append(q)
            continue
        for a, b in zip(best, best[1:]):
            edge = graph.edges[a, b]
            joins.append(_join(edge["owner"], edge["fk"]))
            for n in (a, b):
                if n not in connected:
                    connected.append(n)
                    if n not in asked:
                        via.append(n)
    unique = list({(j["from"], j["to"], j["constraint"]): j for j in joins}.values())
    return unique, via, unjoined


def _join(owner: QualifiedName, fk: ForeignKey) -> Data:
    on = " AND ".join(f"{owner}.{quote_ident(c)} = {fk.target}.{quote_ident(r)}" for c, r in zip(fk.columns, fk.ref_columns))
    return {"from": str(owner), "to": str(fk.target), "constraint": fk.name, "on": on}


def _sql(src: Sources, relations: list[Relation], via: set[QualifiedName], joins: list[Data], *, comments: bool,
         via_keys_only: bool, keys_only: bool) -> str:
    blocks = ["-- join paths (foreign keys)\n" + "\n".join(f"-- {sql_comment(j['on'])}" for j in joins)] if joins else []
    blocks += [_block(src, rel, comments, keys_only or (via_keys_only and rel.qname in via), rel.qname in via)
               for rel in relations]
    return "\n\n".join(blocks) + "\n"


def _block(src: Sources, rel: Relation, comments: bool, keys_only: bool, via: bool) -> str:
    keys = set(chain.from_iterable(c.columns for c in rel.constraints if c.kind in ("primary_key", "foreign_key", "unique")))
    lines: list[str] = []
    if via:
        lines.append("-- joined through (not asked for)")
    if comments and rel.comment:
        lines.append(f"-- {sql_comment(rel.comment)}")
    verb = {"view": "VIEW", "materialized_view": "MATERIALIZED VIEW", "foreign_table": "FOREIGN TABLE"}.get(rel.kind.value, "TABLE")
    lines.append(f"CREATE {verb} {rel.qname} (")
    body: list[str] = []
    shown = [c for c in rel.columns if not keys_only or c.name in keys]
    for c in shown:
        line = f"    {quote_ident(c.name)} {c.type}{'' if c.nullable else ' NOT NULL'}"
        notes = []
        if isinstance(t := src.types.get(src.catalog.user_type(c.type) or QualifiedName("", "")), EnumType):
            notes.append("one of " + ", ".join("'" + label.replace("'", "''") + "'" for label in t.labels))
        if comments and c.comment:
            notes.append(c.comment)
        body.append((line, sql_comment("; ".join(notes)) if notes else ""))
    if rel.primary_key is not None:
        body.append((f"    PRIMARY KEY ({', '.join(map(quote_ident, rel.primary_key.columns))})", ""))
    for fk in rel.declared_foreign_keys:
        body.append((f"    FOREIGN KEY ({', '.join(map(quote_ident, fk.columns))}) REFERENCES {fk.target} "
                     f"({', '.join(map(quote_ident, fk.ref_columns))})", ""))
    for i, (line, note) in enumerate(body):
        comma = "," if i < len(body) - 1 else ""
        lines.append(f"{line}{comma}" + (f"  -- {note}" if note else ""))
    if len(shown) < len(rel.columns):
        lines.append(f"    -- {len(rel.columns) - len(shown)} more columns left out")
    lines.append(");")
    return "\n".join(lines)


