"""The rule registry and engine, without a database: ids, documentation, settings, excludes."""

from __future__ import annotations

import re

import pytest

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Level
from schemadocs.checks.registry import all_rules
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, Column, Constraint, ConstraintKind, QualifiedName, Relation, RelationKind


def table(name: str, *, pk: bool = False, partition_of: QualifiedName | None = None,
          kind: RelationKind = RelationKind.TABLE) -> Relation:
    constraints = (Constraint(name=f"{name}_pkey", kind=ConstraintKind.PRIMARY_KEY, columns=("id",)),) if pk else ()
    return Relation(schema="s", name=name, kind=kind, columns=(Column(name="id", type="integer", nullable=False),),
                    constraints=constraints, partition_of=partition_of)


def test_every_rule_is_documented_with_a_kebab_case_id() -> None:
    rules = all_rules()
    assert rules
    for rule_id, r in rules.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id) and r.id == rule_id
        assert r.title and r.why and r.fix and r.traps


def test_no_primary_key_skips_keyed_partitions_and_views() -> None:
    catalog = Catalog(database="d", server_version="16", relations=(
        table("keyed", pk=True, kind=RelationKind.PARTITIONED_TABLE),
        table("keyed_p1", partition_of=QualifiedName("s", "keyed")),
        table("loose"), table("v", kind=RelationKind.VIEW)))
    report = lint(catalog, Settings(rules=("no-primary-key",)))
    assert [(f.rule, f.object, f.level) for f in report.findings] == [("no-primary-key", "s.loose", Level.WARNING)]


def test_settings_change_levels_and_exclude_objects_and_reject_unknown_ids() -> None:
    catalog = Catalog(database="d", server_version="16", relations=(table("a"), table("b")))
    report = lint(catalog, Settings(rules=("no-primary-key",), levels={"no-primary-key": Level.ERROR},
                                    exclude={"no-primary-key": ("s.b",)}))
    assert [(f.object, f.level) for f in report.findings] == [("s.a", Level.ERROR)]
    with pytest.raises(ConfigError, match="unknown rule id no-such-rule"):
        lint(catalog, Settings(skip=("no-such-rule",)))
    with pytest.raises(ConfigError, match="has no threshold"):
        lint(catalog, Settings(thresholds={"no-primary-key": {"days": 3}}))
