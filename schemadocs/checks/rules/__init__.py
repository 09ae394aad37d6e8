"""The rule modules, one per category; importing them registers their rules."""

from schemadocs.checks.rules import indexes, keys, types  # noqa: F401
