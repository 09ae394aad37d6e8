"""Load the project file (`schemadocs.yml`), keeping line numbers for every error.

In: `--config FILE`, else `./schemadocs.yml` when it exists. Out: a `ProjectFile` whose
sections are YAML nodes, read with the typed helpers below (`mapping`, `strings`, `text`,
`number`); every mistake is a `ConfigError` saying `FILE line N: what is wrong`.
Known sections: `checks` (the health checks, read by `schemadocs.checks.config`), `relations`
(virtual foreign keys, read by `schemadocs.project.relations`), `options` (each command's
default options, read by `schemadocs.project.options`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from schemadocs.errors import ConfigError

DEFAULT = Path("schemadocs.yml")
SECTIONS = ("checks", "options", "relations")
_construct = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class ProjectFile:
    source: str  # the path as the user named it, for messages
    sections: dict[str, yaml.Node]


def load(config: Path | None) -> ProjectFile:
    """The project file named by `config`, else ./schemadocs.yml, else an empty one."""
    path = config if config is not None else DEFAULT
    if config is None and not path.is_file():
        return ProjectFile(str(path), {})
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"project file {path} does not exist; check --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"project file {path} cannot be read ({exc})") from None
    except yaml.MarkedYAMLError as exc:
        line = (exc.problem_mark or exc.context_mark).line + 1 if (exc.problem_mark or exc.context_mark) else 1
        raise ConfigError(f"{path} line {line}: not valid YAML ({exc.problem or exc.context})") from None
    source = str(path)
    if root is None:
        return ProjectFile(source, {})
    sections = mapping(root, source, "the project file")
    for key, (key_node, _) in sections.items():
        if key not in SECTIONS:
            raise fail(source, key_node, f"unknown section {key!r} (known: {', '.join(SECTIONS)})")
    return ProjectFile(source, {key: value for key, (_, value) in sections.items()})


def fail(source: str, node: yaml.Node, message: str) -> ConfigError:
    """An error pointing at `node`'s line."""
    return ConfigError(f"{source} line {node.start_mark.line + 1}: {message}")


def mapping(node: yaml.Node, source: str, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping's entries by key (key node, value node); duplicate or non-text keys are errors.
    An empty value (`checks:` alone) is an empty mapping."""
    if isinstance(node, yaml.ScalarNode) and _value(node) is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise fail(source, node, f"{what} must be a mapping (key: value)")
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = text(key_node, source, f"a key of {what}")
        if key in entries:
            raise fail(source, key_node, f"{key!r} is given twice in {what}")
        entries[key] = (key_node, value_node)
    return entries


def strings(node: yaml.Node, source: str, what: str) -> tuple[tuple[str, yaml.Node], ...]:
    """A list of text values, each with its node (for its line)."""
    if not isinstance(node, yaml.SequenceNode):
        raise fail(source, node, f"{what} must be a list")
    return tuple((text(item, source, f"each item of {what}"), item) for item in node.value)


def text(node: yaml.Node, source: str, what: str) -> str:
    value = _value(node)
    if not isinstance(value, str):
        raise fail(source, node, f"{what} must be text, not {_kind(value)}")
    return value


def number(node: yaml.Node, source: str, what: str) -> float:
    value = _value(node)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(source, node, f"{what} must be a number, not {_kind(value)}")
    return value


def _value(node: yaml.Node) -> object:
    return _construct.construct_object(node, deep=True) if isinstance(node, yaml.ScalarNode) else node


def _kind(value: object) -> str:
    if isinstance(value, yaml.MappingNode):
        return "a mapping"
    if isinstance(value, yaml.SequenceNode):
        return "a list"
    return "empty" if value is None else f"{type(value).__name__} {value!r}"
