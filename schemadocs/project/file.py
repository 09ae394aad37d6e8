"""Load the project file (`schemadocs.yml`) and the files it includes, keeping line numbers.

In: `--config FILE`, else `./schemadocs.yml` when it exists. Out: a `ProjectFile`: its sections
(YAML nodes, merged over `include:`d files, read with the typed helpers below: `mapping`,
`strings`, `text`, `number`) and the same as plain data, validated against the JSON Schema
`project.schema.json`. Every mistake is a `ConfigError` saying `FILE line N: what is wrong`:
bad YAML, an unknown section or key, a value of the wrong type, a key given twice (in one file
or in two), an include that is missing or forms a cycle.
Sections: `include`, `checks` (read by `schemadocs.checks.config`), `families` (read by
`schemadocs.families.settings`), `schemas`, `labels`,
`viewpoints` (read by `schemadocs.project.spec`) `relations` (virtual
foreign keys, read by `schemadocs.project.relations`), `options` (each command's default
options, read by `schemadocs.project.options`) and `databases` (the databases one site
documents, read by `schemadocs.project.databases`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from schemadocs.errors import ConfigError

DEFAULT = Path("schemadocs.yml")
SECTIONS = ("include", "databases", "checks", "families", "schemas", "labels", "viewpoints", "relations", "options")
OWN_READER = ("databases", "relations", "options")  # sections whose readers check them, with messages of their own
CONCATENATED = ("relations",)  # list sections whose items add up over included files
_construct = yaml.constructor.SafeConstructor()

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ProjectFile:
    source: str  # the path as the user named it, for messages
    sections: dict[str, yaml.Node]
    data: dict[str, Any] = field(default_factory=dict)  # the sections as plain data, validated
    nodes: dict[DataPath, yaml.Node] = field(default_factory=dict)  # data path -> its value node (for lines)
    files: tuple[str, ...] = ()  # the file, then what it includes, in reading order

    def where(self, path: DataPath) -> str:
        """`FILE line N` of the value at `path` (the file's first line when it has none)."""
        node = self.nodes.get(path)
        return where(node) if node is not None else f"{self.source} line 1"


def load(config: Path | None) -> ProjectFile:
    """The project file named by `config`, else ./schemadocs.yml, else an empty one."""
    path = config if config is not None else DEFAULT
    if config is None and not path.is_file():
        return ProjectFile(str(path), {})
    source = str(path)
    files: list[str] = []
    root = _read_tree(path, (), files, None)
    if root is None:
        return ProjectFile(source, {}, files=tuple(files))
    sections = {key: value for key, (_, value) in mapping(root, source, "the project file").items()}
    sections.pop("include", None)
    data, nodes = _plain(sections)
    _validate(data, nodes, source)
    return ProjectFile(source, sections, data, nodes, tuple(files))


def _read_tree(path: Path, chain: tuple[Path, ...], files: list[str], named_at: yaml.Node | None) -> yaml.Node | None:
    """The file at `path` merged with the files it includes (`chain`: the including files)."""
    real = path.resolve()
    if real in chain:
        names = [str(p) for p in chain[chain.index(real):]] + [str(path)]
        raise fail(str(chain[-1]), named_at, f"include cycle: {' -> '.join(names)}; remove one of these includes") \
            if named_at is not None else ConfigError(f"include cycle at {path}")
    if str(real) in files:
        return None  # included twice (not in a cycle): read once
    root = _compose(path, named_at)
    files.append(str(real))
    if root is None:
        return None
    entries = mapping(root, str(path), "the project file")
    for key, (key_node, _) in entries.items():
        if key not in SECTIONS:
            raise fail(str(path), key_node, f"unknown section {key!r} (known: {', '.join(SECTIONS)})")
    if "include" not in entries:
        return root
    merged: yaml.Node = root
    for name, item in strings(entries["include"][1], str(path), "include"):
        child = _read_tree(path.parent / name, (*chain, real), files, item)
        if child is not None:
            merged = _merge(merged, child, ())
    return merged


def _compose(path: Path, named_at: yaml.Node | None) -> yaml.Node | None:
    try:
        text_ = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named_at is not None:
            raise fail("", named_at, f"included file {path} does not exist; fix the path (relative to "
                                     "the including file)") from None
        raise ConfigError(f"project file {path} does not exist; check --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"project file {path} cannot be read ({exc})") from None
    stream = io.StringIO(text_)
    stream.name = str(path)  # type: ignore[misc]  # the marks name the file
    try:
        return yaml.compose(stream)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{path} line {line}: not valid YAML ({exc.problem or exc.context}); "
                          "fix the syntax") from None


def _merge(into: yaml.Node, other: yaml.Node, path: tuple[str, ...]) -> yaml.Node:
    """`other` merged into `into`: mappings key by key; the lists of CONCATENATED sections add
    up; anything else given in both is an error naming both places."""
    if isinstance(into, yaml.MappingNode) and isinstance(other, yaml.MappingNode):
        keys = {_value(k): i for i, (k, _) in enumerate(into.value)}
        value = list(into.value)
        for key_node, node in other.value:
            key = _value(key_node)
            if path == () and key == "include":
                continue
            if key not in keys:
                value.append((key_node, node))
                continue
            first_key, first = value[keys[key]]
            value[keys[key]] = (first_key, _merge_entry(first_key, first, key_node, node, (*path, str(key))))
        return yaml.MappingNode(into.tag, value, into.start_mark, into.end_mark, into.flow_style)
    return into


def _merge_entry(first_key: yaml.Node, first: yaml.Node, key_node: yaml.Node, node: yaml.Node,
                 path: tuple[str, ...]) -> yaml.Node:
    if isinstance(first, yaml.MappingNode) and isinstance(node, yaml.MappingNode):
        return _merge(first, node, path)
    if path[0] in CONCATENATED and len(path) == 1 and all(isinstance(n, yaml.SequenceNode) for n in (first, node)):
        return yaml.SequenceNode(first.tag, [*first.value, *node.value], first.start_mark, first.end_mark)
    raise fail("", key_node, f"{'.'.join(path)} is given twice, here and at {where(first_key)}; keep one")


def _plain(sections: dict[str, yaml.Node]) -> tuple[dict[str, Any], dict[DataPath, yaml.Node]]:
    """The sections as plain data, and each value's node by its path; duplicate keys are errors."""
    nodes: dict[DataPath, yaml.Node] = {}

    def walk(node: yaml.Node, path: DataPath) -> Any:
        nodes[path] = node
        if isinstance(node, yaml.MappingNode):
            entries = mapping(node, node.start_mark.name, ".".join(map(str, path)) or "the project file")
            for key, (key_node, _) in entries.items():
                nodes[(*path, key, "<key>")] = key_node
            return {key: walk(value, (*path, key)) for key, (_, value) in entries.items()}
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return _value(node)

    return {key: walk(node, (key,)) for key, node in sections.items()}, nodes


@cache
def json_schema() -> dict[str, Any]:
    """The project file's JSON Schema, shipped in the package (`project.schema.json`)."""
    text_ = resources.files("schemadocs.project").joinpath("project.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text_)
    return loaded


def _validate(data: dict[str, Any], nodes: dict[DataPath, yaml.Node], source: str) -> None:
    """The first error (by file and line) of validating `data` against the JSON Schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    errors = [e for e in _leaves(validator.iter_errors(data)) if not (e.absolute_path and e.absolute_path[0] in OWN_READER)]
    if not errors:
        return
    def line_of(error: jsonschema.ValidationError) -> tuple[str, int, str]:
        node = _node_of(error, nodes)
        return (node.start_mark.name, node.start_mark.line, error.message) if node else (source, 0, error.message)
    error = min(errors, key=line_of)
    node = _node_of(error, nodes)
    message = _message(error)
    raise fail(source, node, message) if node is not None else ConfigError(f"{source} line 1: {message}")


def _leaves(errors: Iterator[Any]) -> Iterator[Any]:
    for error in errors:
        if error.context:
            yield from _leaves(iter(error.context))
        else:
            yield error


def _node_of(error: Any, nodes: dict[DataPath, yaml.Node]) -> yaml.Node | None:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        unknown = _unknown_keys(error)
        if unknown:
            return nodes.get((*path, unknown[0], "<key>"))
    return nodes.get(path)


def _unknown_keys(error: Any) -> list[str]:
    known = set(error.schema.get("properties", {}))
    return sorted(k for k in error.instance if k not in known) if isinstance(error.instance, dict) else []


def _message(error: Any) -> str:
    """What is wrong and what to do, in the words of the older hand-written checks."""
    path = [str(p) for p in error.absolute_path]
    what = ".".join(path) or "the project file"
    if error.validator == "additionalProperties":
        known = ", ".join(error.schema.get("properties", {}))
        unknown = _unknown_keys(error)
        if not path:
            return f"unknown section {unknown[0]!r} (known: {', '.join(SECTIONS)})"
        return f"unknown key {unknown[0]!r} in {what} (known: {known}); fix the spelling"
    if error.validator == "type":
        expected = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "number": "a number",
                    "boolean": "true or false", "integer": "a whole number"}
        wanted = error.validator_value
        if isinstance(wanted, list):  # ["object", "null"]: an empty value stands for an empty mapping
            wanted = wanted[0] if len([w for w in wanted if w != "null"]) == 1 else [w for w in wanted if w != "null"]
        kind = expected.get(wanted, str(wanted)) if isinstance(wanted, str) else " or ".join(expected[w] for w in wanted)
        if path and path[-1].isdigit():
            return f"each item of {'.'.join(path[:-1])} must be {kind}, not {_kind(error.instance)}"
        return f"{what} must be {kind}" + ("" if wanted in ("object", "array") else f", not {_kind(error.instance)}")
    if error.validator == "enum":
        return f"{path[-1]} {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return f"{what or 'this entry'} needs {error.message.split(' ')[0]}; add it"
    if error.validator == "minLength":
        return f"{what} must not be empty"
    if error.validator == "minItems":
        return f"{what} must list at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
    if error.validator == "minimum":
        return f"{what} must be {error.validator_value} or more, not {error.instance!r}"
    if error.validator == "pattern":
        return f"{what} {error.instance!r} must look like {error.schema.get('description', error.validator_value)}"
    return f"{what}: {error.message}"


def where(node: yaml.Node) -> str:
    """`FILE line N` of a node."""
    return f"{node.start_mark.name} line {node.start_mark.line + 1}"


def fail(source: str, node: yaml.Node, message: str) -> ConfigError:
    """An error pointing at `node`'s line, in the file it was read from (`source` for nodes
    not read from a file)."""
    name = node.start_mark.name
    return ConfigError(f"{source if name.startswith('<') or not name else name} line {node.start_mark.line + 1}: "
                       f"{message}")


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
    if isinstance(value, yaml.MappingNode | dict):
        return "a mapping"
    if isinstance(value, yaml.SequenceNode | list):
        return "a list"
    return "empty" if value is None else f"{type(value).__name__} {value!r}"
