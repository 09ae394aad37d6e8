"""The build pipeline after introspection: model → pages in the docs dir → MkDocs → site.

In: a `Catalog`, the output directory and (optionally) an mkdocs.yml. Out: the built site in
the output directory, switched in atomically only when MkDocs succeeded, so a failed or
killed build leaves the previous site untouched; an output folder holding anything but a
schemadocs site is refused (`schemadocs.out_guard`). Generated pages are tracked in a
manifest inside the docs dir: they are rewritten only when their text changes, stale ones
are removed, and hand-written pages beside them are kept and added to the navigation. When
only a few pages changed since the previous build, MkDocs renders just those over a copy of
the previous site (`schemadocs/incremental.py` decides, and keeps the search index whole).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from schemadocs import incremental, mkdocs_parallel, mkdocs_plugins, progress, spill, swap
from schemadocs.api.objects import sources
from schemadocs.api.static import api_files
from schemadocs.checks.config import Settings
from schemadocs.checks.engine import Report
from schemadocs.errors import BuildError, ConfigError
from schemadocs.families.collapse import collapse
from schemadocs.families.detect import Families, detect
from schemadocs.families.overlay import apply_shown
from schemadocs.families.lint import lint_families
from schemadocs.families.settings import FamilySettings
from schemadocs.gc_pause import gc_frozen, gc_paused
from schemadocs.model import Catalog
from schemadocs.render import assets
from schemadocs.release import release
from schemadocs.render.cache_prune import placeholders, prune_named
from schemadocs.out_guard import check_out_dir
from schemadocs.plan.model import Plan
from schemadocs.project.relations import VirtualRelation, with_virtual
from schemadocs.project.spec import Project
from schemadocs.render.changes import BuildChanges
from schemadocs.render import llms
from schemadocs.render.escape import page_title
from schemadocs.render.machine_files import MachineFiles, without_api_objects
from schemadocs.render.packed_diagrams import packs
from schemadocs.render.page_cache import PageCache
from schemadocs.render.render_site import NavEntry, Site, render_site
from schemadocs.site_snapshot import PLAIN, read_file, snapshot_file, snapshot_name, write_file

MANIFEST = ".schemadocs-manifest.json"
SNAPSHOT_FILE = PLAIN  # the snapshot a site was built from, kept in the site (a large one: .gz, `site_snapshot`)
HISTORY_FILE = "changes.json"  # the site's change history (schemadocs.diff.history)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    docs_dir: Path
    generated_pages: int
    hand_written_pages: int
    rebuilt_files: int | None  # changed docs-dir files MkDocs made again (pages and copies); None after a full build
    changes: int | None = None  # schema changes since the previous build; None without a previous snapshot
    rendered_pages: int | None = None  # of rebuilt_files, the Markdown pages MkDocs rendered; None after a full build


def build(catalog: Catalog, out_dir: Path, config_file: Path | None = None, previous: Path | None = None,
          er_depth: int = 1, checks: Settings | None = None, plan: Plan | None = None,
          llms_full_max_chars: int | None = None, virtual: tuple[VirtualRelation, ...] = (),
          project: Project | None = None, site_url: str | None = None,
          families: FamilySettings | None = None, machine: MachineFiles = MachineFiles(),
          diagrams: str = "auto") -> BuildResult:
    """Render the catalog into the docs dir and build the site into `out_dir`, atomically.

    The site keeps the snapshot it was built from (`catalog.json`) and, once something has
    changed, its change history (`changes.json`); see `build_changes` for `previous`.
    `er_depth`: how many foreign-key hops a table page's ER diagram reaches. The health checks
    run with `checks` (the project's settings; all rules by default) for the Health pages.
    `plan`, the plan of the migration applied since the previous build (`schemadocs plan
    --format json`), is shown on the Changes page; it needs `previous`.
    `project` (the project file's descriptions, owners, labels and viewpoints) is laid over the
    catalog for the pages (`project.overlay.apply`; names in hidden family members: `families.overlay`); the
    snapshot and the checks stay the catalog's.
    For machines, the site also gets `llms.txt`, `llms-full.txt` (at most `llms_full_max_chars`
    characters; `render.llms`) and a clean `.md` copy beside every page; `machine` may leave out
    the `.md` copies and `llms-full.txt`, or the per-object `api/` files (`render.machine_files`).
    `virtual`: the project file's virtual foreign keys, shown on every page, diagram and health
    finding; the site's snapshot and its changes are the database's alone. `site_url` (checked by
    `not_found.check_site_url`) overrides mkdocs.yml's; the 404 page works under a sub-path without one.
    Schema families (`families`: the project file's settings, detection on by default) are documented
    once each (`schemadocs.families`): the pages, API, llms files and Health pages see one
    representative per family; the snapshot (`catalog.json`) holds each family once, its members as
    what differs from the representative (`snapshot.dump_bytes`), and loads back as the whole catalog.
    `diagrams` (inline, packed or auto): how the diagrams' SVG goes into the pages (`render.packed_diagrams`).
    """
    config_file, docs_dir = check_output(out_dir, config_file)
    # the catalog frozen for the whole build, the collector off while rendering: `release` then walks
    # what the rendering left, not the catalog too (1 s for 80,000 tables)
    with spill.spilled_dir(cache_of(docs_dir)) as folder, gc_frozen():
        # rendered and written by a function of its own, so that the pages, the files and their
        # contexts are unreferenced once it returns: MkDocs then reuses their memory
        with gc_paused():
            written = _render_and_write(catalog, docs_dir, folder, previous, er_depth, checks, plan, virtual,
                                        project, families, machine, llms_full_max_chars, diagrams)
        release()
        with gc_frozen():  # MkDocs' collections then walk MkDocs' objects, not the catalog too
            done = run_mkdocs(config_file, docs_dir, written.nav, Path(out_dir), written.hand_written,
                              written.extra, site_url, written.packed)
    written.page_cache.prune()  # only now: a failed build keeps what the previous site's pages name
    prune_named(cache_of(docs_dir), written.diagrams, written.fragments)
    return BuildResult(out_dir=Path(out_dir), docs_dir=docs_dir, generated_pages=written.generated_pages,
                       hand_written_pages=len(written.hand_written),
                       rebuilt_files=None if done.changed is None else len(done.changed),
                       changes=written.changes, rendered_pages=incremental.rendered_pages(done))


@dataclass(frozen=True)
class Written:
    """What `build` keeps of the rendered database while MkDocs runs: no page text, no catalog."""

    nav: list[NavEntry]
    hand_written: tuple[str, ...]
    extra: Mapping[str, str]  # the files for machines, on disk until written into the site (`spill`)
    page_cache: PageCache
    diagrams: frozenset[str]  # the diagrams and fragments the pages name (what the caches keep)
    fragments: frozenset[str]
    packed: bool  # the diagrams go into the pages packed (`render.packed_diagrams`)
    generated_pages: int
    changes: int | None


def _render_and_write(catalog: Catalog, docs_dir: Path, folder: Path, previous: Path | None, er_depth: int,
                      checks: Settings | None, plan: Plan | None, virtual: tuple[VirtualRelation, ...],
                      project: Project | None, families: FamilySettings | None, machine: MachineFiles,
                      llms_full_max_chars: int | None, diagrams_choice: str = "auto") -> Written:
    """Render the database, write its pages into the docs dir and its files for machines into
    `folder`; return what the rest of the build needs (`Written`)."""
    part = render_database(catalog, docs_dir, previous, er_depth, checks, plan, virtual, project, families=families,
                           api_objects=machine.api_objects)
    site, changes = part.site, part.changes
    with progress.stage("write pages"):
        hand_written = sync_pages(docs_dir, part.files)
        extra = spill.Spilled(folder, llms.machine_files(
            part.shown, site, {p: (docs_dir / p).read_text(encoding="utf-8") for p in hand_written},
            llms_full_max_chars, machine.markdown))
    diagrams, fragments = placeholders(site.pages.values())
    return Written(nav=site.nav + [{_title(p): p} for p in hand_written], hand_written=tuple(hand_written),
                   extra=extra, page_cache=part.page_cache, diagrams=frozenset(diagrams),
                   fragments=frozenset(fragments), packed=packs(diagrams_choice, site.pages.values()),
                   generated_pages=len(site.pages),
                   changes=None if changes is None else len(changes.this_build.changes) if changes.this_build else 0)


@dataclass(frozen=True)
class Rendered:
    """One database's part of a site, in memory: its pages and files (docs-dir path → text:
    the pages, `catalog.json`, the `api/` files and `changes.json`), the catalog with the virtual
    foreign keys and the one the pages show, its lint report and changes, and the page cache it used."""

    site: Site
    files: dict[str, str]
    shown: Catalog
    display: Catalog  # what the pages show: `shown` with the project file's descriptions
    report: Report
    changes: BuildChanges | None
    page_cache: PageCache


def render_database(catalog: Catalog, docs_dir: Path, previous: Path | None = None, er_depth: int = 1,
                    checks: Settings | None = None, plan: Plan | None = None,
                    virtual: tuple[VirtualRelation, ...] = (), project: Project | None = None,
                    pages_cache: str = "pages", families: FamilySettings | None = None,
                    api_objects: bool = True) -> Rendered:
    """Lint and render one database's pages and files (`build` does the rest: writing them and
    MkDocs); the page cache lives in `pages_cache` under the build's cache directory;
    `api_objects=False` leaves out the per-object `api/` files (`render.machine_files`)."""
    from schemadocs import snapshot
    from schemadocs.diff import history

    if plan is not None and previous is None:
        raise ConfigError("a migration plan is shown next to the changes since the previous build; "
                          "pass --previous (the previous build's snapshot or site) with --plan")
    whole = with_virtual(catalog, virtual)
    # detected once (no stage of its own: a database without families shows the same stages), then
    # passed to everything that needs it: the Changes page, the health checks, the pages, the snapshot
    with gc_paused():  # detection and the health checks make many small acyclic objects: no collections
        found = detect(whole, families)
    changes = build_changes(catalog, previous, found, families)
    if changes is not None and plan is not None:
        changes = dataclasses.replace(changes, plan=plan)
    page_cache = PageCache(cache_of(docs_dir) / pages_cache, fragments=cache_of(docs_dir) / "fragments")
    shown = collapse(whole, found)
    annotated = apply_shown(whole, shown, found, project) if project is not None and not project.empty else None
    with progress.stage("health checks"), gc_paused():
        report = lint_families(whole, found, checks)  # without families: lint(whole), as shown is whole
    with gc_paused():  # page contexts are millions of small acyclic objects: collections would only walk them
        site = render_site(annotated.display if annotated else shown, cache_of(docs_dir), changes=changes,
                           pages=page_cache, er_depth=er_depth, report=report, annotated=annotated,
                           families=found, whole=whole)
    graphs = site.graphs if annotated is None else None  # the pages' graphs are of `shown` only without a project file
    files = {**site.pages, snapshot_name(catalog): snapshot.dumps(catalog, found), **api_files(sources(shown, report, graphs))}
    if not api_objects:
        files = without_api_objects(files)
    if changes is not None and changes.history:
        files[HISTORY_FILE] = history.dumps(changes.history)
    return Rendered(site, files, shown, annotated.display if annotated else shown, report, changes, page_cache)


def build_changes(catalog: Catalog, previous: Path | None, found: Families | None = None,
                  families: FamilySettings | None = None) -> BuildChanges | None:
    """What changed since the previous build, and the history; None without `previous`.

    `found`: the schema families of `catalog` (as the build detected them, with `families`, the
    project file's settings, which the previous catalog is read with too); detected here without it.

    `previous` is the previous build's snapshot file, its history being the `changes.json`
    beside it (both as downloaded from a published site, say), or a built site directory
    (its `catalog.json` and `changes.json`). The site then gets a Changes page and a
    "changed in this build" badge on the pages of the relations that changed.
    """
    from schemadocs import snapshot
    from schemadocs.diff import history
    from schemadocs.diff.diff import diff
    from schemadocs.families.diff import family_diff

    if previous is None:
        return None
    folder = Path(previous).is_dir()
    source = (snapshot_file(previous) or Path(previous) / SNAPSHOT_FILE) if folder else Path(previous)
    old, past = snapshot.load(source), history.load(source.parent / HISTORY_FILE)
    label = "the previous build" if folder else source.name
    changed = dataclasses.replace(family_diff(diff(old, catalog), old, catalog, families, after=found),
                                  old=label, new=catalog.database)
    recorded = history.record(past, changed)
    return BuildChanges(history=recorded, this_build=recorded[0] if changed else None)


def check_output(out_dir: Path, config_file: Path | None) -> tuple[Path, Path]:
    """The config file and docs dir a build into `out_dir` uses; `BuildError` when the
    config is missing or invalid, or when `out_dir` holds anything but a schemadocs site."""
    config_file = resolve_config(config_file)
    docs_dir = docs_dir_of(config_file, Path(out_dir))
    check_out_dir(Path(out_dir), docs_dir, config_file)
    return config_file, docs_dir


def default_config() -> Path:
    return Path(str(resources.files("schemadocs").joinpath("default_mkdocs.yml")))


def resolve_config(config_file: Path | None) -> Path:
    """--mkdocs-config, else ./mkdocs.yml, else the bundled default (docs dir in the user's cache)."""
    if config_file is not None:
        if not Path(config_file).is_file():
            raise BuildError(f"config file {config_file} does not exist; pass the path of your mkdocs.yml")
        return Path(config_file).resolve()
    local = Path("mkdocs.yml")
    return local.resolve() if local.is_file() else default_config()


def docs_dir_of(config_file: Path, out_dir: Path) -> Path:
    """The docs dir the config names (relative to the config); for the bundled default, one
    per output folder in the user's cache directory, never in the current directory."""
    if config_file == default_config():
        cache_home = Path(os.environ.get("XDG_CACHE_HOME", ""))
        if not cache_home.is_absolute():
            cache_home = Path.home() / ".cache"
        out = out_dir.resolve()
        key = hashlib.sha256(os.fsencode(out)).hexdigest()[:16]
        return cache_home / "schemadocs" / f"{out.name or 'root'}-{key}" / "docs"
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    errors = _WarningCollector()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        cfg = load_config(config_file=str(config_file))
    except MkDocsException as exc:  # Abort ("Aborted with a configuration error!") too: it logged the reasons
        detail = "; ".join(errors.messages[:3]) or str(exc)
        raise BuildError(f"{config_file} is not a valid MkDocs config ({detail}); fix it or pass --mkdocs-config") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)
    return Path(cfg["docs_dir"])


def sync_pages(docs_dir: Path, pages: dict[str, str]) -> list[str]:
    """Write generated pages (only those whose text changed), drop stale ones; return hand-written pages.
    A `.gz` file is given as its text and written compressed (`site_snapshot.write_file`)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = docs_dir / MANIFEST
    previous = set(json.loads(manifest_path.read_text())) if manifest_path.exists() else set()
    for path, text in pages.items():
        target = docs_dir / path
        if target.exists() and path not in previous and read_file(target) != text:
            raise BuildError(f"{target} is a hand-written page where schemadocs generates one; rename or move it")
    for path, text in pages.items():
        target = docs_dir / path
        if not target.exists() or read_file(target) != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, text)
    for stale in sorted(previous - set(pages)):
        (docs_dir / stale).unlink(missing_ok=True)
    manifest_path.write_text(json.dumps(sorted(pages), indent=0) + "\n", encoding="utf-8")
    return sorted(
        p for p in (f.relative_to(docs_dir).as_posix() for f in docs_dir.rglob("*.md"))
        if p not in pages and not any(part.startswith(".") for part in p.split("/"))
    )


def cache_of(docs_dir: Path) -> Path:
    """Where what pages name by placeholder is kept between builds (diagrams' SVG, HTML
    fragments; see inline_diagrams), and the page cache."""
    return docs_dir.parent / ".schemadocs-cache"



def run_mkdocs(config_file: Path, docs_dir: Path, nav: list[NavEntry], out_dir: Path,
               hand_written: tuple[str, ...] = (), extra: Mapping[str, str] | None = None,
               site_url: str | None = None, packed: bool = False) -> incremental.Plan:
    """Build with MkDocs into a work folder beside `out_dir`, then switch it in atomically
    (`schemadocs.swap`; killed builds' leftovers are removed first).

    The diagrams' SVG, which the pages name by placeholder, is put into the built pages from
    the diagram cache beside the docs dir (`schemadocs.inline_diagrams`); `packed`: as packed
    elements the browser inflates (`render.packed_diagrams`).

    When the previous site in `out_dir` was built from the same configuration and only a
    few docs-dir files changed, only those are rendered, over a copy of the previous site.
    A full build of a large site runs MkDocs in one process per core (`schemadocs.mkdocs_parallel`).
    `extra` (site path → text: the files for machines, `render.llms`) is written into the
    staged site after MkDocs, every build, so an incremental build holds the same files.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    warnings = _WarningCollector()
    dirty_notice = _DirtyNotice()
    with swap.work_dir(out_dir) as work:
        staging = work / "site"
        logging.getLogger("mkdocs").addHandler(warnings)
        try:
            derived = work / "mkdocs.yml"
            derived.write_text(json.dumps({
                "INHERIT": str(config_file),
                "docs_dir": str(docs_dir),
                "site_dir": str(staging),
                "use_directory_urls": False,
                "nav": nav,
                **({"site_url": site_url} if site_url else {}),
            }, ensure_ascii=False), encoding="utf-8")
            cfg = load_config(config_file=str(derived), strict=True)
            assets.register(cfg)  # the site's scripts and vendored libraries (render/assets.py)
            stat_file = cache_of(docs_dir) / incremental.STAT_FILE
            plan = incremental.plan(docs_dir, out_dir, nav, [config_file], cfg, always=hand_written, stat_file=stat_file,
                                    packed=packed)
            mkdocs_plugins.add_plugins(cfg, cache_of(docs_dir), packed)
            pages = [p for p in (plan.files if plan.changed is None else plan.changed) if p.endswith(".md")]
            known = None  # what an incremental build knows of the files it reused (site_reuse)
            progress.count("mkdocs pages", rendered=len(pages),
                           reused=sum(p.endswith(".md") for p in plan.files) - len(pages))
            jobs = mkdocs_parallel.jobs_for(sum(1 for p in plan.files if p.endswith(".md")))
            with progress.stage("mkdocs", total=len(pages),
                                detail="all pages" if plan.changed is None else "incremental") as stage, \
                    progress.mkdocs_log(stage):
                if plan.changed is None and jobs > 1:  # a cold build on every core
                    logging.getLogger("mkdocs.commands.build").addFilter(dirty_notice)
                    mkdocs_parallel.build_parallel(cfg, derived, docs_dir, cache_of(docs_dir), sorted(plan.files), jobs,
                                                   packed)
                elif plan.changed is None:
                    mkdocs_build(cfg)
                else:
                    known = incremental.prepare(plan, docs_dir, out_dir, staging, extra)
                    logging.getLogger("mkdocs.commands.build").addFilter(dirty_notice)
                    mkdocs_build(cfg, dirty=True)
                    incremental.merge_search_index(plan, docs_dir, out_dir, staging)
            write_extra(staging, extra or {}, keep=set(known or ()))
            incremental.write_stamp(plan, staging, known, stat_file)
        except (MkDocsException, OSError) as exc:
            detail = "; ".join(warnings.messages[:3]) or _reason(exc)
            raise BuildError(f"MkDocs could not build the site ({detail}); the previous site in {out_dir} is untouched") from None
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
            logging.getLogger("mkdocs.commands.build").removeFilter(dirty_notice)
        with progress.stage("swap"):
            swap.switch(staging, out_dir)
    return plan


def write_extra(staging: Path, files: Mapping[str, str], keep: set[str] | frozenset[str] = frozenset()) -> None:
    """Write files beside MkDocs' output in the staged site, but the `keep` ones (an incremental
    build's copies of the same text, `incremental.prepare`); a file already there is replaced,
    never written through (it may be a hard link into the previous site)."""
    for path, text in files.items():
        if path in keep:
            continue
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_text(text, encoding="utf-8")


def _reason(exc: Exception) -> str:
    """What went wrong, in a few words: shutil.copytree's error holds one entry per file."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        return str(exc.args[0][0][-1])
    return str(exc)


def _title(path: str) -> str:
    return page_title(Path(path).stem.replace("-", " ").replace("_", " ").capitalize())


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave stale navigation: ours cannot (same
    navigation and pages, checked by content), and in strict mode the warning would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))
