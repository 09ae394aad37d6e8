"""What `build`, `serve` and `demo` share: the project file's settings, the plan, and a build
reported as the command line reports it.

In: the project file's path, a command's database options and the databases it chose. Out:
`ProjectSettings` (read from the file once), the checked migration plan of `build --plan`,
and a built site (one database, or several in one site) with what it did on stderr and the
site's address on stdout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from schemadocs import progress
from schemadocs.cli_sources import read_catalog, read_database
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog

if TYPE_CHECKING:
    from schemadocs.build import BuildResult
    from schemadocs.checks.config import Settings
    from schemadocs.families.settings import FamilySettings
    from schemadocs.plan.model import Plan
    from schemadocs.project.relations import VirtualRelation
    from schemadocs.project.spec import Project
    from schemadocs.render.machine_files import MachineFiles


DIAGRAM_CHOICES = ("inline", "packed", "auto")  # render.packed_diagrams.CHOICES (not imported: a light CLI start)
diagrams_option = click.option(
    "--diagrams", type=click.Choice(DIAGRAM_CHOICES), default="auto", show_default=True,
    help="How the diagrams go into the pages: inline SVG; packed (compressed, a quarter of the bytes, inflated "
         "by the browser: diagrams then need JavaScript); auto: packed once the site has 1,000 diagrams.")


@dataclass(frozen=True)
class ProjectSettings:
    """The project file as a build uses it."""

    checks: Settings | None = None  # the health checks' settings (None: every rule, defaults)
    project: Project | None = None  # descriptions, owners, labels, viewpoints
    virtual: tuple[VirtualRelation, ...] = ()  # virtual foreign keys
    families: FamilySettings | None = None  # schema families (None: detection with its defaults)


def project_settings(config_file: Path | None) -> ProjectSettings:
    """The project file's settings, read and checked once (a bad file fails here)."""
    from schemadocs.checks.config import from_project
    from schemadocs.families.settings import from_project as families_from_project
    from schemadocs.project import relations
    from schemadocs.project.file import load
    from schemadocs.project.spec import read

    loaded = load(config_file)
    return ProjectSettings(from_project(loaded), read(loaded), relations.load(loaded), families_from_project(loaded))


def build_chosen(db: dict[str, Any], chosen: tuple[Any, ...], snapshot_file: Path | None, out_dir: Path,
                 mkdocs_file: Path | None, previous: Path | None, er_depth: int, settings: ProjectSettings,
                 plan: Plan | None = None, site_url: str | None = None,
                 machine: MachineFiles | None = None, diagrams: str = "auto") -> BuildResult:
    """The site of the databases a command chose (`cli_sources.chosen_databases`): one site for
    several, else the one chosen, else --dsn or --snapshot; `machine`: the files for machines
    it carries (None: all of them); `diagrams`: inline, packed or auto (`render.packed_diagrams`)."""
    from schemadocs.render.machine_files import MachineFiles

    machine = machine or MachineFiles()
    if len(chosen) > 1:
        from schemadocs.multisite.build import build_databases

        started = time.perf_counter()
        loaded = [(d, read_database(db, d)) for d in chosen]
        return report_build(build_databases(loaded, out_dir, mkdocs_file, previous, er_depth, settings.checks,
                                            settings.virtual, settings.project, site_url, settings.families,
                                            machine=machine, diagrams=diagrams), started)
    catalog = read_database(db, chosen[0]) if chosen else read_catalog(db, snapshot_file)
    return build_one(catalog, out_dir, mkdocs_file, previous, er_depth, settings, plan, site_url, machine, diagrams)


def build_one(catalog: Catalog, out_dir: Path, mkdocs_file: Path | None, previous: Path | None = None,
              er_depth: int = 1, settings: ProjectSettings = ProjectSettings(), plan: Plan | None = None,
              site_url: str | None = None, machine: MachineFiles | None = None,
              diagrams: str = "auto") -> BuildResult:
    """The site of one catalog (`schemadocs.build.build`), reported."""
    from schemadocs.build import build as build_site
    from schemadocs.render.machine_files import MachineFiles

    started = time.perf_counter()
    result = build_site(catalog, out_dir, mkdocs_file, previous, er_depth, settings.checks, plan,
                        virtual=settings.virtual, project=settings.project, site_url=site_url,
                        families=settings.families, machine=machine or MachineFiles(), diagrams=diagrams)
    return report_build(result, started)


def report_build(result: BuildResult, started: float) -> BuildResult:
    """Say what a build did; return its result."""
    if result.changes is not None:
        progress.info(f"{result.changes} schema change{'s' if result.changes != 1 else ''} since the previous build"
                      + (" (see the Changes page)" if result.changes else ""))
    progress.info(f"built {result.generated_pages} generated and {result.hand_written_pages} hand-written pages "
                  f"into {result.out_dir} ({time.perf_counter() - started:.1f}s)")
    if result.rebuilt_files is not None:
        pages = result.rendered_pages or 0
        copied = result.rebuilt_files - pages
        progress.info(f"incremental build: MkDocs rendered {pages} changed page{'s' if pages != 1 else ''} and copied "
                      f"{copied} changed file{'s' if copied != 1 else ''} over the previous site")
    click.echo(f"site: {result.out_dir.resolve() / 'index.html'}")
    return result


def read_plan(plan_file: Path | None, previous: Path | None) -> Plan | None:
    """The migration plan of `build --plan`, read and checked; None without one."""
    from schemadocs.plan.json_format import loads

    if plan_file is None:
        return None
    if previous is None:
        raise ConfigError("--plan shows a migration plan next to the changes since the previous build; "
                          "pass --previous too (the previous build's snapshot file or site directory)")
    try:
        text = plan_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ConfigError(f"cannot read plan {plan_file}: {reason}; pass the file "
                          "`schemadocs plan ... --format json` wrote") from None
    return loads(text, source=f"plan {plan_file}")
