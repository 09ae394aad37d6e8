"""`diff` of several databases: two directories of snapshots compared database by database.

In: diff's OLD and NEW arguments, `--database NAME` and the project file. Out: `sides`, the
(database name, old side, new side) pairs to compare: one pair `(None, OLD, NEW)` for two
files or DSNs, as always; for two directories (`snapshot --out DIR`, or two built sites of
several databases), one pair per database both hold (the project file's databases when it
lists them, else what the directories hold), or just `--database NAME`'s. `compared`
joins the rendered diffs: the one diff as it is, else a section per database (a JSON object
keyed by database for `--format json`).
"""

from __future__ import annotations

import json
from pathlib import Path

from schemadocs import progress
from schemadocs.diff.change import Diff
from schemadocs.errors import ConfigError
from schemadocs.multisite.commands import names_in, snapshot_in
from schemadocs.site_snapshot import snapshot_file


def sides(old: str, new: str, database: str | None, config_file: Path | None) -> list[tuple[str | None, str, str]]:
    """The pairs to compare (see the module's docstring)."""
    from schemadocs.project.databases import load as load_databases, pick
    from schemadocs.project.file import load

    dirs = [Path(side).is_dir() for side in (old, new)]
    if not any(dirs):
        if database is not None:
            raise ConfigError("--database picks one database's snapshots in two directories (snapshot --out DIR, "
                              "or built sites); OLD and NEW are files or DSNs here: leave --database out")
        return [(None, old, new)]
    if not all(dirs):
        raise ConfigError(f"compare two directories of snapshots or two files: {old if not dirs[0] else new} "
                          "is not a directory")
    old_dir, new_dir = Path(old), Path(new)
    listed = load_databases(load(config_file))
    if database is not None:
        names: tuple[str, ...] = tuple(d.name for d in pick(listed, database)) if listed else (database,)
    else:
        names = tuple(d.name for d in listed) or names_in((old_dir, new_dir))
    if not names:
        raise ConfigError(f"{old_dir} and {new_dir} hold no database snapshots (<name>.json or <name>/catalog.json)")
    pairs = []
    for name in names:
        present = [(d / f"{name}.json").is_file() or snapshot_file(d / name) is not None for d in (old_dir, new_dir)]
        if database is None and not all(present):
            progress.warning(f"database {name!r} is only in {new_dir if present[1] else old_dir}; not compared")
            continue
        pairs.append((name, str(snapshot_in(old_dir, name)), str(snapshot_in(new_dir, name))))
    return pairs


def compared(results: list[tuple[str | None, Diff, str]], fmt: str) -> str:
    """The rendered diffs as one output: a single diff unchanged; else one section per database."""
    if len(results) == 1 and results[0][0] is None:
        return results[0][2]
    if fmt == "json":
        return json.dumps({"databases": {name: json.loads(text) for name, _, text in results}}, indent=2,
                          ensure_ascii=False) + "\n"
    heading = "## database {}\n\n" if fmt == "markdown" else "== database {} ==\n"
    return "\n".join(heading.format(name) + text for name, _, text in results)
