"""The `options:` section of the project file: each command's default option values.

In: the project file (`schemadocs.project.file`) and the click command about to run. Out:
click's `default_map` for it ({parameter name: value}), so an option given on the command line
or by an environment variable wins over the file (click resolves command line, then the
environment, then `default_map`, then the built-in default). `OptionsGroup` finds the project
file before the command parses its options: `--config FILE` (or its old name `--project`),
else $SCHEMADOCS_<COMMAND>_CONFIG or $SCHEMADOCS_CONFIG (or the same with _PROJECT), else
./schemadocs.yml.

    options:
      all:                 # every command that has the option
        dsn: postgresql://docs@db.internal/shop
      build:
        out: public
        er-depth: 2
        include: [sales, billing]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
import yaml

from schemadocs.project.file import ProjectFile, fail, load, mapping

SECTION = "options"
ALL = "all"


class OptionsGroup(click.Group):
    """A click group whose commands take their defaults from the project file's `options:`."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None and not ctx.resilient_parsing \
                and not {"-h", "--help"} & set(rest):
            path = project_path(name, rest)
            # A named file that is not there is the command's to report (comments --import writes one).
            defaults = default_map(load(path), self, name) if path is None or path.exists() else {}
            if defaults:
                ctx.default_map = {**(ctx.default_map or {}), name: defaults}
        return name, command, rest


def project_path(command: str, args: list[str]) -> Path | None:
    """The project file a command's arguments or environment name; None: ./schemadocs.yml if any."""
    flags = ("--config", "--project")
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for flag in flags:
            if arg == flag and i + 1 < len(args):
                return Path(args[i + 1])
            if arg.startswith(flag + "="):
                return Path(arg[len(flag) + 1:])
    name = command.upper().replace('-', '_')
    for var in (f"SCHEMADOCS_{name}_CONFIG", "SCHEMADOCS_CONFIG", f"SCHEMADOCS_{name}_PROJECT", "SCHEMADOCS_PROJECT"):
        if os.environ.get(var):
            return Path(os.environ[var])
    return None


def default_map(project: ProjectFile, group: click.Group, command_name: str) -> dict[str, Any]:
    """The command's defaults from `options:` (its own entries over those under `all:`);
    an unknown command or option, or a value the option refuses, is an error with its line."""
    node = project.sections.get(SECTION)
    command = group.commands.get(command_name)
    if node is None or command is None:
        return {}
    source = project.source
    sections = mapping(node, source, "options")
    for key, (key_node, _) in sections.items():
        if key != ALL and key not in group.commands:
            raise fail(source, key_node, f"options: unknown command {key!r} (known: {ALL}, "
                       f"{', '.join(sorted(group.commands))})")
    defaults: dict[str, Any] = {}
    for key in (ALL, command_name):
        if key not in sections:
            continue
        for option, (option_node, value_node) in mapping(sections[key][1], source, f"options: {key}").items():
            param = _param(command, option)
            if param is None:
                if key == ALL:
                    continue  # `all:` options apply where they exist
                raise fail(source, option_node, f"options: {key}: {command_name} has no option --{option}")
            value = _value(value_node, param, source)
            try:
                param.type_cast_value(click.Context(command), value)
            except click.BadParameter as exc:
                raise fail(source, value_node, f"options: {key}: --{option}: {exc.message}") from None
            defaults[param.name or option] = value
    return defaults


def _param(command: click.Command, option: str) -> click.Option | None:
    for param in command.params:
        if isinstance(param, click.Option) and f"--{option}" in param.opts and option not in ("config", "project"):
            return param
    return None


def _value(node: yaml.Node, param: click.Option, source: str) -> Any:
    if isinstance(node, yaml.SequenceNode):
        if not param.multiple:
            raise fail(source, node, f"options: --{param.opts[-1].lstrip('-')} takes one value, not a list")
        return [_scalar(item, source) for item in node.value]
    value = _scalar(node, source)
    return [value] if param.multiple else value


def _scalar(node: yaml.Node, source: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise fail(source, node, "options: a value must be text, a number, true/false or a list of them")
    return yaml.constructor.SafeConstructor().construct_object(node)
