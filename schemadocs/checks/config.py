"""How a project configures the health checks (the `checks:` part of its project file).

In: which rules to run (`rules`, or all) and skip, a level per rule, thresholds per rule,
object globs to exclude per rule. Out: `Settings`, validated against the registered rules:
an unknown rule id or threshold name is an error, never silence. `from_project` reads the
`checks:` section of the project file into `Settings`, with line numbers in its errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from schemadocs.checks.finding import Level
from schemadocs.checks.registry import Rule, all_rules
from schemadocs.errors import ConfigError
from schemadocs.project.file import ProjectFile, fail, mapping, number, strings, text


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
            raise ConfigError(f"unknown rule id {', '.join(unknown)}; `schemadocs rules` lists them")
        for rule_id, values in self.thresholds.items():
            bad = sorted(set(values) - set(rules[rule_id].thresholds))
            if bad:
                known = ", ".join(rules[rule_id].thresholds) or "none"
                raise ConfigError(f"rule {rule_id} has no threshold {', '.join(bad)} (it has: {known})")
        return [r for r in rules.values() if (not self.rules or r.id in self.rules) and r.id not in self.skip]


def from_project(project: ProjectFile) -> Settings:
    """The `checks:` section of the project file as `Settings`; every mistake names its line.

        checks:
          skip: [json-column]              # rules not to run
          rules:
            no-primary-key:                # a rule id (`schemadocs rules` lists them)
              level: error                 # error | warning | info
              thresholds: {name: number}   # the rule's own threshold names
              exclude: ["audit.*"]         # object globs (fnmatch, on the finding's object)
    """
    node = project.sections.get("checks")
    if node is None:
        return Settings()
    src, known = project.source, all_rules()
    section = mapping(node, src, "checks")
    _only(src, section, ("skip", "rules"), "checks")
    skip = tuple(_rule_id(src, rule_id, item, known) for rule_id, item in
                 (strings(section["skip"][1], src, "checks.skip") if "skip" in section else ()))
    levels: dict[str, Level] = {}
    thresholds: dict[str, dict[str, float]] = {}
    exclude: dict[str, tuple[str, ...]] = {}
    rules = mapping(section["rules"][1], src, "checks.rules") if "rules" in section else {}
    for rule_id, (key_node, value_node) in rules.items():
        r = known[_rule_id(src, rule_id, key_node, known)]
        entry = mapping(value_node, src, f"checks.rules.{rule_id}")
        _only(src, entry, ("level", "thresholds", "exclude"), f"checks.rules.{rule_id}")
        if "level" in entry:
            level = text(entry["level"][1], src, f"checks.rules.{rule_id}.level")
            if level not in {lv.value for lv in Level}:
                raise fail(src, entry["level"][1], f"level {level!r} is not one of error, warning, info")
            levels[rule_id] = Level(level)
        if "thresholds" in entry:
            values = mapping(entry["thresholds"][1], src, f"checks.rules.{rule_id}.thresholds")
            for name, (name_node, _) in values.items():
                if name not in r.thresholds:
                    raise fail(src, name_node, f"rule {rule_id} has no threshold {name!r} "
                                               f"(it has: {', '.join(r.thresholds) or 'none'})")
            thresholds[rule_id] = {name: number(v, src, f"threshold {name}") for name, (_, v) in values.items()}
        if "exclude" in entry:
            exclude[rule_id] = tuple(g for g, _ in strings(entry["exclude"][1], src, f"checks.rules.{rule_id}.exclude"))
    return Settings(skip=skip, levels=levels, thresholds=thresholds, exclude=exclude)


def _only(source: str, entries: Mapping[str, tuple[yaml.Node, yaml.Node]], allowed: tuple[str, ...], what: str) -> None:
    for key, (key_node, _) in entries.items():
        if key not in allowed:
            raise fail(source, key_node, f"unknown key {key!r} in {what} (known: {', '.join(allowed)})")


def _rule_id(source: str, rule_id: str, node: yaml.Node, known: Mapping[str, Rule]) -> str:
    if rule_id not in known:
        raise fail(source, node, f"unknown rule id {rule_id!r}; `schemadocs rules` lists them")
    return rule_id
