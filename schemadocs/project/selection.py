"""--include / --exclude: keep the part of a catalog a user asked for.

In: a `Catalog` and a `Selection` of glob patterns. A pattern without a dot matches schema names
(`billing`, `tenant_*`); a pattern with a dot matches `schema.relation` (`app.tmp_*`,
`*.audit_log`), split at the first dot. Out: the catalog with only the matching schemas,
relations and schema-level objects; with no --include everything is included, and
--exclude wins over --include.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from schemadocs.errors import ConfigError
from schemadocs.model import Catalog


@dataclass(frozen=True)
class Selection:
    """The part of a catalog to keep. `strict`: an --include that matches nothing is an error
    (it would build an empty site over the real one); `diff` and `check` are not strict, as
    one side may lack what the other has."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    strict: bool = True


def select(catalog: Catalog, selection: Selection) -> Catalog:
    """The catalog restricted to `selection`."""
    missed = unmatched(catalog, selection.include) if selection.strict else []
    if missed:
        raise ConfigError(f"--include {' '.join(repr(p) for p in missed)} matches no schema or relation in "
                          f"{catalog.database!r}; check the pattern (SCHEMA_GLOB or SCHEMA_GLOB.NAME_GLOB)")
    return filter_catalog(catalog, selection.include, selection.exclude)


def filter_catalog(catalog: Catalog, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Catalog:
    """The catalog restricted to what the patterns select."""
    if not include and not exclude:
        return catalog

    def keep_schema(schema: str) -> bool:
        wanted = not include or any(fnmatchcase(schema, p.split(".", 1)[0]) for p in include)
        return wanted and not any("." not in p and fnmatchcase(schema, p) for p in exclude)

    def keep(schema: str, name: str) -> bool:
        wanted = not include or any(_matches(p, schema, name) for p in include)
        return wanted and not any(_matches(p, schema, name) for p in exclude)

    schemas = tuple(s for s in catalog.schemas if keep_schema(s.name))
    kept = {s.name for s in schemas}
    return dataclasses.replace(
        catalog,
        selected=True,
        schemas=schemas,
        relations=tuple(r for r in catalog.relations if r.schema in kept and keep(r.schema, r.name)),
        routines=tuple(x for x in catalog.routines if x.schema in kept),
        enums=tuple(x for x in catalog.enums if x.schema in kept),
        domains=tuple(x for x in catalog.domains if x.schema in kept),
        composite_types=tuple(x for x in catalog.composite_types if x.schema in kept),
        sequences=tuple(x for x in catalog.sequences if x.schema in kept and keep(x.schema, x.name)),
        skipped_sizes=tuple(q for q in catalog.skipped_sizes if q.schema in kept and keep(q.schema, q.name)),
    )


def unmatched(catalog: Catalog, include: Sequence[str]) -> list[str]:
    """The --include patterns that select nothing: a schema pattern no schema matches, a
    relation pattern no relation or sequence matches."""
    names = [(r.schema, r.name) for r in catalog.relations] + [(s.schema, s.name) for s in catalog.sequences]
    return [p for p in include
            if not (any(fnmatchcase(s.name, p) for s in catalog.schemas) if "." not in p
                    else any(_matches(p, schema, name) for schema, name in names))]


def _matches(pattern: str, schema: str, name: str) -> bool:
    if "." not in pattern:
        return fnmatchcase(schema, pattern)
    schema_glob, name_glob = pattern.split(".", 1)
    return fnmatchcase(schema, schema_glob) and fnmatchcase(name, name_glob)
