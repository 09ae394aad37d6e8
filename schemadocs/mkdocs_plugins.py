"""The MkDocs plugins every build adds to its loaded config, for single- and multi-process builds alike.

In: a loaded `MkDocsConfig` and the build's cache directory. Out: the config with schemadocs'
plugins appended, in this order: the theme's compiled templates kept between builds
(`template_cache`), the anchors and search proxies of the columns tables that left the pages'
Markdown whole (`lifted_columns`), one copy of the page frame (`frame`: the navigation's
long lists and the theme's icons shared), the diagrams and fragments put into the built pages
(`inline_diagrams`; `packed`: as packed elements, `render.packed_diagrams`), the 404 page that finds the site's root (`not_found`), one search
entry per column (`search_columns`, after MkDocs' search plugin) and, on a site of several
databases, each search entry labelled with its database (`multisite.search_labels`).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from schemadocs import frame, inline_diagrams, lifted_columns, not_found, search_columns, template_cache
from schemadocs.multisite import search_labels


def add_plugins(cfg: MkDocsConfig, cache_dir: Path, packed: bool = False) -> None:
    """Append schemadocs' plugins to `cfg` (see the module's docstring)."""
    cfg.plugins[template_cache.NAME] = template_cache.TemplateCache(cache_dir)
    cfg.plugins[lifted_columns.NAME] = lifted_columns.LiftedColumns(cache_dir)
    cfg.plugins[frame.NAME] = frame.SharedFrame()
    cfg.plugins[inline_diagrams.NAME] = inline_diagrams.InlineDiagrams(cache_dir, packed)
    cfg.plugins[not_found.NAME] = not_found.NotFoundPage()
    cfg.plugins[search_columns.NAME] = search_columns.SearchColumns()
    cfg.plugins[search_labels.NAME] = search_labels.SearchLabels()
