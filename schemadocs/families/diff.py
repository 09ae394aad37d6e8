"""A diff of two catalogs that knows schema families.

In: the `Diff` of two catalogs (`diff.diff`), both catalogs and the family settings. Out: the
same `Diff` where
- a schema added with the structure of a family of the new catalog is one change, "schema X
  joined family F" (and a near-member's, "joined family F" with its differences as the reason),
  instead of one change per table, column, index and sequence it holds; a schema removed from a
  family of the old catalog is "schema X left family F";
- a change made alike in every member of a family present on both sides (a migration run for each
  tenant) is one change, named on the representative, its reason saying so, instead of N copies.
Without families on either side, the diff comes back unchanged.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from schemadocs.diff.change import Action, Change, Diff, Severity
from schemadocs.families.detect import Families, detect
from schemadocs.families.settings import FamilySettings
from schemadocs.model import Catalog, quote_ident

FAMILY = "family"  # the `field` of a joined/left change: `new` (joined) or `old` (left) is the family's name


def family_diff(result: Diff, old: Catalog, new: Catalog, settings: FamilySettings | None = None,
                after: Families | None = None) -> Diff:
    """`result` (the diff from `old` to `new`) with schema families folded in (see the module docstring).
    `after`: `new`'s families when the caller has detected them already (a build: detected once)."""
    before = detect(old, settings)
    after = detect(new, settings) if after is None else after
    if not result or not (before or after):
        return result
    by_schema: dict[str, list[Change]] = defaultdict(list)
    for change in result.changes:
        by_schema[change.path[0] if change.path else ""].append(change)
    kept: list[Change] = []
    old_schemas, new_schemas = {s.name for s in old.schemas}, {s.name for s in new.schemas}
    for schema, changes in by_schema.items():
        joined = _moved(schema, after, "joined") if schema not in old_schemas and schema in new_schemas else None
        left = _moved(schema, before, "left") if schema in old_schemas and schema not in new_schemas else None
        kept += [joined or left] if (joined or left) else changes
    return dataclasses.replace(result, changes=tuple(_alike(kept, after, old_schemas)))


def _moved(schema: str, families: Families, how: str) -> Change | None:
    family = families.of_schema.get(schema)
    if family is None:
        return None
    near = next((n for n in family.near if n.schema == schema), None)
    others = family.size - (0 if near is not None else 1)
    reason = (f"{'joined' if how == 'joined' else 'left'} family {family.name} "
              f"({others} other schema{'s' if others != 1 else ''}, documented as {family.representative})")
    if near is not None:
        reason += "; a near-member: " + "; ".join(str(d) for d in near.differences)
    removed = how == "left"
    return Change(object="schema", name=quote_ident(schema), path=(schema,),
                  action=Action.REMOVED if removed else Action.ADDED, field=FAMILY,
                  old=family.name if removed else None, new=None if removed else family.name,
                  severity=Severity.BREAKING if removed else Severity.SAFE,
                  reason=reason + ("; its data is gone" if removed else ""))


def _alike(changes: list[Change], families: Families, old_schemas: set[str]) -> list[Change]:
    """The changes made alike in every member of a family (present on both sides), once each."""
    if not families:
        return changes
    groups: dict[tuple[str, tuple[object, ...]], list[Change]] = defaultdict(list)
    rest: list[Change] = []
    for change in changes:
        family = families.of_schema.get(change.path[0]) if change.path and change.field != FAMILY else None
        if family is None or change.path[0] not in family.members or change.path[0] not in old_schemas:
            rest.append(change)
            continue
        groups[(family.name, _shape(change))].append(change)
    for (name, _), members in groups.items():
        family = families.named(name)
        assert family is not None
        present = [m for m in family.members if m in old_schemas]
        if len(members) == len(present) > 1:
            first = next((c for c in members if c.path[0] == family.representative), members[0])
            rest.append(dataclasses.replace(first, reason=f"{first.reason} (in all {len(present)} schemas of "
                                                          f"family {family.name}, shown on {first.path[0]})"))
        else:
            rest += members
    return rest


def _shape(change: Change) -> tuple[object, ...]:
    """A change without the schema it was made in."""
    schema = change.path[0]
    prefix = quote_ident(schema) + "."

    def plain(value: str | None) -> str | None:
        return None if value is None else value.replace(prefix, "\x00.")

    return (change.object, change.path[1:], change.action, change.field, plain(change.old), plain(change.new),
            change.severity)
