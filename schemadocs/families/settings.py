"""How a project configures schema families (the `families:` part of its project file).

In: the project file. Out: `FamilySettings`: whether families are detected, how many identical
schemas make one, how many differences a near-member may have, and which schemas may take part.
The JSON Schema (`project.schema.json`) has already checked types and bounds; every mistake it
cannot see is a `ConfigError` naming the file and line.

    families:
      enable: true            # detect families (default)
      min_members: 3          # identical schemas that make a family
      max_differences: 3      # a schema this close to a family is listed as its near-member
      include: ["tenant_*"]   # schema globs that may form families (default: every schema)
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadocs.project.file import ProjectFile, mapping, strings


@dataclass(frozen=True)
class FamilySettings:
    enable: bool = True
    min_members: int = 3
    max_differences: int = 3
    include: tuple[str, ...] = ()  # schema globs; empty: every schema


def from_project(project: ProjectFile) -> FamilySettings:
    """The `families:` section of the project file as `FamilySettings` (defaults without one)."""
    node = project.sections.get("families")
    if node is None:
        return FamilySettings()
    src = project.source
    section = mapping(node, src, "families")
    data = project.data.get("families") or {}
    include = tuple(g for g, _ in strings(section["include"][1], src, "families.include")) if "include" in section else ()
    return FamilySettings(enable=bool(data.get("enable", True)), min_members=int(data.get("min_members", 3)),
                          max_differences=int(data.get("max_differences", 3)), include=include)
