"""What every `schemadocs` command shares, applied to the click commands once they are defined.

In: the click group. Out: the same commands with
- `feedback_options`: `--quiet`, `--verbose` and `--timings FILE` (a `progress.Reporter` per run);
- `with_env_vars`: every option also read from the environment: `SCHEMADOCS_<COMMAND>_<OPTION>`,
  then `SCHEMADOCS_<OPTION>` for the options commands share (`SHARED`); a flag on the command
  line wins over both, and both over the project file's `options:` (`schemadocs.project.options`);
- `with_examples`: the examples that end each command's `--help` (`EXAMPLES`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from schemadocs import progress
from schemadocs.errors import ConfigError

# Options that mean the same wherever they appear, so one variable serves every command.
SHARED = ("dsn", "snapshot", "out", "include", "exclude", "statement-timeout", "lock-timeout", "stats",
          "config", "project", "quiet", "verbose", "timings", "host", "port", "er-depth", "database")

EXAMPLES: dict[str, tuple[str, ...]] = {
    "snapshot": ("schemadocs snapshot --dsn postgresql://app@localhost/shop -o schema.json",
                 "schemadocs snapshot --no-stats -o schema.json   # DSN from $SCHEMADOCS_DSN or $DATABASE_URL",
                 "schemadocs snapshot --dsn postgresql://app@localhost/shop --include sales"),
    "build": ("schemadocs build --dsn postgresql://app@localhost/shop --out site",
              "schemadocs build --snapshot schema.json --out site --previous site",
              "schemadocs build --snapshot schema.json --timings timings.json --verbose"),
    "serve": ("schemadocs serve --dsn postgresql://app@localhost/shop --watch",
              "schemadocs serve --snapshot schema.json --port 8001 --watch",
              "schemadocs serve --snapshot schema.json --out /tmp/site"),
    "lineage": ("schemadocs lineage --dsn postgresql://app@localhost/shop analytics.revenue.total",
                "schemadocs lineage --snapshot schema.json --downstream sales.orders",
                "schemadocs lineage --snapshot schema.json --all"),
    "demo": ("schemadocs demo",
             "schemadocs demo --port 8001",
             "schemadocs demo --no-serve --out /tmp/demo-site"),
    "diff": ("schemadocs diff old.json new.json",
             "schemadocs diff schema.json postgresql://app@localhost/shop --format markdown",
             "schemadocs diff old.json new.json --fail-on breaking"),
    "check": ("schemadocs check --dsn postgresql://app@localhost/shop --snapshot schema.json",
              "schemadocs check --snapshot schema.json --format markdown   # DSN from $SCHEMADOCS_DSN"),
    "lint": ("schemadocs lint --dsn postgresql://app@localhost/shop",
             "schemadocs lint --snapshot schema.json --format sarif --fail-on warning",
             "schemadocs lint --snapshot schema.json --write-baseline lint-baseline.json"),
    "suggest-relations": ("schemadocs suggest-relations --snapshot schema.json",
                          "schemadocs suggest-relations --dsn postgresql://app@localhost/shop --check-data --sample 5000",
                          "schemadocs suggest-relations --snapshot schema.json --pattern 'fk_{table}'"),
    "comments": ("schemadocs comments --import --dsn postgresql://app@localhost/shop",
                 "schemadocs comments --import --snapshot schema.json -o docs/comments.yml",
                 "schemadocs comments --sql --dsn postgresql://app@localhost/shop"),
    "plan": ("schemadocs plan --dsn postgresql://app@localhost/shop migrations/0042_orders.sql",
             "schemadocs plan --dsn postgresql://app@localhost/shop migrations/ --format markdown",
             "schemadocs plan --dsn postgresql://app@localhost/shop m.sql --sizes prod.json --fail-on medium"),
    "rules": ("schemadocs rules",
              "schemadocs rules no-primary-key fk-without-index"),
    "mcp": ("schemadocs mcp --snapshot schema.json",
            "schemadocs mcp --site site --http 127.0.0.1:8765",
            "schemadocs mcp --dsn postgresql://app@localhost/shop --max-chars 40000"),
    "export": ("schemadocs export --snapshot schema.json --format dbml -o schema.dbml",
               "schemadocs export --snapshot schema.json --format markdown -o docs/tables",
               "schemadocs export --dsn postgresql://app@localhost/shop --format mermaid"),
}


def feedback_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--quiet, --verbose and --timings FILE; the command runs inside a `progress.reporting` block."""
    @click.option("-q", "--quiet", is_flag=True, help="Print errors only (the command's output on stdout stays).")
    @click.option("-v", "--verbose", is_flag=True,
                  help="Also print each stage's timings and the cache statistics (pages and diagrams reused or made).")
    @click.option("--timings", "timings_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the stage timings to this JSON file (shape: schemadocs/timings.schema.json).")
    @wraps(fn)
    def wrapper(*args: Any, quiet: bool, verbose: bool, timings_file: Path | None, **kwargs: Any) -> Any:
        if quiet and verbose:
            raise ConfigError("pass either --quiet or --verbose, not both")
        if timings_file is not None and not timings_file.resolve().parent.is_dir():
            raise ConfigError(f"--timings {timings_file}: the folder {timings_file.parent} does not exist; create it "
                              "or pass another path")
        mode = progress.Mode.QUIET if quiet else progress.Mode.VERBOSE if verbose else progress.Mode.NORMAL
        name = click.get_current_context().info_name or fn.__name__
        with progress.reporting(name, mode, sys.stderr) as reporter:
            result = fn(*args, **kwargs)
        if timings_file is not None:
            from schemadocs.atomic import write_atomic

            write_atomic(timings_file, json.dumps(progress.timings_json(reporter), indent=2) + "\n")
        return result
    return wrapper


def apply(group: click.Group) -> None:
    """Environment variables and examples for every command of `group`."""
    for name, command in group.commands.items():
        with_env_vars(name, command)
        with_examples(name, command)


def with_env_vars(name: str, command: click.Command) -> None:
    """Each option reads SCHEMADOCS_<COMMAND>_<OPTION>, then SCHEMADOCS_<OPTION> if shared."""
    for param in command.params:
        if not isinstance(param, click.Option) or param.envvar:
            continue
        option = option_name(param)
        if option is None:
            continue
        names = [env_name(name, option)]
        if option in SHARED:
            names.append(env_name(None, option))
        param.envvar = names
        param.show_envvar = True


def option_name(param: click.Option) -> str | None:
    """The option's long name without dashes (`--er-depth` → `er-depth`); None for --help-like ones."""
    longs = [o for o in param.opts if o.startswith("--")]
    return longs[0][2:] if longs and not param.is_eager else None


def env_name(command: str | None, option: str) -> str:
    parts = ["SCHEMADOCS", *([command] if command else []), option]
    return "_".join(p.upper().replace("-", "_") for p in parts)


def with_examples(name: str, command: click.Command) -> None:
    examples = EXAMPLES.get(name)
    if examples:
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
