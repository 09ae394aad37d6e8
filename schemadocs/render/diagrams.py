"""ER neighbourhood diagrams: Graphviz SVG, drawn by the system's `dot` or by graphviz-pure.

In: the catalog, the ER graph and the page a diagram goes on. Out: a `Diagram` (its DOT and
Mermaid sources), then, via `render_diagrams`, one HTML fragment per diagram: a placeholder
naming a cached SVG whose nodes link to their pages (the SVG joins the built page after
MkDocs has processed its Markdown: `schemadocs/inline_diagrams.py`), or a Mermaid block the
browser draws when no Graphviz program is found (`dot_program`). SVGs are cached by a hash of
their DOT source; the missing ones are drawn in batches, one `dot` process per batch, batches in
parallel on all cores (`svg_draw`). A hub's many neighbours are wrapped into a grid (`diagram_layout`), and
each SVG's colours carry a class per role, coloured by the site's CSS in either scheme
(`diagram_theme`); the page's script adds pan, zoom and full screen (docs_templates/assets/).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import sysconfig
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import graphviz
from markupsafe import Markup
import networkx as nx

from schemadocs import progress
from schemadocs.lineage.edges import Edge
from schemadocs.render.svg_draw import draw_batches
from schemadocs.render.svg_trim import SVG_FORM
from schemadocs.lineage.er_graph import neighbours
from schemadocs.model import Catalog, QualifiedName, Relation
from schemadocs.render.diagram_layout import chains, wrapped_fans
from schemadocs.render.diagram_theme import colour
from schemadocs.render.escape import dot_html, dot_text, mermaid_text
from schemadocs.render.slugs import column_anchor, relation_page, relative_html

log = logging.getLogger(__name__)
MAX_NEIGHBOURS = 20
MAX_COLUMNS = 12
DOT_BATCH = 32  # diagrams per `dot` process (1,377 diagrams: 14.7 s with a process each, 2.8 s in batches)
SVG_MARK = "<!-- schemadocs-svg "  # how a page's Markdown names a diagram: SVG_MARK, its key, " -->"
SVG_PLACEHOLDER = re.compile(re.escape(SVG_MARK) + r"([0-9a-f]{64}) -->")
SVG_FORMAT = "themed-1"  # joins the cache key: a change to how an SVG is post-processed draws every diagram again


def svg_placeholder(key: str) -> str:
    """What a page's Markdown holds where the SVG of the diagram `key` (its cache file's stem) goes."""
    return f"{SVG_MARK}{key} -->"


@dataclass(frozen=True)
class Diagram:
    dot: str
    mermaid: str
    not_drawn: tuple[tuple[str, str], ...] = ()  # (name, href) of what a '+N more' node stands for
    not_drawn_id: str = ""  # the id of their list on the page, which that node links to
    key: str = ""  # its cached SVG's key when known without the DOT source (render.diagram_memo)


def svg_key(diagram: Diagram) -> str:
    """The name of the diagram's SVG in the cache: a hash of its DOT source and of how SVG is post-processed."""
    return diagram.key or hashlib.sha256(f"{SVG_FORMAT}\n{SVG_FORM}\n{diagram.dot}".encode("utf-8")).hexdigest()


class _Drawing:
    """One diagram built once and written twice: Graphviz DOT and its Mermaid fallback."""

    def __init__(self, name: str, page: str, stagger: bool = True) -> None:
        self.page = page
        self.stagger = stagger  # wrap a hub's leaves over several ranks (diagram_layout)
        self.dot = graphviz.Digraph(name, graph_attr={"rankdir": "LR", "bgcolor": "transparent",
                                                      "fontname": "Helvetica", "nodesep": "0.25"},
                                    node_attr={"fontname": "Helvetica", "fontsize": "10", "fontcolor": colour("ink"),
                                               "color": colour("line")},
                                    edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": colour("edge"),
                                               "fontcolor": colour("ink")})
        self.mermaid = ["flowchart LR"]
        self.ids: dict[object, str] = {}
        self.edges: list[tuple[str, str, dict[str, str]]] = []  # drawn in done(), with their rank hints
        self.not_drawn: list[QualifiedName] = []

    def node(self, key: object, text: str, href: str | None, html_label: str | None = None, **attrs: str) -> str:
        node_id = self.ids.setdefault(key, f"n{len(self.ids)}")
        link = {"URL": dot_text(href), "target": "_top"} if href else {}
        if html_label is not None:
            self.dot.node(node_id, label=html_label, shape="plain", tooltip=dot_text(text), **link)
        else:
            style = {"shape": "box", "style": "rounded,filled", "fillcolor": colour("paper"), **attrs}
            self.dot.node(node_id, label=dot_text(_short(text, 48)), tooltip=dot_text(text), **link, **style)
        self.mermaid.append(f'  {node_id}["{mermaid_text(_short(text, 48))}"]')
        if href:
            self.mermaid.append(f'  click {node_id} href "{href}"')
        return node_id

    def edge(self, source: object, target: object, label: str = "", dashed: bool = False, arrow: bool = True) -> None:
        a, b = self.ids[source], self.ids[target]
        self.edges.append((a, b, {"label": dot_text(_short(label)), **({"style": "dashed"} if dashed else {}),
                                  **({} if arrow else {"dir": "none"})}))
        arrow_text = ("-.->" if dashed else "-->") if arrow else "---"
        self.mermaid.append(f'  {a} {arrow_text}|"{mermaid_text(_short(label))}"| {b}' if label else f"  {a} {arrow_text} {b}")

    def inheritance(self, child: object, parent: object) -> None:
        """A child table → its INHERITS parent: a bold edge with a hollow arrowhead, unlike a foreign key."""
        a, b = self.ids[child], self.ids[parent]
        self.edges.append((a, b, {"label": "inherits", "style": "bold", "arrowhead": "empty", "color": colour("inherit")}))
        self.mermaid.append(f'  {a} ==>|"inherits"| {b}')

    def inheritance_edges(self, graph: nx.MultiDiGraph, tables: Iterable[QualifiedName]) -> None:
        """Every inheritance edge of `graph` touching `tables` whose two ends are drawn."""
        found = {(s, t) for q in tables for s, t, kind in
                 (*graph.out_edges(q, data="kind"), *graph.in_edges(q, data="kind")) if kind is Edge.INHERITS}
        for child, parent in sorted(found):
            if child in self.ids and parent in self.ids:
                self.inheritance(child, parent)

    def more(self, key: object, count: int, href: str, attach_to: object | None = None, upstream: bool = False,
             text: str = "more") -> None:
        """A '+N more' note linking to where the page lists what it stands for, tied to `attach_to` if given."""
        self.node(key, f"+{count} {text}", href, shape="note", fillcolor=colour("note"))
        if attach_to is not None:
            self.edge(key, attach_to, dashed=True) if upstream else self.edge(attach_to, key, dashed=True)

    def more_listed(self, hidden: Sequence[QualifiedName], attach_to: object | None = None, text: str = "more") -> None:
        """A '+N more' note for relations drawn nowhere else on the page: they are listed below the diagram."""
        self.not_drawn = list(hidden)
        self.more("more", len(hidden), f"#{self.dot.name}-not-drawn", attach_to, text=text)

    def done(self) -> Diagram:
        pairs = [(a, b) for a, b, _ in self.edges]
        extra, invisible = wrapped_fans(pairs) if self.stagger else ([{} for _ in pairs], [])
        for (a, b, attrs), more in zip(self.edges, extra):
            self.dot.edge(a, b, **attrs, **more)
        if self.stagger:
            invisible += [pair for row in chains(list(self.ids.values()), pairs) for pair in zip(row, row[1:])]
        for a, b in invisible:
            self.dot.edge(a, b, style="invis")
        not_drawn = tuple((str(q), relative_html(self.page, relation_page(q))) for q in self.not_drawn)
        return Diagram(dot=self.dot.source, mermaid="\n".join(self.mermaid) + "\n", not_drawn=not_drawn,
                       not_drawn_id=f"{self.dot.name}-not-drawn" if not_drawn else "")


def er_diagram(catalog: Catalog, graph: nx.MultiDiGraph, center: QualifiedName, page: str,
               labels: dict[tuple[str, QualifiedName, bool], str] | None = None, depth: int = 1) -> Diagram:
    """The table and its FK neighbourhood up to `depth` hops (either direction), nearest first,
    capped at MAX_NEIGHBOURS with a '+N more' node; every FK between drawn tables is drawn, and
    its inheritance parents and children with their own kind of edge.

    `labels` may be shared by the calls for one site: a table's label (its columns, linked)
    depends only on the folder of the page it is drawn on, and is built once per folder.
    """
    around = neighbours(graph, center, depth)
    drawing = _Drawing("er", page)
    labels = {} if labels is None else labels
    for qname in [center, *around[:MAX_NEIGHBOURS]]:
        key = (posixpath.dirname(page), qname, qname == center, relation_page(qname) == page)
        if key not in labels:
            labels[key] = _html_label(catalog.relation(qname), qname, page, qname == center)
        drawing.node(qname, str(qname), relative_html(page, relation_page(qname)), labels[key])
    drawn = [center, *around[:MAX_NEIGHBOURS]] if depth > 1 else [center]  # depth 1: only the center's own FKs
    edges = {(s, t, d["fk"].name): d["fk"] for q in drawn for s, t, d in
             [*graph.out_edges(q, data=True), *graph.in_edges(q, data=True)] if d["kind"] is Edge.FOREIGN_KEY}  # a self-reference is in both
    for (source, target, _), fk in sorted(edges.items()):
        if source in drawing.ids and target in drawing.ids:
            drawing.edge(source, target, ", ".join(fk.columns), dashed=fk.virtual)
    drawing.inheritance_edges(graph, drawn)
    if len(around) > MAX_NEIGHBOURS:
        drawing.more_listed(around[MAX_NEIGHBOURS:], center)
    return drawing.done()


def lineage_diagram(catalog: Catalog, graph: nx.DiGraph, center: QualifiedName, page: str) -> Diagram:
    """One hop of relation lineage each way: what the view reads → view → what reads it."""
    def readers(edges: Iterable[tuple[object, object, str]], pick: int) -> list[QualifiedName]:
        return sorted({e[pick] for e in edges if e[2] is Edge.READS})  # type: ignore[misc]

    ups = readers(graph.in_edges(center, data="kind"), 0)
    downs = readers(graph.out_edges(center, data="kind"), 1)
    drawing = _Drawing("lineage", page)
    drawing.node(center, str(center), relative_html(page, relation_page(center)), fillcolor=colour("center"))
    for upstream, side in ((True, ups), (False, downs)):
        for qname in side[:MAX_NEIGHBOURS]:
            drawing.node(qname, str(qname), relative_html(page, relation_page(qname)))
            drawing.edge(qname, center) if upstream else drawing.edge(center, qname)
        if len(side) > MAX_NEIGHBOURS:
            drawing.more(("more", upstream), len(side) - MAX_NEIGHBOURS, "#reads" if upstream else "#read-by",
                         center, upstream)  # the page's Reads and Read by sections list them all
    return drawing.done()


def overview_diagram(catalog: Catalog, layers: Sequence[Sequence[QualifiedName]], edges: Iterable[tuple[QualifiedName, QualifiedName]],
                     page: str) -> Diagram:
    """The analytics layer left to right: one column of nodes per layer, edges between them."""
    drawing = _Drawing("overview", page, stagger=False)  # dot ranks nodes left to right along the edges: one rank per layer
    for depth, layer in enumerate(layers):
        for qname in layer:
            drawing.node(qname, str(qname), relative_html(page, relation_page(qname)),
                         fillcolor=colour("layer") if depth else colour("paper"))
    for source, target in edges:
        if source in drawing.ids and target in drawing.ids:
            drawing.edge(source, target)
    return drawing.done()


def schema_diagram(catalog: Catalog, graph: nx.MultiDiGraph, tables: Sequence[QualifiedName], page: str,
                   detailed: bool, labels: dict[tuple[str, QualifiedName, bool], str] | None = None) -> Diagram:
    """The tables of a schema or of one subject area and the foreign keys (and inheritance) between them: with
    `detailed`, each table lists its columns; otherwise tables are names only (a compact view
    that stays readable at a hundred tables). The tables they reference or are referenced by
    elsewhere are drawn grey, capped at MAX_NEIGHBOURS with a '+N more' node."""
    drawing = _Drawing("schema", page)
    labels = {} if labels is None else labels
    inside = set(tables)
    for qname in tables:
        href = relative_html(page, relation_page(qname))
        if detailed:
            key = (posixpath.dirname(page), qname, False, False)  # as er_diagram keys a neighbour
            if key not in labels:
                labels[key] = _html_label(catalog.relation(qname), qname, page, False)
            drawing.node(qname, str(qname), href, labels[key])
        else:
            drawing.node(qname, qname.name, href)
    outside = sorted({n for q in tables for n in (*graph.successors(q), *graph.predecessors(q))} - inside)
    for qname in outside[:MAX_NEIGHBOURS]:
        drawing.node(qname, str(qname), relative_html(page, relation_page(qname)), fillcolor=colour("outside"), color=colour("outside-line"))
    if len(outside) > MAX_NEIGHBOURS:
        drawing.more_listed(outside[MAX_NEIGHBOURS:], text="more elsewhere")
    edges = {(s, t, k): d["fk"] for q in tables for s, t, k, d in
             (*graph.out_edges(q, keys=True, data=True), *graph.in_edges(q, keys=True, data=True))
             if d["kind"] is Edge.FOREIGN_KEY}
    for (source, target, _), fk in sorted(edges.items()):
        if source in drawing.ids and target in drawing.ids:
            drawing.edge(source, target, ", ".join(fk.columns) if detailed else "", dashed=fk.virtual)
    drawing.inheritance_edges(graph, tables)
    return drawing.done()


def area_map_diagram(areas: Sequence[tuple[str, int, str]], links: Iterable[tuple[int, int, int]], page: str) -> Diagram:
    """A schema too large for one diagram: one node per subject area (title, table count,
    link to its page), one edge per pair of areas joined by foreign keys, labelled with how many."""
    drawing = _Drawing("areas", page)
    for i, (title, tables, href) in enumerate(areas):
        drawing.node(i, f"{title} ({tables} tables)", href, fillcolor=colour("layer"))
    for a, b, fks in links:
        drawing.edge(a, b, f"{fks} FK{'s' if fks != 1 else ''}", arrow=False)
    return drawing.done()


def render_diagrams(diagrams: Sequence[Diagram], cache_dir: Path) -> list[Markup]:
    """HTML for each diagram: the placeholder of its cached Graphviz SVG (drawn in parallel
    when not cached yet), or Mermaid when no Graphviz program is found.

    The result is trusted markup: Graphviz escapes the (already escaped) label text it is
    given, and the Mermaid source is HTML-escaped here. The SVG stays out of the Markdown
    because MkDocs would parse it twice and the search plugin a third time, for nothing:
    that was half of the MkDocs build time.
    """
    dot_exe = dot_program()
    if dot_exe is None:
        log.warning("neither Graphviz 'dot' nor graphviz-pure was found, so diagrams are drawn by Mermaid in the "
                    "browser; install Graphviz (apt-get install graphviz, brew install graphviz) or "
                    "`pip install graphviz-pure` for SVG diagrams")
        return [Markup('<pre class="mermaid"><code>{}</code></pre>').format(d.mermaid) + not_drawn_list(d) for d in diagrams]
    keys = [svg_key(d) for d in diagrams]
    missing = sorted({k: d.dot for k, d in zip(keys, diagrams) if not (cache_dir / f"{k}.svg").exists()}.items())
    batches = [missing[i:i + DOT_BATCH] for i in range(0, len(missing), DOT_BATCH)]
    progress.count("diagrams", reused=len(set(keys)) - len(missing), drawn=len(missing))
    with progress.stage("diagrams", total=len(missing), detail=f"{len(set(keys)) - len(missing)} reused") as stage:
        draw_batches(batches, dot_exe, cache_dir, stage.advance)
    return [Markup(svg_placeholder(key)) + not_drawn_list(d) for key, d in zip(keys, diagrams)]


def not_drawn_list(diagram: Diagram) -> Markup:
    """What the diagram's '+N more' node stands for, as links in a disclosure its node opens
    (a browser opens a closed <details> to show a link's target inside it)."""
    if not diagram.not_drawn:
        return Markup("")
    items = Markup("").join(Markup('<li><a href="{}">{}</a></li>').format(href, name) for name, href in diagram.not_drawn)
    return Markup('\n<details class="sd-not-drawn" data-search-exclude><summary>{} more not drawn in the diagram</summary>'
                  '<ul id="{}">{}</ul></details>').format(len(diagram.not_drawn), diagram.not_drawn_id, items)


def dot_program() -> str | None:
    """The program that draws the diagrams, or None: $SCHEMADOCS_DOT when set, else Graphviz's
    `dot` on PATH, else graphviz-pure (a Rust port of Graphviz that pip installs with schemadocs,
    beside this Python or on PATH)."""
    named = os.environ.get("SCHEMADOCS_DOT")
    if named:
        return shutil.which(named)
    return (shutil.which("dot") or shutil.which("graphviz-pure", path=sysconfig.get_path("scripts"))
            or shutil.which("graphviz-pure"))


def _html_label(rel: Relation | None, qname: QualifiedName, page: str, highlight: bool) -> str:
    href = relative_html(page, relation_page(qname))
    rows_href = "" if relation_page(qname) == page else href  # a column of the page's own table: "#col-..."
    head_bg = colour("head") if highlight else colour("head2")
    rows = [f'<TR><TD BGCOLOR="{head_bg}" HREF="{dot_html(href)}" TITLE="{dot_html(str(qname))}">'
            f'<FONT COLOR="{colour("on-head")}"><B>{dot_html(_short(str(qname), 48))}</B></FONT></TD></TR>']
    if rel is not None:
        pk = set(rel.primary_key.columns) if rel.primary_key else set()
        fk = {c for f in rel.foreign_keys for c in f.columns}
        for col in rel.columns[:MAX_COLUMNS]:
            mark = "PK " if col.name in pk else "FK " if col.name in fk else ""
            rows.append(f'<TR><TD ALIGN="LEFT" HREF="{dot_html(rows_href)}#{column_anchor(col.name)}" TITLE="{dot_html(col.name)}">'
                        f'{dot_html(mark)}{dot_html(_short(col.name, 32))} <FONT COLOR="{colour("muted")}">{dot_html(_short(col.type, 24))}</FONT></TD></TR>')
        if len(rel.columns) > MAX_COLUMNS:
            rows.append(f'<TR><TD ALIGN="LEFT" HREF="{dot_html(href)}#columns"><I>+{len(rel.columns) - MAX_COLUMNS} more columns</I></TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="{colour("line")}" BGCOLOR="{colour("paper")}">{"".join(rows)}</TABLE>>'


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
