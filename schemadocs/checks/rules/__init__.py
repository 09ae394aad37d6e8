"""The rule modules, one per category; importing them registers their rules."""

from schemadocs.checks.rules import docs, keys, maintenance, naming, security  # noqa: F401
