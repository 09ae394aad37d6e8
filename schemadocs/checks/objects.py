"""The names a finding's `object` can take in a catalog, so an exclude glob naming nothing is an error.

In: a `Catalog`, and per rule the exclude globs that some finding matched. Out: nothing, or a
`ConfigError` for the first glob that matches neither a finding nor any object of the
catalog (a relation `s.t`, column `s.t.c`, index `s.i`, constraint, policy or trigger
`s.t.name`, routine `s.f(argtypes)`, sequence `s.seq`, or a schema): a typo in an exclude
must not silently let findings through or keep stale entries around.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase

from schemadocs.checks.index_key import index_name
from schemadocs.checks.names import member
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, QualifiedName, quote_ident


def check_excludes(catalog: Catalog, exclude: Mapping[str, tuple[str, ...]], matched: set[tuple[str, str]]) -> None:
    """Raise for an exclude glob (rule id, glob) that no finding matched and no object name matches."""
    unmatched = [(rule_id, glob) for rule_id, globs in exclude.items() for glob in globs if (rule_id, glob) not in matched]
    if not unmatched:
        return
    names = set(object_names(catalog))
    for rule_id, glob in unmatched:
        if not any(fnmatchcase(name, glob) for name in names):
            raise ConfigError(f"the exclude {glob!r} of rule {rule_id} matches no object in the catalog "
                              "(objects are named as in findings: s.t, s.t.c, s.i, s.f(argtypes)); "
                              "fix the glob or remove it")


def object_names(catalog: Catalog) -> Iterator[str]:
    """Every name a finding's object can take in `catalog` (multi-column keys aside)."""
    yield from {quote_ident(name) for name in (*(s.name for s in catalog.schemas), *(r.schema for r in catalog.relations))}
    for r in catalog.relations:
        yield str(r.qname)
        yield from (member(r, (c.name,)) for c in (*r.columns, *r.constraints, *r.policies, *r.triggers))
        yield from (index_name(r, i) for i in r.indexes)
    yield from (f.identity for f in catalog.routines)
    yield from (str(QualifiedName(s.schema, s.name)) for s in catalog.sequences)
