"""The `schemadocs` command line: the only place errors become exit codes.

In: argv. Out: files (snapshot, site), progress on stderr, and an exit code: 0 on success,
2 (or the error's own code) with a one-line `error: ...` message for anything the user can
fix, 130 on Ctrl-C. A traceback always means a bug in schemadocs.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Any

import click

from schemadocs import progress
from schemadocs import cli_conventions
from schemadocs.cli_build import build_chosen, diagrams_option, project_settings, read_plan
from schemadocs.cli_lint import check, lint_command, rules_command, suggest_relations_command
from schemadocs.cli_serve import demo, serve_command
from schemadocs.cli_conventions import feedback_options
from schemadocs.cli_sources import (
    chosen_databases,
    database_option,
    database_options,
    project_option,
    read_catalog,
    read_database,
    read_one,
)
from schemadocs.errors import ChangesFound, ConfigError, FindingsFound, SchemadocsError
from schemadocs.json_input import shorten
from schemadocs.model import Catalog
from schemadocs.project.options import OptionsGroup


def main() -> None:
    signal.signal(signal.SIGTERM, _raise_interrupt)
    logging.getLogger("schemadocs").addHandler(progress.WarningHandler())
    logging.getLogger("schemadocs").propagate = False
    try:
        # commands without --quiet/--verbose (lineage, export, mcp, rules) print their lines, not their stages
        with progress.reporting("schemadocs", progress.Mode.NORMAL, sys.stderr, live=False, stages=False):
            cli.main(standalone_mode=False)
    except SchemadocsError as exc:
        _fail(str(exc), exc.exit_code)
    except click.exceptions.Abort:  # click's answer to Ctrl-C
        _fail("interrupted", 130, prefix="")
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `schemadocs`: the help text
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        hint = f"; see `{exc.ctx.command_path} --help`" if isinstance(exc, click.UsageError) and exc.ctx else ""
        _fail(exc.format_message().rstrip(".") + hint, 2)
    except OSError as exc:  # the environment, not schemadocs: a read-only mount, a full disk, ...
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}; check the path, its permissions and the free disk space", 2)
    except (KeyboardInterrupt, Interrupted):
        _fail("interrupted", 130, prefix="")


def _fail(message: str, code: int, prefix: str = "error: ") -> None:
    """Print the one-line message (a hostile name or a tool's long output cut short) and exit."""
    click.echo(prefix + shorten(message, 1000), err=True)
    sys.exit(code)


@click.group(cls=OptionsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="schemadocs")
def cli() -> None:
    """Document a PostgreSQL database as a static site, from its live catalog."""


for _command in (demo, serve_command, check, lint_command, suggest_relations_command, rules_command):
    cli.add_command(_command)  # defined in cli_serve.py and cli_lint.py


@cli.command()
@database_options
@feedback_options
@click.option("-o", "--output", default="-", show_default=True, help="Snapshot file to write ('-' for stdout).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="SCHEMADOCS_SNAPSHOT_OUT",  # never $SCHEMADOCS_OUT: that is the site's folder
              help="With the project file's databases: the directory to write one snapshot per database into "
                   "(DIR/<name>.json).")
@click.option("--full", is_flag=True, help="Write every schema family member in full (format 1) instead of as "
                                           "what differs from its family's representative.")
@database_option
@project_option
def snapshot(output: str, out_dir: Path | None, full: bool, database: str | None, config_file: Path | None,
             **db: Any) -> None:
    """Write the catalog as a JSON snapshot (one per database of the project file with --out DIR)."""
    from schemadocs import snapshot as snap
    from schemadocs.families.detect import NONE, detect
    from schemadocs.multisite.commands import one

    def families(catalog: Catalog) -> Any:  # schema families held once, unless --full
        return NONE if full else detect(catalog, project_settings(config_file).families)

    chosen = chosen_databases(config_file, database, bool(db.get("dsn")))
    if out_dir is not None:
        if not chosen:
            raise ConfigError("--out DIR writes one snapshot per database of the project file's databases:; "
                              "for one database, pass -o FILE")
        for each in chosen:
            catalog = read_database(db, each)
            with progress.stage("write snapshot"):
                snap.save(catalog, out_dir / f"{each.name}.json", families(catalog))
            progress.info(f"wrote {out_dir / (each.name + '.json')} ({len(catalog.relations)} relations)")
        return
    if len(chosen) > 1:
        raise ConfigError(f"the project file lists {len(chosen)} databases ({', '.join(d.name for d in chosen)}); "
                          "pass --out DIR for one snapshot each, or --database NAME for one")
    picked = one(chosen, "snapshot")
    catalog = read_database(db, picked) if picked is not None else read_catalog(db)
    with progress.stage("write snapshot"):
        if output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(snap.dump_bytes(catalog, families(catalog)))
        else:
            snap.save(catalog, Path(output), families(catalog))
    if output != "-":
        progress.info(f"wrote {output} ({len(catalog.relations)} relations)")


@cli.command()
@database_options
@feedback_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Build from a snapshot file instead of a database (offline).")
@click.option("--out", "out_dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory the site is built into (replaced only when the build succeeds).")
@click.option("--mkdocs-config", "mkdocs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="mkdocs.yml to build with. Default: ./mkdocs.yml, else the bundled one.")
@click.option("--previous", "previous", type=click.Path(path_type=Path),
              help="The previous build: its snapshot file (with its changes.json beside it) or its site "
                   "directory. Adds what changed since to the Changes page, and badges to the changed pages.")
@click.option("--er-depth", default=1, show_default=True, type=click.IntRange(1, 3),
              help="Foreign-key hops each table's ER diagram reaches (nearest tables first, at most 20).")
@project_option
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The plan of the migration applied since --previous (`schemadocs plan --format json`), "
                   "shown on the Changes page next to the changes.")
@click.option("--site-url", "site_url", help="The address the site is served at (MkDocs' site_url; overrides "
                                             "mkdocs.yml's), e.g. https://example.org/docs/.")
@click.option("--markdown-copies/--no-markdown-copies", default=True, show_default=True,
              help="Write a clean Markdown copy beside every page, and llms-full.txt (llms.txt is always written).")
@click.option("--api-files/--no-api-files", default=True, show_default=True,
              help="Write one api/ JSON file per table, view, function and type (the snapshot, catalog.json "
                   "or on 1,000 relations or more catalog.json.gz, and api/index.json are always written).")
@diagrams_option
@database_option
def build(snapshot_file: Path | None, out_dir: Path, mkdocs_file: Path | None, previous: Path | None,
          er_depth: int, config_file: Path | None, plan_file: Path | None, site_url: str | None,
          markdown_copies: bool, api_files: bool, diagrams: str, database: str | None, **db: Any) -> None:
    """Introspect (or load a snapshot), render the pages and build the site (one site for all
    the databases the project file lists)."""
    from schemadocs.build import check_output
    from schemadocs.not_found import check_site_url
    from schemadocs.render.machine_files import MachineFiles

    check_output(out_dir, mkdocs_file)  # before reading the database: a refused --out fails fast
    settings = project_settings(config_file)  # a bad project file fails fast too
    chosen = chosen_databases(config_file, database, snapshot_file is not None or bool(db.get("dsn")))
    if len(chosen) > 1 and plan_file is not None:
        raise ConfigError("--plan shows one database's migration; pass --database NAME with it")
    plan = read_plan(plan_file, previous)  # and so does a bad plan
    url = None if site_url is None else check_site_url(site_url)  # and a bad site URL
    build_chosen(db, chosen, snapshot_file, out_dir, mkdocs_file, previous, er_depth, settings, plan, url,
                 MachineFiles(markdown=markdown_copies, api_objects=api_files), diagrams)


@cli.command()
@database_options
@click.argument("name", required=False)
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read a snapshot file instead of a database.")
@click.option("--upstream", "direction", flag_value="upstream", default=True,
              help="Where NAME comes from, back to base tables (default).")
@click.option("--downstream", "direction", flag_value="downstream", help="What reads NAME, out to the analytics views.")
@click.option("--depth", type=click.IntRange(min=0), help="Stop after this many hops.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "all_views", is_flag=True, help="Print the direct column lineage of every view (JSON; a "
              "schema family's views once, in its representative).")
@database_option
@project_option
def lineage(name: str | None, snapshot_file: Path | None, direction: str, depth: int | None, fmt: str,
            all_views: bool, database: str | None, config_file: Path | None, **db: Any) -> None:
    """Trace a relation or column (schema.relation[.column]) upstream or downstream."""
    import json

    from schemadocs.lineage.direct import direct_lineage
    from schemadocs.lineage.lineage_graph import lineage_graph
    from schemadocs.families.detect import detect
    from schemadocs.families.lineage import all_views_catalog, lineage_catalog
    from schemadocs.lineage.trace import parse_name, trace

    if all_views == bool(name):
        raise ConfigError("pass either NAME (schema.relation or schema.relation.column) or --all")
    catalog = read_one(db, snapshot_file, config_file, database, "lineage")
    found = detect(catalog, project_settings(config_file).families)
    if all_views:  # schema families: each family's views once, in its representative
        catalog, notes = all_views_catalog(catalog, found)
        for note in notes:
            progress.info(note)
        sys.stdout.write(json.dumps(direct_lineage(catalog), indent=2, ensure_ascii=False) + "\n")
        return
    catalog, notes = lineage_catalog(catalog, found, name or "")
    for note in notes:  # schema families: a tenant's view is traced once, in its family's structure
        progress.info(note)
    tree = trace(lineage_graph(catalog), parse_name(catalog, name or ""), upstream=direction == "upstream", depth=depth)
    sys.stdout.write(json.dumps(tree.to_json(), indent=2, ensure_ascii=False) + "\n" if fmt == "json" else tree.to_text())


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@feedback_options
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json for machines.")
@click.option("--fail-on", type=click.Choice(["breaking", "any", "never"]), default="never", show_default=True,
              help="Exit 1 when there is a breaking change (breaking) or any change (any): a CI gate.")
@click.option("--include", multiple=True, metavar="GLOB", help="Compare only these schemas or relations; repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave these schemas or relations out; repeatable.")
@database_option
@project_option
def diff_command(old: str, new: str, fmt: str, fail_on: str, include: tuple[str, ...], exclude: tuple[str, ...],
                 database: str | None, config_file: Path | None) -> None:
    """Show what changed from OLD to NEW, each a snapshot file or a DSN, and what it breaks.

    A side containing '://' or '=' is a DSN (read live, without statistics), else a snapshot
    file. OLD and NEW may also be two directories of several databases' snapshots
    (`snapshot --out DIR`, or built sites): each database is compared with itself (--database
    NAME: only that one). Exit codes: 0, 1 when --fail-on trips, 2 on errors.
    """
    import dataclasses

    from schemadocs.diff.diff import diff
    from schemadocs.diff.render import render
    from schemadocs.families.diff import family_diff
    from schemadocs.multisite.diff_dirs import compared, sides

    pairs = sides(old, new, database, config_file)
    results = []
    for name, old_side, new_side in pairs:
        (before, old_label), (after, new_label) = (_diff_side(side, include, exclude) for side in (old_side, new_side))
        with progress.stage("compare" if name is None else f"compare {name}"):  # a schema joining a family is one change
            result = dataclasses.replace(family_diff(diff(before, after), before, after), old=old_label, new=new_label)
            results.append((name, result))
    sys.stdout.write(compared([(name, result, render(result, fmt)) for name, result in results], fmt))
    sys.stdout.flush()
    failing = [c for _, result in results
               for c in (result.breaking if fail_on == "breaking" else result.changes if fail_on == "any" else ())]
    if failing:
        kind = "breaking " if fail_on == "breaking" else ""
        raise ChangesFound(f"{len(failing)} {kind}schema change{'s' if len(failing) != 1 else ''} "
                           f"(--fail-on {fail_on}); review them above, and pass --fail-on never to accept them")


@cli.command("plan")
@database_options
@feedback_options
@click.argument("migration", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--sizes", "sizes_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A snapshot taken with statistics (from production): the sizes the estimates use. "
              "Default: the database's own sizes.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json for machines.")
@click.option("--fail-on", type=click.Choice(["high", "medium", "never"]), default="high", show_default=True,
              help="Exit 1 when the plan's risk is at or above this level.")
@click.option("--transaction", type=click.Choice(["per-file", "per-statement"]), default="per-file",
              show_default=True, help="How the migration runner executes a file: in one transaction, or "
              "a statement at a time.")
def plan_command(migration: tuple[Path, ...], sizes_file: Path | None, fmt: str, fail_on: str, transaction: str,
                 **db: Any) -> None:
    """Say what a migration will lock, rewrite and scan, statement by statement, by running
    it on a throwaway copy of the database (CREATE DATABASE ... TEMPLATE), or else in
    transactions that are rolled back; the database is left as it was.

    MIGRATION is one or more SQL files, or directories whose .sql files run in name order.
    Exit codes: 0, 1 when --fail-on trips, 2 on errors (a failing statement included,
    after the plan so far).
    """
    from schemadocs.introspect.connect import resolve_dsn
    from schemadocs.plan.judge import judge
    from schemadocs.plan.model import Risk, Transaction
    from schemadocs.plan.observe import observe
    from schemadocs.plan.render import render
    from schemadocs.plan.sizes import snapshot_sizes
    from schemadocs.plan.split import split

    statements = split(migration)
    if not statements:
        raise ConfigError(f"no SQL statements in {', '.join(map(str, migration))}; pass the migration's SQL files")
    sizes, sizes_from = snapshot_sizes(sizes_file) if sizes_file is not None else (None, "the database")
    with progress.stage("run on a copy", detail=f"{len(statements)} statements"):
        observed = observe(resolve_dsn(db["dsn"]), statements, transaction=Transaction(transaction),
                           lock_timeout_ms=round(db["lock_timeout"] * 1000),
                           statement_timeout_ms=round(db["statement_timeout"] * 1000))
    with progress.stage("judge"):
        result = judge(observed.observations, transaction=Transaction(transaction), method=observed.method,
                       server_version=observed.server_version, sizes=sizes, sizes_from=sizes_from)
    sys.stdout.write(render(result, fmt))
    sys.stdout.flush()
    failed = result.failed
    if failed is not None:
        where = f"{failed.observation.statement.file}:{failed.observation.statement.line}"
        raise ConfigError(f"{where}: the statement failed: {failed.observation.error}; fix it (later statements "
                          "were not run)")
    if fail_on != "never" and result.risk.rank >= Risk(fail_on).rank:
        raise FindingsFound(f"the migration's risk is {result.risk.value} (--fail-on {fail_on}); follow the advice "
                            "above, or pass --fail-on never to accept it")


# `plan` reads no statistics and no selection: it runs the whole migration.
plan_command.params = [p for p in plan_command.params if p.name not in ("stats", "include", "exclude")]
for _param in plan_command.params:  # a migration's statements run far longer than a catalog query
    if _param.name == "statement_timeout":
        _param.default = 600.0
        _param.help = "Seconds any one statement of the migration (or of the observer) may run on the copy."


def _diff_side(side: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> tuple[Catalog, str]:
    """A diff argument as a catalog and the label to show for it: a DSN or a snapshot file."""
    from schemadocs.introspect.connect import redact

    db = {"include": include, "exclude": exclude}
    if "://" in side or "=" in side:
        return read_catalog({**db, "dsn": side}, stats=False, strict=False), redact(side).strip("'")
    return read_catalog(db, Path(side), strict=False), side


@cli.command("mcp")
@database_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Serve a snapshot file instead of a database.")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Serve a built site: the catalog.json `schemadocs build` keeps in it.")
@click.option("--http", "http", metavar="HOST:PORT",
              help="Serve streamable HTTP at http://HOST:PORT/mcp (loopback only) instead of stdio.")
@click.option("--max-chars", default=20_000, show_default=True, type=click.IntRange(min=500),
              help="The most characters any one answer holds (text and structured content each); answers say what they left out.")
@project_option
@database_option
def mcp_command(snapshot_file: Path | None, site_dir: Path | None, http: str | None, max_chars: int,
                config_file: Path | None, database: str | None, **db: Any) -> None:
    """Serve the schema to AI assistants over the Model Context Protocol (read-only)."""
    from schemadocs.api.mcp_server import mcp_server, parse_http, run, site_snapshot
    from schemadocs.api.objects import sources
    from schemadocs.checks.config import from_project
    from schemadocs.checks.engine import lint
    from schemadocs.project.file import load

    if sum(x is not None and x is not False for x in (snapshot_file, site_dir, db.get("dsn"))) > 1:
        raise ConfigError("pass one of --snapshot, --dsn and --site")
    address = parse_http(http) if http is not None else None  # a bad --http fails before loading
    checks = from_project(load(config_file))
    if site_dir is not None:
        from schemadocs.multisite.commands import site_catalog

        catalog = read_catalog(db, site_snapshot(site_catalog(site_dir, database)))
    else:
        catalog = read_one(db, snapshot_file, config_file, database, "mcp")
    server = mcp_server(sources(catalog, lint(catalog, checks)), max_chars)
    where = f"http://{address[0]}:{address[1]}/mcp" if address else "stdio"
    progress.info(f"serving {len(catalog.relations)} relations of {catalog.database!r} over MCP on {where}")
    run(server, address)


@cli.command("export")
@database_options
@click.option("--format", "fmt", required=True,
              type=click.Choice(["dbml", "mermaid", "plantuml", "csv", "markdown"]),
              help="dbml (dbdiagram.io), mermaid (erDiagram), plantuml, csv (a data dictionary), "
                   "markdown (one file per table and an index, in the -o directory).")
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Export a snapshot file instead of a live database.")
@click.option("-o", "--output", default=None, help="File to write ('-' or none: stdout); for markdown, a directory.")
@database_option
@project_option
def export_command(fmt: str, snapshot_file: Path | None, output: str | None, database: str | None,
                   config_file: Path | None, **db: Any) -> None:
    """Export the schema for other tools: DBML, Mermaid, PlantUML, a CSV data dictionary or Markdown files."""
    from schemadocs.export.write import check_directory, export

    if fmt == "markdown" and output not in (None, "-"):
        check_directory(Path(output))  # refused before the database is read
    where = export(read_one(db, snapshot_file, config_file, database, "export"), fmt, output)
    if where != "stdout":
        progress.info(f"wrote {where}")



@cli.command("comments")
@database_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read a snapshot file instead of a database.")
@click.option("--sql", "mode", flag_value="sql",
              help="Print COMMENT ON statements storing the project file's descriptions (a migration to review).")
@click.option("--import", "mode", flag_value="import",
              help="Write the database's comments into a new project file (-o, default ./schemadocs.yml).")
@click.option("-o", "--output", default=None,
              help="Where to write: --sql, a file (default stdout); --import, the project file ('-' for stdout).")
@click.option("--force", is_flag=True, help="With --import: replace the -o file when it exists.")
@project_option
@database_option
def comments_command(mode: str | None, snapshot_file: Path | None, output: str | None, force: bool,
                     config_file: Path | None, database: str | None, **db: Any) -> None:
    """Write-back between the project file's descriptions and the database's comments."""
    from schemadocs.atomic import write_atomic
    from schemadocs.multisite.scope import project_for
    from schemadocs.project.comments import comment_sql, imported_yaml
    from schemadocs.project.databases import load as load_databases
    from schemadocs.project.file import DEFAULT, load
    from schemadocs.project.overlay import apply
    from schemadocs.project.spec import read

    if mode is None:
        raise ConfigError("pass --sql (COMMENT ON statements from the project file) or --import (the database's "
                          "comments into a project file)")
    if mode == "import":
        if config_file is not None and database is None:
            raise ConfigError("--import writes a new project file: name it with -o FILE, not --config (--config "
                              "names the project file whose databases: --database picks from)")
        target = Path(output) if output not in (None, "-") else DEFAULT if output is None else None
        if target is not None and target.exists() and not force:
            raise ConfigError(f"{target} exists and is never overwritten: pass -o FILE to write another file, "
                              "or --force to replace it")
        text = imported_yaml(read_one({**db, "stats": False}, snapshot_file, config_file, database, "comments"))
    else:
        loaded = load(config_file)
        if not loaded.files:
            raise ConfigError(f"no project file: create {DEFAULT} or pass --config FILE")
        project = read(loaded)
        catalog = read_one({**db, "stats": False}, snapshot_file, config_file, database, "comments")
        if len(load_databases(loaded)) > 1:  # the names the file gives other databases are theirs
            project = project_for(project, catalog)
        text = comment_sql(apply(catalog, project))
        target = Path(output) if output not in (None, "-") else None
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(target, text)
    click.echo(f"wrote {target}", err=True)


# `comments` reads names and comments only: no statistics.
comments_command.params = [p for p in comments_command.params if p.name != "stats"]


class Interrupted(BaseException):
    """SIGTERM. Not a KeyboardInterrupt: click would turn that into a bare Abort and a blank line."""


def _raise_interrupt(signum: int, frame: object) -> None:
    raise Interrupted


cli_conventions.apply(cli)  # after every command: environment variables and --help examples for each


if __name__ == "__main__":
    main()
