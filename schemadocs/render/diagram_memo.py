"""A relation page's diagrams found again by what they are drawn from, without their DOT source.

In: the catalog, its ER and lineage graphs, the diagram cache (`diagrams/`) and the memo file
(`diagram-inputs.json`, beside the database's page cache: `.schemadocs-cache/pages/`, or
`pages/<database>/` in a site of several databases, each keeping its own). Out: each relation page's ER
and lineage `Diagram`, either built (`diagrams.er_diagram`, `diagrams.lineage_diagram`) or,
when the same inputs were drawn by the previous build and their SVG is still in the cache, a
`Diagram` that names that SVG by its key (`Diagram.key`), with no DOT source: `render_diagrams`
then puts in the same placeholder without building and hashing the DOT source again (about a fifth
of a one-table rebuild's CPU time at 1,000 tables).

The inputs' key holds everything `er_diagram` reads: the page, the depth, the centre, its
neighbours within that depth (nearest first, as drawn), the `repr` of each of those relations
what a table's label shows of each of those relations (`_label`: column names and types, the
key marks) and what is drawn of every edge of the ER graph touching them (`_edge`: foreign keys
by name and columns, virtual ones, inheritance); for `lineage_diagram`, the page, the centre
and the relations it reads and that read it (its nodes show names only); for `schema_diagram`
(a schema's, a subject area's or a viewpoint's), the page, its tables' labels or names, the
tables around them and every edge touching them. `page_cache.render_inputs`
(the code of schemadocs, the templates, the library and Python versions) joins every key, so
new code never finds an old diagram; `tests/render/test_diagram_memo.py` changes each field of
a relation, column and foreign key and checks that a change to the DOT source changes the key
(statistics, comments and the like change neither, so a one-table migration, which ages every
table's statistics, draws again only the diagrams around it). The memo keeps what this build used; it is written when that changed.
Without a Graphviz program (Mermaid diagrams) nothing is memoised.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import networkx as nx

from schemadocs.atomic import write_atomic
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import neighbours
from schemadocs.model import Catalog, ForeignKey, QualifiedName
from schemadocs.render.diagrams import (SVG_FORMAT, Diagram, dot_program, er_diagram, lineage_diagram,
                                         schema_diagram, svg_key)
from schemadocs.render.page_cache import render_inputs
from schemadocs.render.svg_trim import SVG_FORM

MEMO_FILE = "diagram-inputs.json"
Entry = list  # [SVG key, not drawn [[name, href], ...], not-drawn list id]


class DiagramMemo:
    """The relation diagrams of one build, with those of the previous build found by their inputs."""

    def __init__(self, cache_dir: Path, catalog: Catalog, er: nx.MultiDiGraph, lineage: nx.DiGraph,
                 diagram_dir: Path) -> None:
        self.path = cache_dir / MEMO_FILE
        self.catalog, self.er, self.lineage, self.diagram_dir = catalog, er, lineage, diagram_dir
        self.enabled = dot_program() is not None
        self.inputs = f"{render_inputs()}\n{SVG_FORMAT}\n{SVG_FORM}"
        self.previous: dict[str, Entry] = _load(self.path, self.inputs) if self.enabled else {}
        self.used: dict[str, Entry] = {}
        self.labels: dict[QualifiedName, tuple[object, ...]] = {}
        self.reused = 0

    def er_diagram(self, center: QualifiedName, page: str, labels: dict, depth: int = 1) -> Diagram:
        """`diagrams.er_diagram` of `center` on `page`, or the SVG its inputs were drawn as before."""
        return self._diagram(lambda: self.er_key(center, page, depth),
                             lambda: er_diagram(self.catalog, self.er, center, page, labels, depth))

    def lineage_diagram(self, center: QualifiedName, page: str) -> Diagram:
        """`diagrams.lineage_diagram` of `center` on `page`, or the SVG its inputs were drawn as before."""
        return self._diagram(lambda: self.lineage_key(center, page),
                             lambda: lineage_diagram(self.catalog, self.lineage, center, page))

    def schema_diagram(self, tables: Sequence[QualifiedName], page: str, detailed: bool,
                       labels: dict | None = None) -> Diagram:
        """`diagrams.schema_diagram` of `tables` on `page`, or the SVG its inputs were drawn as before."""
        return self._diagram(lambda: self.schema_key(tables, page, detailed),
                             lambda: schema_diagram(self.catalog, self.er, tables, page, detailed, labels))

    def save(self) -> None:
        """Keep what this build used for the next one (written only when it changed)."""
        if self.enabled and self.used != self.previous:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps({"inputs": self.inputs, "diagrams": self.used}, sort_keys=True))

    def _diagram(self, key_of: Callable[[], str], build: Callable[[], Diagram]) -> Diagram:
        if not self.enabled:
            return build()
        key = key_of()
        entry = self.previous.get(key)
        if entry is not None and (self.diagram_dir / f"{entry[0]}.svg").exists():
            self.used[key] = entry
            self.reused += 1
            return Diagram(dot="", mermaid="", not_drawn=tuple((name, href) for name, href in entry[1]),
                           not_drawn_id=entry[2], key=entry[0])
        diagram = build()
        self.used[key] = [svg_key(diagram), [list(pair) for pair in diagram.not_drawn], diagram.not_drawn_id]
        return diagram

    def er_key(self, center: QualifiedName, page: str, depth: int = 1) -> str:
        """The hash of what `diagrams.er_diagram` draws `center`'s diagram on `page` from."""
        around = neighbours(self.er, center, depth)
        shown = [center, *around]
        edges = sorted(_edge(s, t, data) for q in shown if q in self.er
                       for s, t, data in (*self.er.out_edges(q, data=True), *self.er.in_edges(q, data=True)))
        text = repr(("er", page, depth, center, around, [self._label(q) for q in shown], edges))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def schema_key(self, tables: Sequence[QualifiedName], page: str, detailed: bool) -> str:
        """The hash of what `diagrams.schema_diagram` draws `tables` on `page` from: each table's
        label (detailed) or name, the tables around them (names only) and the edges touching them."""
        inside = [q for q in tables if q in self.er]
        around = sorted({n for q in inside for n in (*self.er.successors(q), *self.er.predecessors(q))} - set(tables))
        edges = sorted(_edge(s, t, data) for q in inside
                       for s, t, data in (*self.er.out_edges(q, data=True), *self.er.in_edges(q, data=True)))
        shown = [self._label(q) for q in tables] if detailed else list(tables)
        text = repr(("schema", page, detailed, shown, around, edges))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def lineage_key(self, center: QualifiedName, page: str) -> str:
        """The hash of what `diagrams.lineage_diagram` draws `center`'s diagram on `page` from."""
        ups = sorted({s for s, _, kind in self.lineage.in_edges(center, data="kind") if kind is Edge.READS})
        downs = sorted({t for _, t, kind in self.lineage.out_edges(center, data="kind") if kind is Edge.READS})
        return hashlib.sha256(repr(("lineage", page, center, ups, downs)).encode("utf-8")).hexdigest()

    def _label(self, qname: QualifiedName) -> tuple[object, ...]:
        """What a table's label in an ER diagram shows of it (`diagrams._html_label`): its name, and
        each column's name and type with its primary or foreign key mark; once per build."""
        if qname not in self.labels:
            rel = self.catalog.relation(qname)
            self.labels[qname] = (qname,) if rel is None else (
                qname, tuple((c.name, c.type) for c in rel.columns),
                rel.primary_key.columns if rel.primary_key else None,
                tuple(sorted({c for f in rel.foreign_keys for c in f.columns})))
        return self.labels[qname]


def _edge(source: QualifiedName, target: QualifiedName, data: dict[str, object]) -> tuple[object, ...]:
    """What an ER diagram draws of an edge of the ER graph: its ends, kind, and a foreign key's
    name, columns and whether it is virtual."""
    fk = data.get("fk")
    kind = data.get("kind")
    return (source, target, getattr(kind, "value", repr(kind)),
            *((fk.name, fk.columns, fk.virtual) if isinstance(fk, ForeignKey) else ()))


def _load(path: Path, inputs: str) -> dict[str, Entry]:
    """The previous build's entries, when it ran the same code (nothing otherwise, or when unreadable)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("inputs") != inputs or not isinstance(data.get("diagrams"), dict):
        return {}
    return {key: entry for key, entry in data["diagrams"].items()
            if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and re.fullmatch(r"[0-9a-f]{64}", entry[0]) and isinstance(entry[2], str) and isinstance(entry[1], list)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in entry[1])}
