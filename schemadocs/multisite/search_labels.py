"""A MkDocs plugin that says, in the one search index of a several-database site, which
database each result belongs to.

In: the docs dir's `.schemadocs-databases.json` (database folder → label, written by
`multisite.build`; MkDocs leaves dot files out of the site) and, after the build, the search
plugin's `search/search_index.json`. Out: the same index where the title of every entry under
a database's folder starts with `<label> › `. A site of one database has no such file: the
index is left as it is. Added by `mkdocs_plugins` after `search_columns`, so column entries
are labelled too; labelling is idempotent, so the entries an incremental or parallel build
merges from another index are never labelled twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

NAME = "schemadocs/search-databases"
LABELS_FILE = ".schemadocs-databases.json"
SEARCH_INDEX = "search/search_index.json"
SEPARATOR = " › "


class SearchLabels(BasePlugin):  # type: ignore[type-arg]
    def on_post_build(self, *, config: Any) -> None:
        labels_file = Path(config["docs_dir"]) / LABELS_FILE
        index_file = Path(config["site_dir"]) / SEARCH_INDEX
        if not (labels_file.is_file() and index_file.is_file()):
            return
        labels: dict[str, str] = json.loads(labels_file.read_text(encoding="utf-8"))
        index = json.loads(index_file.read_text(encoding="utf-8"))
        index_file.write_text(json.dumps(labelled(index, labels), separators=(",", ":")), encoding="utf-8")


def labelled(index: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """The index with each entry under a database's folder titled `<label> › <title>`."""
    docs = []
    for doc in index["docs"]:
        folder = str(doc["location"]).split("/", 1)[0]
        label = labels.get(folder) if "/" in str(doc["location"]) else None
        title = str(doc.get("title", ""))
        if label is not None and not title.startswith(label + SEPARATOR):
            doc = {**doc, "title": f"{label}{SEPARATOR}{title}"}
        docs.append(doc)
    return {**index, "docs": docs}
