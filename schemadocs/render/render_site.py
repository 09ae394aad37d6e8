"""Render every generated page of the site, in memory.

In: a `Catalog` and the diagram cache directory. Out: `Site`, the generated Markdown pages
(docs-dir path → text) and the MkDocs navigation for them. Nothing is written here, so a
failure can never leave a half-rendered docs dir behind. `render_site` runs the stages in
order (graphs, page contexts, diagrams, templates); each is its own function so that the
benchmark can time them apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from schemadocs import progress
from schemadocs.checks.engine import Report
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.graphs import Graphs, build_graphs
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render.assets import site_assets
from schemadocs.render.clean import environment as clean_env
from schemadocs.render.clean import render_clean
from schemadocs.render.changes import (
    CHANGES_PAGE,
    BuildChanges,
    changed_badge,
    changes_page,
)
from schemadocs.render.contexts import (
    ColumnIndexPage,
    HomePage,
    OverviewPage,
    column_index_pages,
    home_page,
    overview_page,
)
from schemadocs.render.health_context import Health, finding_rows, health_context
from schemadocs.render.diagram_memo import DiagramMemo
from schemadocs.render.diagrams import (
    Diagram,
    er_diagram,
    lineage_diagram,
    area_map_diagram,
    overview_diagram,
    render_diagrams,
    schema_diagram,
)
from schemadocs.render.escape import page_title
from schemadocs.families.detect import Families
from schemadocs.render.family_context import FamilyPage, family_note, family_pages, home_rows
from schemadocs.render.fragments import fragment, lift_tables
from schemadocs.render.page_cache import LazyPage, PageCache, context_page
from schemadocs.project.overlay import Annotated
from schemadocs.render.project_context import ListPage, ProjectPages, note, project_pages, with_routine_notes
from schemadocs.render.relation_context import RelationPage, relation_page_context
from schemadocs.render.routine_context import RoutinePage, routine_pages
from schemadocs.render.schema_context import AreaPage, SchemaPage, schema_page_context
from schemadocs.render.slugs import (
    COLUMN_INDEX_PAGE,
    HEALTH_PAGE,
    HOME_PAGE,
    LINEAGE_PAGE,
    UNDOCUMENTED_PAGE,
    schema_page,
    type_page,
)
from schemadocs.render.templates import environment as templates_env
from schemadocs.render.templates import render, stylesheet
from schemadocs.template_cache import use_for
from schemadocs.render.type_context import TypePage, type_pages
from schemadocs.render.undocumented import UndocumentedPage, undocumented_page

NavEntry = dict[str, Any]
STYLESHEET = "assets/schemadocs.css"


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]
    nav: list[NavEntry]
    clean: dict[str, str] = dataclasses.field(default_factory=dict)  # each page's clean Markdown (render.clean), same paths
    graphs: Graphs | None = None  # the catalog's graphs, as the pages were rendered from them (shared with the api/ files)


@dataclass(frozen=True)
class Contexts:
    home: HomePage
    relations: list[RelationPage]  # in catalog.relations order
    overview: OverviewPage
    routines: list[RoutinePage]  # one per schema and routine name
    types: list[TypePage]
    schemas: list[SchemaPage]
    areas: list[AreaPage]  # the subject areas of the largest schemas
    undocumented: UndocumentedPage  # what has no comment (for the site's page and its clean copy alike)
    health: Health | None = None  # the Health pages, when the build linted the catalog
    project: ProjectPages | None = None  # the label, owner and viewpoint pages, with a project file
    families: tuple[FamilyPage, ...] = ()  # one page per schema family (render.family_context)


def render_site(catalog: Catalog, cache_dir: Path, draw: bool = True, changes: BuildChanges | None = None,
                pages: PageCache | None = None, er_depth: int = 1, report: Report | None = None,
                annotated: Annotated | None = None, families: Families | None = None,
                whole: Catalog | None = None) -> Site:
    """Build every page context, draw the diagrams (unless `draw` is False), render the templates.

    `cache_dir` keeps what pages refer to by placeholder, filled in after MkDocs: the
    diagrams' SVG (`diagrams/`) and large HTML fragments (`fragments/`); the memo of what each
    diagram was drawn from (`diagram_memo`) is kept beside the database's page cache (`pages`), so
    the databases of one site keep one each;
    with `changes`, a Changes page and a badge on the pages of the relations this build changed;
    with `pages`, the costly pages that did not change come from that cache. `er_depth` is how
    many foreign-key hops a table page's ER diagram reaches; with a lint `report`, the Health
    pages, and a Health section on each page whose relation or routine has findings; with the
    `annotated` catalog of a project file (`catalog` then being its `display`), owners, labels and
    description sources on the pages, and the label, owner and viewpoint pages. With `families`
    (found in `whole`, the catalog before `families.collapse` left one representative per family in
    `catalog`), a page per family, and families on the home, navigation and representatives' pages."""
    for env in (templates_env(), clean_env()):  # compiled templates kept beside the diagrams
        use_for(env, cache_dir)
    with progress.stage("graphs"):
        graphs = build_graphs(catalog)
    with progress.stage("page contexts"):
        health = health_context(catalog, report) if report is not None else None
        contexts = page_contexts(catalog, graphs, health)
        if annotated is not None:
            contexts = with_project(catalog, contexts, annotated)
        if families:
            contexts = with_families(catalog, contexts, families, whole or catalog)
    if draw:
        memo_dir = pages.directory if pages is not None and pages.directory is not None else cache_dir
        contexts = with_diagrams(catalog, graphs, contexts, cache_dir / "diagrams", er_depth, memo_dir)
    with progress.stage("pages"):
        site = render_pages(catalog, contexts, changes, pages, cache_dir / "fragments")
        return dataclasses.replace(site, clean=clean_pages(catalog, contexts, changes, pages), graphs=graphs)


def page_contexts(catalog: Catalog, graphs: Graphs, health: Health | None = None) -> Contexts:
    """The contexts of the home, schema, area, relation, routine, type, Undocumented and Health
    pages and the lineage overview, without diagrams."""
    schemas, areas = [], []
    for schema in catalog.schemas:
        page, its_areas = schema_page_context(catalog, graphs.er, schema.name)
        schemas.append(page)
        areas += its_areas
    relations = [relation_page_context(catalog, graphs.lineage, rel) for rel in catalog.relations]
    routines = routine_pages(catalog, graphs.lineage)
    home = home_page(catalog)
    if health is not None:
        found = health.by_subject
        relations = [dataclasses.replace(p, health=finding_rows(catalog, found[rel.qname], p.path))
                     if rel.qname in found else p for rel, p in zip(catalog.relations, relations)]
        routines = [dataclasses.replace(p, health=finding_rows(catalog, found[p.qname], p.path))
                    if p.qname in found else p for p in routines]
        home = dataclasses.replace(home, health=health.counts)
    return Contexts(home=home, relations=relations, overview=overview_page(graphs.layers, catalog), routines=routines,
                    types=type_pages(catalog), schemas=schemas, areas=areas, undocumented=undocumented_page(catalog),
                    health=health)


def with_project(catalog: Catalog, contexts: Contexts, annotated: Annotated) -> Contexts:
    """The contexts with the project file's notes on their pages, and its own pages."""
    relations = [dataclasses.replace(p, project=note(annotated, ("relation", r.schema, r.name), p.path,
                                                     (c.name for c in r.columns)))
                 for r, p in zip(catalog.relations, contexts.relations)]
    schemas = [dataclasses.replace(p, project=note(annotated, ("schema", p.title), p.path)) for p in contexts.schemas]
    type_keys = {type_page(t.qname): ("type", t.schema, t.name)
                 for t in (*catalog.enums, *catalog.domains, *catalog.composite_types)}
    types = [dataclasses.replace(p, project=note(annotated, type_keys[p.path], p.path)) if p.path in type_keys else p
             for p in contexts.types]
    routines = [with_routine_notes(annotated, p) for p in contexts.routines]
    return dataclasses.replace(contexts, relations=relations, schemas=schemas, types=types,
                               routines=routines, project=project_pages(catalog, annotated))  # type: ignore[arg-type]


def with_families(catalog: Catalog, contexts: Contexts, families: Families, whole: Catalog) -> Contexts:
    """The contexts with a page per family, the families on the home page, and on each
    representative's schema page the family it stands for."""
    schemas = [dataclasses.replace(p, family=family_note(families, p.title, p.path)) for p in contexts.schemas]
    return dataclasses.replace(contexts, schemas=schemas, home=dataclasses.replace(contexts.home, families=home_rows(families)),
                               families=tuple(family_pages(whole, families, catalog)))


def wanted_diagrams(catalog: Catalog, graphs: Graphs, contexts: Contexts,
                    er_depth: int = 1, memo: DiagramMemo | None = None) -> list[tuple[str, int, str, Diagram]]:
    """Every diagram the site shows: (Contexts field, index in it (0 for the overview), context field, diagram).
    With `memo`, a relation page's diagram drawn from the same inputs before names its SVG without its DOT source."""
    er, lineage = graphs.er, graphs.lineage
    wanted: list[tuple[str, int, str, Diagram]] = []
    labels: dict[tuple[str, QualifiedName, bool], str] = {}  # shared: each table's label built once per folder
    for i, (rel, page) in enumerate(zip(catalog.relations, contexts.relations)):
        if rel.qname in er:
            wanted.append(("relations", i, "diagram",
                           memo.er_diagram(rel.qname, page.path, labels, er_depth) if memo is not None
                           else er_diagram(catalog, er, rel.qname, page.path, labels, er_depth)))
        if rel.qname in lineage and any(k is Edge.READS for *_, k in
                                        [*lineage.in_edges(rel.qname, data="kind"), *lineage.out_edges(rel.qname, data="kind")]):
            wanted.append(("relations", i, "lineage_diagram",
                           memo.lineage_diagram(rel.qname, page.path) if memo is not None
                           else lineage_diagram(catalog, lineage, rel.qname, page.path)))
    def tables_diagram(tables: Sequence[QualifiedName], path: str, detailed: bool, shared: dict | None = None) -> Diagram:
        return (memo.schema_diagram(tables, path, detailed, shared) if memo is not None
                else schema_diagram(catalog, er, tables, path, detailed, shared))

    for i, schema in enumerate(contexts.schemas):
        if schema.er_tables:
            wanted.append(("schemas", i, "diagram", tables_diagram(schema.er_tables, schema.path,
                                                                   schema.er_mode == "detailed", labels)))
        elif schema.areas:
            wanted.append(("schemas", i, "diagram", area_map_diagram(
                [(a.link.text, a.tables, a.link.href or "") for a in schema.areas], schema.area_links, schema.path)))
    for i, area in enumerate(contexts.areas):
        wanted.append(("areas", i, "diagram", tables_diagram(area.members, area.path, False)))
    for i, viewpoint in enumerate(contexts.project.viewpoints if contexts.project else ()):
        wanted.append(("viewpoints", i, "diagram", tables_diagram(viewpoint.members, viewpoint.path, False)))
    if contexts.overview.drawn:
        wanted.append(("overview", 0, "diagram", overview_diagram(catalog, graphs.layers.layers, graphs.layers.edges,
                                                                  contexts.overview.path)))
    return wanted


def with_diagrams(catalog: Catalog, graphs: Graphs, contexts: Contexts, diagram_cache: Path,
                  er_depth: int = 1, memo_dir: Path | None = None) -> Contexts:
    """The same contexts with their diagrams drawn (SVG from the cache where unchanged; a relation
    page's diagram drawn from the same inputs by the previous build is not built again: `diagram_memo`,
    its file in `memo_dir`, by default the cache directory holding `diagram_cache`)."""
    memo = DiagramMemo(memo_dir or diagram_cache.parent, catalog, graphs.er, graphs.lineage, diagram_cache)
    wanted = wanted_diagrams(catalog, graphs, contexts, er_depth, memo)
    pages: dict[str, list[Any]] = {"relations": list(contexts.relations), "schemas": list(contexts.schemas),
                                   "areas": list(contexts.areas), "overview": [contexts.overview],
                                   "viewpoints": list(contexts.project.viewpoints if contexts.project else ())}
    for (field, i, name, _), html in zip(wanted, render_diagrams([d for *_, d in wanted], diagram_cache)):
        pages[field][i] = dataclasses.replace(pages[field][i], **{name: html})
    memo.save()
    (overview,) = pages.pop("overview")
    viewpoints = pages.pop("viewpoints")
    project = dataclasses.replace(contexts.project, viewpoints=tuple(viewpoints)) if contexts.project else None
    return dataclasses.replace(contexts, overview=overview, project=project, **pages)


def with_rows_fragment(lazy: LazyPage, fragments: Path | None) -> LazyPage:
    """A column index page whose rows' table is a fragment placeholder (render.fragments), so
    MkDocs never parses it; without a fragment directory, the page keeps it inline."""
    def context() -> ColumnIndexPage:
        page = lazy.context()
        assert isinstance(page, ColumnIndexPage)
        table = render("columns_rows.html.j2", page) if page.rows else ""
        if fragments is None or not table:
            return dataclasses.replace(page, rows_html=Markup(table))
        return dataclasses.replace(page, rows_html=fragment(table, fragments))
    return dataclasses.replace(lazy, context=context, key=(lazy.key, fragments is not None))


def render_pages(catalog: Catalog, contexts: Contexts, changes: BuildChanges | None = None,
                 cache: PageCache | None = None, fragments: Path | None = None) -> Site:
    """Every page's Markdown, and the navigation: Home, Lineage, Columns, then one entry per schema
    (with a change history or a migration plan, a Changes page after Columns). With `fragments`,
    the search-excluded tables are fragments there, named by placeholder (render.fragments). With
    `cache`, a page whose context did not change since it was last rendered is read back from it."""
    cache = cache or PageCache(None)
    lifted: set[str] = set()  # the pages lifted as they were rendered (or read back lifted from the cache)

    def page(path: str, template: str, context: object) -> str:
        return lazy_page(context_page(path, template, context))

    def lazy_page(lazy: LazyPage) -> str:
        if fragments is not None:
            lifted.add(lazy.path)
        return cache.render(lazy, lift=fragments)

    pages = {HOME_PAGE: page(HOME_PAGE, "home.md.j2", contexts.home), STYLESHEET: stylesheet(), **site_assets(),
             LINEAGE_PAGE: page(LINEAGE_PAGE, "lineage.md.j2", contexts.overview),
             **{part.path: lazy_page(with_rows_fragment(part, fragments)) for part in column_index_pages(catalog)}}
    pages.update({p.path: page(p.path, "schema.md.j2", p) for p in contexts.schemas})
    pages.update({p.path: page(p.path, "area.md.j2", p) for p in contexts.areas})
    for rel, relation in zip(catalog.relations, contexts.relations):
        if changes is not None:
            relation = dataclasses.replace(relation, changed=changed_badge(relation.path, changes, rel.qname))
        pages[relation.path] = page(relation.path, "relation.md.j2", relation)
    pages.update({p.path: page(p.path, "routine.md.j2", p) for p in contexts.routines})
    pages.update({p.path: page(p.path, "type.md.j2", p) for p in contexts.types})
    pages[UNDOCUMENTED_PAGE] = page(UNDOCUMENTED_PAGE, "undocumented.md.j2", contexts.undocumented)
    pages.update({p.path: page(p.path, "family.md.j2", p) for p in contexts.families})
    nav: list[NavEntry] = [{"Home": HOME_PAGE}, {"Lineage": LINEAGE_PAGE}, {"Columns": COLUMN_INDEX_PAGE},
                           {"Schemas": [{page_title(s.name): schema_page(s.name)} for s in catalog.schemas]}]
    if contexts.families:
        nav.append({"Families": [{page_title(p.name): p.path} for p in contexts.families]})
    if contexts.health is not None:
        pages[HEALTH_PAGE] = page(HEALTH_PAGE, "health.md.j2", contexts.health.page)
        pages.update({p.path: page(p.path, "health_rule.md.j2", p) for p in contexts.health.rules})
        nav.insert(3, {"Health": HEALTH_PAGE})
    if contexts.project is not None:
        nav += project_nav(contexts.project)
        pages.update({p.path: page(p.path, "project_list.md.j2", p)
                      for p in (*contexts.project.labels, *contexts.project.owners)})
        pages.update({p.path: page(p.path, "viewpoint.md.j2", p) for p in contexts.project.viewpoints})
    if changes is not None and (changes.history or changes.plan is not None):
        pages[CHANGES_PAGE] = page(CHANGES_PAGE, "changes.md.j2", changes_page(
            catalog, changes.history, changes.plan, this_build_changed=changes.this_build is not None))
        nav.insert(3, {"Changes": CHANGES_PAGE})
    if fragments is not None:
        pages = {path: lift_tables(text, fragments) if path.endswith(".md") and path not in lifted else text
                 for path, text in pages.items()}
    return Site(pages=pages, nav=nav)


def project_nav(project: ProjectPages) -> list[NavEntry]:
    """Viewpoints, Labels and Owners, after the schemas (each only when it has pages)."""
    nav: list[NavEntry] = []
    for title, items in (("Viewpoints", project.viewpoints), ("Labels", project.labels), ("Owners", project.owners)):
        if items:
            nav.append({title: [{page_title(p.name if isinstance(p, ListPage) else p.title): p.path} for p in items]})
    return nav


def clean_pages(catalog: Catalog, contexts: Contexts, changes: BuildChanges | None = None,
                cache: PageCache | None = None) -> dict[str, str]:
    """Every generated page as clean Markdown (`render.clean`), keyed by the page's docs-dir path:
    the same pages `render_pages` renders, from the same contexts, without HTML or diagrams; with
    `cache`, read back where the page's context did not change."""
    cache = cache or PageCache(None)

    def page(path: str, template: str, context: object) -> str:
        return cache.render(context_page(path, template, context, render_clean))

    clean = {HOME_PAGE: page(HOME_PAGE, "home.md.j2", contexts.home),
             LINEAGE_PAGE: page(LINEAGE_PAGE, "lineage.md.j2", contexts.overview)}
    clean.update({lazy.path: cache.render(dataclasses.replace(lazy, template="columns.md.j2", renderer=render_clean))
                  for lazy in column_index_pages(catalog)})
    clean.update({p.path: page(p.path, "schema.md.j2", p) for p in contexts.schemas})
    clean.update({p.path: page(p.path, "area.md.j2", p) for p in contexts.areas})
    clean.update({p.path: page(p.path, "relation.md.j2", p) for p in contexts.relations})
    clean.update({p.path: page(p.path, "routine.md.j2", p) for p in contexts.routines})
    clean.update({p.path: page(p.path, "type.md.j2", p) for p in contexts.types})
    clean[UNDOCUMENTED_PAGE] = page(UNDOCUMENTED_PAGE, "undocumented.md.j2", contexts.undocumented)
    clean.update({p.path: page(p.path, "family.md.j2", p) for p in contexts.families})
    if contexts.health is not None:
        clean[HEALTH_PAGE] = page(HEALTH_PAGE, "health.md.j2", contexts.health.page)
        clean.update({p.path: page(p.path, "health_rule.md.j2", p) for p in contexts.health.rules})
    if contexts.project is not None:
        clean.update({p.path: page(p.path, "project_list.md.j2", p)
                      for p in (*contexts.project.labels, *contexts.project.owners)})
        clean.update({p.path: page(p.path, "viewpoint.md.j2", p) for p in contexts.project.viewpoints})
    if changes is not None and changes.history:
        clean[CHANGES_PAGE] = page(CHANGES_PAGE, "changes.md.j2", changes_page(catalog, changes.history))
    return clean
