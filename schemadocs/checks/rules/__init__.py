"""The rule modules, one per category; importing them registers their rules."""

from schemadocs.checks.rules import docs, indexes, keys, maintenance, naming, security, types  # noqa: F401
