"""Structured schema diff: two catalogs in, classified changes out (`diff.diff`), rendered for a terminal, a pull request or a machine (`render.render`)."""
