"""Health checks: the database architect's review of a catalog, from the model alone.

catalog (+ settings) → `engine.lint` → `Report` of `Finding`s → `output/` formats, the site.
A rule is one small unit in `rules/<category>.py`: its id, level, category, documentation
and check function, registered with `registry.rule`.
"""
