"""The corpus of real schemas (../shared/corpus): find, load and count its entries.

In: the corpus directory (SCHEMADOCS_CORPUS, else `shared/corpus` beside this checkout)
and a superuser DSN on a PostgreSQL 15+ server with contrib. Out: each entry loaded into a
fresh database of its own with the entry's `load.sh`, and `catalog_counts()`, the numbers
`counts.sql` computes from the catalog, recomputed from a `Catalog` (for the tests and
for benchmarks).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from schemadocs.embedded import create_database
from schemadocs.model import Catalog, ConstraintKind, RelationKind

CORPUS = Path(os.environ.get("SCHEMADOCS_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")

# counts.sql keys that the model cannot give, and why. The tests check that every other
# key of expected_counts.json is computed by catalog_counts().
UNCOVERED = {
    "event_triggers": "the model has no event triggers (pg_event_trigger is database-wide, not per relation; "
                      "introspection does not read it)",
    "other_comments": "counts.sql counts comments on every other object with OID >= 16384, including kinds the "
                      "model does not hold (collations, text-search objects, operators, casts, rules, domain "
                      "constraints, ...), and excludes schema comments by OID (public's OID is < 16384), which the "
                      "model does not record",
}


def entries() -> list[str]:
    """The corpus entries: every folder with a load.sh, sorted."""
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if (p / "load.sh").is_file())


def expected_counts() -> dict[str, dict[str, int | str]]:
    """Per entry, the counts counts.sql gave on PostgreSQL 15 (expected_counts.json)."""
    data = json.loads((CORPUS / "expected_counts.json").read_text(encoding="utf-8"))
    return {name: entry["counts_pg15"] for name, entry in data.items()}


@dataclass(frozen=True)
class Loaded:
    entry: str
    dsn: str
    seconds: float  # wall time of load.sh


def load_entry(server_dsn: str, entry: str, *, timeout: float = 300, env_extra: dict[str, str] | None = None) -> Loaded:
    """Create a fresh database on the server and run the entry's load.sh into it (env_extra: e.g.
    JAFFLE_VARIANT=all_views)."""
    script = CORPUS / entry / "load.sh"
    if not script.is_file():
        raise FileNotFoundError(f"no corpus entry {entry!r}: {script} is missing")
    psql = shutil.which("psql") or "/usr/bin/psql"
    dsn = create_database(server_dsn, f"corpus_{entry.replace('-', '_')}_{uuid.uuid4().hex[:8]}")
    env = dict(os.environ)
    env["PATH"] = f"{Path(psql).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(env_extra or {})
    started = time.monotonic()
    done = subprocess.run(["bash", str(script), dsn], capture_output=True, text=True, env=env, timeout=timeout)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-10:])
        raise RuntimeError(f"{entry}/load.sh failed (exit {done.returncode}):\n{tail}")
    return Loaded(entry, dsn, seconds)


def catalog_counts(catalog: Catalog) -> dict[str, int | str]:
    """The keys of counts.sql that the model can give (all but UNCOVERED), from a Catalog."""
    rels = catalog.relations
    tables = [r for r in rels if r.kind in (RelationKind.TABLE, RelationKind.PARTITIONED_TABLE)]
    constraints = [c for r in rels for c in r.constraints]

    def kind(k: RelationKind) -> int:
        return sum(r.kind is k for r in rels)

    def cons(k: ConstraintKind) -> int:
        return sum(c.kind is k for c in constraints)

    def routines(*kinds: str) -> int:
        return sum(f.kind in kinds for f in catalog.routines)

    return {
        "schemas": len(catalog.schemas),
        "tables": len(tables),
        "partitioned_tables": kind(RelationKind.PARTITIONED_TABLE),
        "partitions": sum(r.partition_of is not None for r in tables),
        "views": kind(RelationKind.VIEW),
        "materialized_views": kind(RelationKind.MATERIALIZED_VIEW),
        "foreign_tables": kind(RelationKind.FOREIGN_TABLE),
        "sequences": len(catalog.sequences),
        "columns": sum(len(r.columns) for r in rels),
        "primary_keys": cons(ConstraintKind.PRIMARY_KEY),
        # every pg_constraint row, the copies PostgreSQL clones onto partitions included
        "foreign_keys": cons(ConstraintKind.FOREIGN_KEY),
        "foreign_keys_declared": sum(c.kind is ConstraintKind.FOREIGN_KEY and not c.inherited for c in constraints),
        "unique_constraints": cons(ConstraintKind.UNIQUE),
        "check_constraints": cons(ConstraintKind.CHECK),
        "indexes": sum(len(r.indexes) for r in rels),
        "functions": routines("function"),
        "procedures": routines("procedure"),
        "aggregates": routines("aggregate", "window"),
        "triggers": sum(len(r.triggers) for r in rels),
        "enum_types": len(catalog.enums),
        "domains": len(catalog.domains),
        "composite_types": len(catalog.composite_types),
        "table_comments": sum(r.comment is not None for r in rels),
        "column_comments": sum(c.comment is not None for r in rels for c in r.columns),
        "rls_policies": sum(len(r.policies) for r in rels),
        "rls_enabled_tables": sum(r.rls_enabled for r in rels),
        # distinct (view, referenced relation) pairs, whatever schema the referenced one is in
        "view_dependency_edges": len({(r.qname, read.target) for r in rels if r.kind.is_view for read in r.reads}),
        "extensions": ",".join(sorted(e.name for e in catalog.extensions if e.name != "plpgsql")),
    }


def modelled_other_comments(catalog: Catalog) -> int:
    """Comments the model holds on objects counts.sql counts as `other_comments`.

    A subset of what counts.sql counts (see UNCOVERED), so never more than it. The built-in
    `public` schema is left out: counts.sql skips it by OID (< 16384) with its stock comment.
    """
    objects = (*[s for s in catalog.schemas if s.name != "public"], *catalog.routines, *catalog.enums,
               *catalog.domains, *catalog.composite_types, *catalog.sequences)
    on_relations = (x for r in catalog.relations for x in (*r.constraints, *r.indexes, *r.triggers, *r.policies))
    return sum(x.comment is not None for x in (*objects, *on_relations))
