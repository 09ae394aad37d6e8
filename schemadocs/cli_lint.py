"""The commands that judge a schema: `lint` (the health checks), `check` (does the database
still match a committed snapshot), `suggest-relations` (foreign keys the database does not
declare) and `rules` (the health checks' documentation).

In: the command's options. Out: the report on stdout, progress on stderr; findings or
differences are raised as `SchemadocsError`s (`FindingsFound`, `ChangesFound`), which
`cli.main` alone turns into exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from schemadocs import progress
from schemadocs.cli_conventions import feedback_options
from schemadocs.cli_sources import (
    Seconds,
    chosen_databases,
    database_option,
    database_options,
    project_option,
    read_catalog,
    read_database,
)
from schemadocs.errors import ConfigError, FindingsFound


@click.command()
@database_options
@feedback_options
@click.option("--snapshot", "snapshot_file", required=True, type=click.Path(path_type=Path),
              help="The committed snapshot the database should match; with the project file's databases, "
                   "a directory `snapshot --out DIR` wrote (DIR/<name>.json each).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@database_option
@project_option
def check(snapshot_file: Path, fmt: str, database: str | None, config_file: Path | None, **db: Any) -> None:
    """Exit 1 and print the diff when the database no longer matches a committed snapshot
    (with the project file's databases: each database, against DIR/<name>.json).

    Statistics are never compared (the database is read without them).
    """
    from schemadocs.multisite.one_or_each import check_each

    check_each(db, chosen_databases(config_file, database, bool(db.get("dsn"))), snapshot_file, fmt, database)


# `check` reads the database without statistics whatever --stats says: hide the option.
check.params = [p for p in check.params if p.name != "stats"]


@click.command("lint")
@database_options
@feedback_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Lint a snapshot file instead of a database (offline).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "markdown"]), default="text",
              show_default=True, help="text for a terminal, json for machines, sarif for code scanning, "
              "github for pull-request annotations, markdown for a pull-request comment.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error", show_default=True,
              help="Exit 1 when a finding at or above this level remains after the baseline.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings this baseline file does not hold.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's findings in this file (accepting them: exit 0).")
@click.option("--rule", "only", multiple=True, metavar="ID", help="Run only this rule; repeatable.")
@click.option("--skip", multiple=True, metavar="ID", help="Do not run this rule; repeatable.")
@project_option
@click.option("--list-rules", is_flag=True, help="Print every rule's documentation and exit.")
@database_option
def lint_command(snapshot_file: Path | None, fmt: str, fail_on: str, baseline_file: Path | None,
                 write_baseline: Path | None, only: tuple[str, ...], skip: tuple[str, ...], config_file: Path | None,
                 list_rules: bool, database: str | None, **db: Any) -> None:
    """Review the schema as a database architect would: keys, indexes, types, naming,
    documentation, security, maintenance. Exit codes: 0, 1 when --fail-on trips, 2 on errors.
    """
    import dataclasses

    from schemadocs.checks import baseline
    from schemadocs.checks.config import from_project
    from schemadocs.checks.finding import Level
    from schemadocs.checks.output.render import render
    from schemadocs.checks.registry import all_rules
    from schemadocs.families.detect import detect
    from schemadocs.families.lint import lint_families
    from schemadocs.families.settings import from_project as family_settings
    from schemadocs.project import relations
    from schemadocs.project.file import load
    from schemadocs.project.overlay import apply
    from schemadocs.project.spec import read

    if list_rules:
        _print_rules(())
        return
    if baseline_file is not None and write_baseline is not None:
        raise ConfigError("pass either --baseline (report new findings) or --write-baseline (record them), not both")
    project = load(config_file)
    configured, virtual = from_project(project), relations.load(project)
    settings = dataclasses.replace(configured, rules=only, skip=(*configured.skip, *skip))
    settings.selected(all_rules())  # unknown ids fail before the database is read
    known = baseline.read(baseline_file) if baseline_file is not None else None
    if write_baseline is not None:
        baseline.check_writable(write_baseline)
    families = family_settings(project)
    chosen = chosen_databases(config_file, database, snapshot_file is not None or bool(db.get("dsn")), project)
    from schemadocs.project.databases import load as load_databases

    spec = read(project)  # the project file's names and notes, read once
    labelled_names = len(load_databases(project)) > 1  # labels: the fingerprints are the same alone or together
    if chosen and labelled_names:
        from schemadocs.multisite.commands import labelled, merged
        from schemadocs.multisite.scope import check_named, project_for, virtual_for

        loaded = [(each.name, read_database(db, each)) for each in chosen]
        if len(loaded) > 1:  # with --database, the names the file gives may be in the others
            check_named(spec, loaded)
        reports = []
        for name, catalog in loaded:
            catalog = relations.with_virtual(catalog, virtual_for(catalog, virtual))
            scoped = project_for(spec, catalog)
            if scoped is not None:
                apply(catalog, scoped)
            with progress.stage(f"health checks ({name})"):  # schema families: each finding once per family
                reports.append(labelled(lint_families(catalog, detect(catalog, families), settings), name))
        report = merged(reports)
    else:
        catalog = relations.with_virtual(read_database(db, chosen[0]) if chosen else read_catalog(db, snapshot_file), virtual)
        apply(catalog, spec)  # names the project file gives that the catalog lacks are errors here too
        with progress.stage("health checks"):  # schema families: each finding once per family
            report = lint_families(catalog, detect(catalog, families), settings)
    if write_baseline is not None:
        count = baseline.write(report, write_baseline)
        progress.info(f"wrote {count} finding{'s' if count != 1 else ''} to {write_baseline}")
    elif known is not None:
        report = baseline.apply(report, known)
    sys.stdout.write(render(report, fmt))
    sys.stdout.flush()
    if fail_on == "never" or write_baseline is not None:
        return
    failing = [f for f in report.findings if f.level.rank >= Level(fail_on).rank]
    if failing:
        raise FindingsFound(f"{len(failing)} finding{'s' if len(failing) != 1 else ''} at level {fail_on} or above "
                            f"(--fail-on {fail_on}); fix them, or accept them with --write-baseline FILE and "
                            "lint with --baseline FILE")


@click.command("suggest-relations")
@database_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read a snapshot file instead of a database (no --check-data then).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Project file whose relations: are already declared (not suggested again). "
                   "Default: ./schemadocs.yml.")
@click.option("--pattern", "patterns", multiple=True, metavar="PATTERN",
              help="A column-name pattern with {table} and/or {column}, e.g. 'fk_{table}'; repeatable. "
                   "Default: '{table}_{column}', '{table}{column}', '{table}', '{column}'.")
@click.option("--check-data", is_flag=True, help="Count orphans on a sample of each candidate's rows (read only; --dsn).")
@click.option("--sample", default=1000, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Rows sampled per candidate by --check-data.")
@click.option("--data-timeout", default=5.0, show_default=True, type=Seconds(0.1),
              help="Seconds each --check-data query may run.")
@database_option
def suggest_relations_command(snapshot_file: Path | None, config_file: Path | None, patterns: tuple[str, ...],
                              check_data: bool, sample: int, data_timeout: float, database: str | None,
                              **db: Any) -> None:
    """Print candidate virtual relations (foreign keys the database does not declare) with their
    evidence, as YAML to paste into the project file's relations:. Nothing is applied."""
    from schemadocs.multisite.one_or_each import suggest_each
    from schemadocs.project import relations
    from schemadocs.project.file import load
    from schemadocs.project.suggest import DEFAULT_PATTERNS, check_patterns

    if check_data and snapshot_file is not None:
        raise ConfigError("--check-data reads rows: pass --dsn, not --snapshot")
    check_patterns(patterns or DEFAULT_PATTERNS)
    declared = relations.load(load(config_file))
    chosen = chosen_databases(config_file, database, snapshot_file is not None or bool(db.get("dsn")))
    text, total, databases = suggest_each(db, chosen, snapshot_file, patterns or DEFAULT_PATTERNS,
                                          [(r.source, r.columns) for r in declared], check_data, sample, data_timeout)
    sys.stdout.write(text)
    click.echo(f"{total} candidate{'s' if total != 1 else ''}" + (f" in {databases} databases" if databases > 1
                                                                  else "") + "; nothing applied", err=True)


@click.command("rules")
@click.argument("rule_ids", nargs=-1, metavar="[ID]...")
def rules_command(rule_ids: tuple[str, ...]) -> None:
    """Print the documentation of every health-check rule, or of the rules named."""
    _print_rules(rule_ids)


def _print_rules(rule_ids: tuple[str, ...]) -> None:
    from schemadocs.checks.output.rule_doc import render_rule
    from schemadocs.checks.registry import all_rules

    rules = all_rules()
    unknown = [r for r in rule_ids if r not in rules]
    if unknown:
        raise ConfigError(f"unknown rule id {', '.join(unknown)}; `schemadocs rules` lists them")
    sys.stdout.write("\n".join(render_rule(rules[r]) for r in (rule_ids or tuple(rules))))
