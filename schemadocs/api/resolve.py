"""Names as a person or an agent types them, resolved to catalog objects.

In: `Sources` and a name: `schema.relation`, `relation`, `schema.relation.column`,
`relation.column`, `schema.function` or `schema.function(args)`, `schema.type`; quoted as
in SQL for mixed case (`"Sales"."Orders"`), else folded to lower case as PostgreSQL folds
them. Out: the one object named (`Target`), or `UnknownName` with the closest names the
catalog holds ("did you mean"), or a `ConfigError` listing the candidates of an ambiguous name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from schemadocs.api.objects import Sources
from schemadocs.api.paths import ObjectKind
from schemadocs.errors import ConfigError, UnknownName
from schemadocs.lineage.trace import split_identifier
from schemadocs.model import ColumnRef, QualifiedName

SUGGESTIONS = 5


@dataclass(frozen=True, order=True)
class Target:
    kind: ObjectKind
    qname: QualifiedName
    column: str | None = None  # a relation's column

    @property
    def column_ref(self) -> ColumnRef | None:
        return None if self.column is None else ColumnRef(self.qname.schema, self.qname.name, self.column)

    def __str__(self) -> str:
        return str(self.column_ref) if self.column is not None else str(self.qname)


def resolve(src: Sources, name: str, kinds: tuple[ObjectKind, ...] = tuple(ObjectKind), columns: bool = True) -> Target:
    """The one object `name` names among `kinds` (and, with `columns`, relation columns). A
    name that is a relation's and a routine's too is the relation's (`name()` the routine's)."""
    text = re.sub(r"\(.*\)\s*$", "", name.strip())  # a routine's argument list: the name is enough
    if text != name.strip() and ObjectKind.ROUTINE in kinds:
        kinds, columns = (ObjectKind.ROUTINE,), False
    if not text:
        raise ConfigError("pass a name: schema.relation, schema.relation.column, schema.function or schema.type")
    try:
        parts = split_identifier(text)
    except ConfigError:
        parts = [text]
    found = sorted(set(_candidates(src, parts, kinds, columns)))
    if len(found) == 1:
        return found[0]
    if found:
        raise ConfigError(f"{name!r} is ambiguous: {', '.join(map(str, found[:8]))}; qualify it with its schema")
    suggestions = suggest(src, text, kinds, columns)
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; use search to find it"
    what = [k.value for k in kinds] + (["column"] if columns and ObjectKind.RELATION in kinds else [])
    raise UnknownName(f"no {' or '.join(what)} named {name!r}{hint}", suggestions)


def _candidates(src: Sources, parts: list[str], kinds: tuple[ObjectKind, ...], columns: bool) -> list[Target]:
    names = _names(src)
    found: list[Target] = []
    if len(parts) == 2:
        q = QualifiedName(*parts)
        found += [Target(k, q) for k in kinds if q in names[k]][:1]  # kinds in order of preference
    if len(parts) == 1:
        found += [Target(k, q) for k in kinds for q in names[k].values() if q.name == parts[0]]
    if found:  # as PostgreSQL reads a name: schema.object before relation.column
        return found
    if columns and ObjectKind.RELATION in kinds:
        if len(parts) == 3:
            rel = src.catalog.relation(QualifiedName(parts[0], parts[1]))
            if rel is not None and any(c.name == parts[2] for c in rel.columns):
                found.append(Target(ObjectKind.RELATION, rel.qname, parts[2]))
        if len(parts) == 2:
            found += [Target(ObjectKind.RELATION, r.qname, parts[1]) for r in src.catalog.documented
                      if r.name == parts[0] and any(c.name == parts[1] for c in r.columns)]
    return found


def suggest(src: Sources, text: str, kinds: tuple[ObjectKind, ...] = tuple(ObjectKind), columns: bool = True) -> tuple[str, ...]:
    """The names closest to `text` (difflib on the unquoted spelling), as SQL spells them, so each resolves."""
    spelled = _spelled(src, kinds, columns and text.count(".") >= 1)
    typed = text.replace('"', "")
    close = difflib.get_close_matches(typed, list(spelled), n=SUGGESTIONS, cutoff=0.6)
    if len(close) < SUGGESTIONS and "." not in typed:  # a bare name: compare with the names alone
        bare = {s.rsplit(".", 1)[-1]: s for s in spelled}
        close += [bare[b] for b in difflib.get_close_matches(typed, list(bare), n=SUGGESTIONS, cutoff=0.6)
                  if bare[b] not in close]
    return tuple(spelled[c] for c in close[:SUGGESTIONS])


def _names(src: Sources) -> dict[ObjectKind, dict[QualifiedName, QualifiedName]]:
    return _cached_names(src)


@cache
def _cached_names(src: Sources) -> dict[ObjectKind, dict[QualifiedName, QualifiedName]]:
    return {ObjectKind.RELATION: {r.qname: r.qname for r in src.catalog.documented},
            ObjectKind.ROUTINE: {q: q for q in src.routine_names},
            ObjectKind.TYPE: {q: q for q in src.types}}


@cache
def _spelled(src: Sources, kinds: tuple[ObjectKind, ...], columns: bool) -> dict[str, str]:
    """Unquoted `schema.name[.column]` → the same name as SQL spells it."""
    names = _cached_names(src)
    spelled = {f"{q.schema}.{q.name}": str(q) for k in kinds for q in names[k]}
    if columns and ObjectKind.RELATION in kinds:
        spelled.update((f"{r.schema}.{r.name}.{c.name}", str(ColumnRef(r.schema, r.name, c.name)))
                       for r in src.catalog.documented for c in r.columns)
    return spelled
