"""Build one site of several databases.

In: the project's databases, each with its loaded catalog, and what `build` takes besides
(output folder, mkdocs.yml, the previous site, ER depth, the project's checks, descriptions
and virtual foreign keys). Out: the built site, as `schemadocs.build.build` makes it for one
database, but with each database's pages, `catalog.json`, `api/` files, change history, llms
files and page cache under its name (`<name>/`), rendered by the one-database renderer
(`build.render_database`), moved under the folder (`prefix`), the database in the breadcrumbs
(`crumbs`); a home page comparing them
(`home`); the navigation with a section per database; one search index over all pages,
each entry labelled with its database (`search_labels`); and an `llms.txt` listing each
database's own.

The project file's descriptions, labels, viewpoints and virtual foreign keys go to the
databases they name (`scope`).
"""

from __future__ import annotations

import json
from pathlib import Path

from schemadocs import incremental, progress
from schemadocs.build import (
    BuildResult,
    Rendered,
    _title,
    cache_of,
    check_output,
    render_database,
    run_mkdocs,
    sync_pages,
)
from schemadocs.checks.config import Settings
from schemadocs.errors import ConfigError
from schemadocs.families.settings import FamilySettings
from schemadocs.gc_pause import gc_frozen
from schemadocs.model import Catalog
from schemadocs.multisite.crumbs import with_database_crumbs
from schemadocs.multisite.home import databases_page
from schemadocs.multisite.prefix import prefixed_files, prefixed_nav
from schemadocs.site_snapshot import snapshot_file
from schemadocs.multisite.scope import check_named, project_for, virtual_for
from schemadocs.multisite.search_labels import LABELS_FILE
from schemadocs.project.databases import Database
from schemadocs.project.relations import VirtualRelation
from schemadocs.project.spec import Project
from schemadocs.render import llms
from schemadocs.render.cache_prune import prune_caches
from schemadocs.render.escape import markdown_text, page_title
from schemadocs.render.machine_files import MachineFiles
from schemadocs.render.packed_diagrams import packs
from schemadocs.render.render_site import NavEntry
from schemadocs.render.slugs import HOME_PAGE
from schemadocs.render.templates import render


def build_databases(loaded: list[tuple[Database, Catalog]], out_dir: Path, config_file: Path | None = None,
                    previous: Path | None = None, er_depth: int = 1, checks: Settings | None = None,
                    virtual: tuple[VirtualRelation, ...] = (), project: Project | None = None,
                    site_url: str | None = None, families: FamilySettings | None = None,
                    llms_full_max_chars: int | None = None, machine: MachineFiles = MachineFiles(),
                    diagrams: str = "auto") -> BuildResult:
    """Render every database under its folder, add the comparing home page, build the site.
    `previous` is the previous build's site directory (each database's changes come from its
    folder there; a database new since then has none); `diagrams`: as for one database (`build`)."""
    config_file, docs_dir = check_output(out_dir, config_file)
    if previous is not None and not Path(previous).is_dir():
        raise ConfigError(f"--previous {previous}: a site of several databases compares with the previous "
                          "site's directory (each database's catalog.json is in its folder); pass that directory")
    check_named(project, [(db.name, catalog) for db, catalog in loaded])
    parts = [render_part(db, catalog, docs_dir, previous, er_depth, checks, virtual, project, families,
                         machine.api_objects) for db, catalog in loaded]
    return build_parts(loaded, parts, out_dir, config_file, docs_dir, site_url, llms_full_max_chars, machine,
                       diagrams)


def render_part(db: Database, catalog: Catalog, docs_dir: Path, previous: Path | None = None, er_depth: int = 1,
                checks: Settings | None = None, virtual: tuple[VirtualRelation, ...] = (),
                project: Project | None = None, families: FamilySettings | None = None,
                api_objects: bool = True) -> Rendered:
    """One database's pages and files, rendered as for one database (`render_database`), not yet
    under its folder; what the project file says of other databases is left out (`scope`)."""
    with progress.stage(f"database {db.name}"):
        before = Path(previous) / db.name if previous is not None else None
        return render_database(catalog, docs_dir, before if before and snapshot_file(before) else None,
                               er_depth, checks, None, virtual_for(catalog, virtual), project_for(project, catalog),
                               pages_cache=f"pages/{db.name}", families=families, api_objects=api_objects)


def build_parts(loaded: list[tuple[Database, Catalog]], parts: list[Rendered], out_dir: Path, config_file: Path,
                docs_dir: Path, site_url: str | None = None, llms_full_max_chars: int | None = None,
                machine: MachineFiles = MachineFiles(), diagrams: str = "auto") -> BuildResult:
    """The site of the databases' rendered parts (`render_part`, in `loaded`'s order): each
    under its folder, the comparing home page, one search, then MkDocs (incremental when few
    pages changed, as for one database)."""
    files: dict[str, str] = {}
    nav: list[NavEntry] = [{"Home": HOME_PAGE}]
    extra: dict[str, str] = {}
    changes = None
    for (db, _), part in zip(loaded, parts):
        files.update(with_database_crumbs(prefixed_files(part.files, db.name), db.name))
        nav.append({page_title(db.name): prefixed_nav(part.site.nav, db.name)})
        extra.update(prefixed_files(llms.machine_files(part.shown, part.site, {}, llms_full_max_chars,
                                                       machine.markdown), db.name))
        if part.changes is not None:
            this = part.changes.this_build
            changes = (changes or 0) + (len(this.changes) if this else 0)
    files[HOME_PAGE] = render("databases.md.j2", databases_page([(db, part.display, part.report)
                                                                 for (db, _), part in zip(loaded, parts)]))
    files[LABELS_FILE] = json.dumps({db.name: db.name for db, _ in loaded}, indent=0) + "\n"
    extra[llms.LLMS_TXT] = llms_index(loaded, machine.markdown)
    with progress.stage("write pages"):
        hand_written = sync_pages(docs_dir, files)
        nav += [{_title(p): p} for p in hand_written]
        if machine.markdown:
            extra.update({p: (docs_dir / p).read_text(encoding="utf-8") for p in hand_written})
    with gc_frozen():
        plan = run_mkdocs(config_file, docs_dir, nav, Path(out_dir), tuple(hand_written), extra, site_url,
                          packs(diagrams, (text for path, text in files.items() if path.endswith(".md"))))
    for part in parts:
        part.page_cache.prune()
    prune_caches(cache_of(docs_dir), files.values())
    return BuildResult(out_dir=Path(out_dir), docs_dir=docs_dir,
                       generated_pages=sum(len(p.site.pages) for p in parts) + 1,
                       hand_written_pages=len(hand_written),
                       rebuilt_files=None if plan.changed is None else len(plan.changed), changes=changes,
                       rendered_pages=incremental.rendered_pages(plan))


def llms_index(loaded: list[tuple[Database, Catalog]], markdown: bool = True) -> str:
    """The site's `llms.txt`: the databases, each linking to its own `llms.txt` and `llms-full.txt`
    (`markdown=False`: to its `llms.txt` alone, the site publishing no Markdown copies)."""
    lines = ["# Databases", "", f"> {len(loaded)} PostgreSQL databases documented by schemadocs, each in its folder.", ""]
    for db, catalog in loaded:
        about = f": {markdown_text(db.description)}" if db.description else ""
        full = f"; every page in one file: [{db.name}/{llms.LLMS_FULL}]({db.name}/{llms.LLMS_FULL})" if markdown else ""
        lines.append(f"- [{db.name}]({db.name}/{llms.LLMS_TXT}) ({markdown_text(catalog.database)}){about}{full}")
    return "\n".join(lines) + "\n"
