"""The project file's `databases:` section: the databases one site documents.

In: a loaded `ProjectFile`. Out: `Database` entries, in the file's order: a name (a safe slug,
unique: the site folder `<name>/` of that database), exactly one source (`dsn`, a DSN given
literally; `dsn_env`, the environment variable holding it; or `snapshot`, a snapshot file
relative to the project file that names it) and an optional description. Every mistake is a
`ConfigError` saying `FILE line N: what is wrong; what to do`. A DSN is never put in a
message: only names, variable names and file paths are.
`pick` chooses the database of `--database NAME`; `source` turns an entry into a `load.Source`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from schemadocs.errors import ConfigError
from schemadocs.project.file import ProjectFile, fail, mapping, text, where

SOURCES = ("dsn", "dsn_env", "snapshot")
KEYS = ("name", *SOURCES, "description")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
# Names a database folder may not take: the site's own top-level files and folders.
RESERVED = frozenset({"assets", "search", "api", "index", "columns", "lineage", "health", "schemas", "changes",
                      "undocumented", "labels", "owners", "viewpoints", "llms", "404", "sitemap"})


@dataclass(frozen=True)
class Database:
    name: str
    where: str  # "FILE line N" of the entry, for messages
    dsn: str | None = None  # given literally (never shown)
    dsn_env: str | None = None  # the environment variable holding the DSN
    snapshot: Path | None = None  # resolved against the project file's folder
    description: str | None = None

    @property
    def shown_source(self) -> str:
        """The source as messages and pages may show it: never the DSN itself."""
        if self.snapshot is not None:
            return f"snapshot {self.snapshot.name}"
        return f"${self.dsn_env}" if self.dsn_env else "a DSN given in the project file"


def load(file: ProjectFile) -> tuple[Database, ...]:
    """The databases the project file lists (none without a `databases:` section)."""
    node = file.sections.get("databases")
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise fail(file.source, node, "databases: must be a list of {name, dsn | dsn_env | snapshot, description}")
    found: list[Database] = []
    first_at: dict[str, str] = {}
    for item in node.value:
        entry = _entry(item, file.source)
        if entry.name in first_at:
            raise fail(file.source, item, f"database name {entry.name!r} is given twice (first at "
                                          f"{first_at[entry.name]}); give each database its own name")
        first_at[entry.name] = entry.where
        found.append(entry)
    if not found:
        raise fail(file.source, node, "databases: is empty; list at least one database, or remove the section")
    return tuple(found)


def _entry(node: yaml.Node, source: str) -> Database:
    what = "each item of databases"
    entries = mapping(node, source, what)
    for key, (key_node, _) in entries.items():
        if key not in KEYS:
            raise fail(source, key_node, f"unknown key {key!r} in a database (known: {', '.join(KEYS)}); "
                                         "fix the spelling")
    if "name" not in entries:
        raise fail(source, node, "this database needs a name (a lowercase slug such as `billing`); add name:")
    name_node = entries["name"][1]
    name = text(name_node, source, "name")
    if not NAME.fullmatch(name) or name in RESERVED:
        reason = "is reserved for the site's own pages" if name in RESERVED else \
            "must be a lowercase slug: letters a-z, digits, _ and -, at most 40, starting with a letter or digit"
        raise fail(source, name_node, f"database name {name!r} {reason}; rename it")
    given = [key for key in SOURCES if key in entries]
    if len(given) != 1:
        problem = "has no source" if not given else f"has {len(given)} sources ({', '.join(given)})"
        raise fail(source, node, f"database {name!r} {problem}; give exactly one of dsn, dsn_env and snapshot")
    key = given[0]
    value_node = entries[key][1]
    value = text(value_node, source, f"{key} of database {name!r}")
    if not value.strip():
        raise fail(source, value_node, f"{key} of database {name!r} is empty; fill it in")
    description = None
    if "description" in entries:
        description = text(entries["description"][1], source, f"description of database {name!r}") or None
    at = where(node)
    if key == "dsn":
        return Database(name, at, dsn=value, description=description)
    if key == "dsn_env":
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise fail(source, value_node, f"dsn_env of database {name!r} must name an environment variable "
                                           "(such as BILLING_DSN), not hold a DSN; put a DSN under dsn:")
        return Database(name, at, dsn_env=value, description=description)
    base = Path(value_node.start_mark.name).parent if not value_node.start_mark.name.startswith("<") else Path(".")
    return Database(name, at, snapshot=base / value, description=description)


def dsn_of(database: Database) -> str | None:
    """The DSN to read `database` from (None for a snapshot); an unset variable is an error."""
    if database.dsn_env is None:
        return database.dsn
    value = os.environ.get(database.dsn_env, "")
    if not value.strip():
        raise ConfigError(f"{database.where}: database {database.name!r} takes its DSN from the environment "
                          f"variable {database.dsn_env}, which is not set; export it, or use dsn: or snapshot:")
    return value


def pick(databases: tuple[Database, ...], name: str | None) -> tuple[Database, ...]:
    """The databases a command works on: the one `--database NAME` names, else all of them."""
    if name is None:
        return databases
    if not databases:
        raise ConfigError(f"--database {name}: the project file lists no databases; add a databases: section, "
                          "or leave --database out")
    chosen = tuple(d for d in databases if d.name == name)
    if not chosen:
        raise ConfigError(f"unknown database {name!r}; the project file lists "
                          f"{', '.join(d.name for d in databases)}")
    return chosen
