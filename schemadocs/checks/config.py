"""How a project configures the health checks (the `checks:` part of its project file).

In: which rules to run (`rules`, or all) and skip, a level per rule, thresholds per rule,
object globs to exclude per rule. Out: `Settings`, validated against the registered rules:
an unknown rule id or threshold name is an error, never silence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemadocs.checks.finding import Level
from schemadocs.checks.registry import Rule
from schemadocs.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    rules: tuple[str, ...] = ()  # only these (empty: all)
    skip: tuple[str, ...] = ()
    levels: Mapping[str, Level] = field(default_factory=dict)
    thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # rule id -> object globs

    def selected(self, rules: Mapping[str, Rule]) -> list[Rule]:
        """The rules to run, after checking that every id and threshold named is known."""
        named = {*self.rules, *self.skip, *self.levels, *self.thresholds, *self.exclude}
        unknown = sorted(named - set(rules))
        if unknown:
            raise ConfigError(f"unknown rule id {', '.join(unknown)}; `schemadocs lint --list-rules` lists them")
        for rule_id, values in self.thresholds.items():
            bad = sorted(set(values) - set(rules[rule_id].thresholds))
            if bad:
                known = ", ".join(rules[rule_id].thresholds) or "none"
                raise ConfigError(f"rule {rule_id} has no threshold {', '.join(bad)} (it has: {known})")
        return [r for r in rules.values() if (not self.rules or r.id in self.rules) and r.id not in self.skip]
