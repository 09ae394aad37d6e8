"""Which files for machines a site carries beside its pages: all of them by default, or fewer.

In: the `build` command's choice (`--no-markdown-copies`, `--no-api-files`, or the same as
`markdown-copies: false` and `api-files: false` under the project file's `options: build:`)
and, for the `api/` files, a database's docs-dir files. Out: `MachineFiles`, the choice; and
those files without the per-object JSON files (`without_api_objects`): `api/index.json` then
lists every object with its page only, while `catalog.json`, which holds the same facts, and
`api/health/` (which the Health pages link) stay. What leaving out the Markdown copies does
is `render.llms`'s: `llms.txt` links to the HTML pages, and there is no `llms-full.txt`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from schemadocs.api.paths import API_DIR, INDEX, ObjectKind
from schemadocs.api.static import dumps

OBJECT_DIRS = tuple(f"{API_DIR}/{kind.value}s/" for kind in ObjectKind)  # api/relations/, api/routines/, api/types/


@dataclass(frozen=True)
class MachineFiles:
    """What a build writes for machines besides `catalog.json`, `llms.txt` and `api/index.json`."""

    markdown: bool = True  # a clean `.md` copy beside every page, and `llms-full.txt`
    api_objects: bool = True  # `api/relations|routines|types/<schema>/<name>.json`, one per object


def without_api_objects(files: dict[str, str]) -> dict[str, str]:
    """`files` (docs-dir path → text) without the per-object `api/` files, and with no link to
    them in `api/index.json`."""
    kept = {path: text for path, text in files.items() if not path.startswith(OBJECT_DIRS)}
    if INDEX in kept:
        index = json.loads(kept[INDEX])
        for entry in index.get("objects", []):
            entry.get("links", {}).pop("api", None)
        kept[INDEX] = dumps(index)
    return kept
