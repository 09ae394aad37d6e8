"""Incremental site builds: after a small change, MkDocs renders only the pages that changed.

In: the docs dir, the previous site (with the stamp it was built with), the navigation,
the config files and the loaded MkDocs config. Out: a `Plan`, either a full build or the
list of changed docs-dir files. For an incremental plan, `prepare` copies into the staging
directory the previous site's files that its build record lists, unchanged (so anything
added to or edited in `--out` since is dropped, and rebuilt when it is the build's), but
not the outputs of the changed files, so MkDocs' dirty build (which skips any page whose
output is newer than its source) renders exactly those; `merge_search_index` then puts
every other page's search entries back, which a dirty build leaves out. The result is what
a full build gives. `write_stamp` records what the new site was built from and its files.

Of the changed files only the Markdown pages are rendered (`rendered_pages` counts them); the
others (the `api/` JSON, `catalog.json`) are copied by MkDocs as they are. After a migration
most of those change although few pages do: each table's statistics (`xid_age`, the age of its
frozen transaction ID) advance with every transaction in the database.

A change is found by content (SHA-256 of every docs-dir file), never by time stamps. Any
change outside the pages (configs, navigation, schemadocs, MkDocs, theme or Markdown
versions), a page added or removed, a theme `custom_dir`, hooks, a plugin other than
search, or a change to more than half of the pages (not counting the static files MkDocs only
copies) means a full build.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from schemadocs import site_reuse
from schemadocs.atomic import write_atomic
from schemadocs.render.frame_icons import STYLE_FILE
from schemadocs.render.frame_nav import DATA_FILE
from schemadocs.render.frame_scripts import CONFIG_FILE, HEAD_FILE, PALETTE_FILE

STAMP = ".schemadocs-build.json"
STAT_FILE = "site-stat.json"  # in the build's cache directory: the stats of the site's files (write_stamp)
SEARCH_INDEX = "search/search_index.json"
# the files for machines (render.llms) besides the `.md` copies: every build writes those it
# carries after MkDocs, so a copy of the previous site never keeps one a build leaves out
MACHINE_NAMES = ("llms.txt", "llms-full.txt")
# what MkDocs and the plugins write on every build whatever changed: never hard-linked (site_reuse)
WRITTEN_EVERY_BUILD = frozenset({SEARCH_INDEX, "sitemap.xml", "sitemap.xml.gz", "404.html", DATA_FILE, STYLE_FILE,
                                 HEAD_FILE, PALETTE_FILE, CONFIG_FILE})
MAX_CHANGED_SHARE = 0.5  # of the pages: beyond this a full build is as fast and simpler
PACKAGES = ("schemadocs", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
SAFE_PLUGINS = {"search", "material/search"}  # plugins that see one page at a time


@dataclass(frozen=True)
class Plan:
    fingerprint: str  # everything but the docs-dir files
    files: dict[str, str]  # docs-dir path → SHA-256 of its bytes
    changed: tuple[str, ...] | None  # None: build everything
    reason: str  # why a full build, or how many files changed
    previous_site: dict[str, str] = field(default_factory=dict)  # the previous site's files as built: path → SHA-256
    previous_stats: dict[str, list[int]] = field(default_factory=dict)  # and their size, mtime_ns, inode (site_reuse)


def plan(docs_dir: Path, previous_site: Path, nav: list[Any], config_files: list[Path], cfg: MkDocsConfig,
         always: tuple[str, ...] = (), stat_file: Path | None = None, packed: bool = False) -> Plan:
    """Decide between a full and an incremental build of `docs_dir` over `previous_site`.

    `always` are files rendered in every incremental build too: hand-written pages, whose
    Markdown links MkDocs checks against the pages they point to, changed or not. `stat_file`
    (outside the site, so that the site stays the same bytes build after build) holds the stats
    of the previous site's files as `write_stamp` left them, for the build record it names.
    `packed` (the diagrams go into the pages packed, `render.packed_diagrams`) joins the
    fingerprint: a site built with the other form is never copied.
    """
    files = hash_files(docs_dir)
    fingerprint = _fingerprint(docs_dir, nav, config_files, packed)

    def full(reason: str) -> Plan:
        return Plan(fingerprint=fingerprint, files=files, changed=None, reason=reason)

    try:
        record = (previous_site / STAMP).read_bytes()
        stamp = json.loads(record)
    except (OSError, ValueError):
        return full("no previous build")
    if not isinstance(stamp, dict) or stamp.get("fingerprint") != fingerprint:
        return full("configuration, navigation or versions changed")
    if any("!ENV" in _read(f) for f in config_files):
        return full("the configuration reads environment variables")
    if cfg.theme.custom_dir or cfg.hooks or set(cfg.plugins) - SAFE_PLUGINS:
        return full("theme overrides, hooks or plugins that may read every page")
    before = stamp.get("files")
    if not isinstance(before, dict) or set(before) != set(files):
        return full("pages were added or removed")
    built = stamp.get("site")
    if not isinstance(built, dict) or not built:
        return full("the previous build record does not list its files")
    if _sha256(previous_site / SEARCH_INDEX) != built.get(SEARCH_INDEX):
        return full("the previous site's search index is missing or was edited")
    changed = {p for p, digest in files.items() if before[p] != digest}
    # Pages only: MkDocs renders a changed page but merely copies a changed static file (each
    # table's api/ JSON changes with its statistics on every build against a live database).
    pages, changed_pages = _pages(files), _pages(changed)
    if changed_pages > MAX_CHANGED_SHARE * pages:
        return full(f"{changed_pages} of {pages} pages changed")
    return Plan(fingerprint=fingerprint, files=files, changed=tuple(sorted(changed | (set(always) & set(files)))),
                reason=f"{len(changed)} of {len(files)} files changed", previous_site=built,
                previous_stats=_stats(stat_file, hashlib.sha256(record).hexdigest()))


def rendered_pages(plan: Plan) -> int | None:
    """How many Markdown pages MkDocs renders for `plan` (None: a full build, all of them)."""
    return None if plan.changed is None else _pages(plan.changed)


def _pages(paths: Iterable[str]) -> int:
    """How many of the docs-dir `paths` are Markdown pages (the rest are static files MkDocs copies)."""
    return sum(1 for p in paths if p.endswith(".md"))


def prepare(plan: Plan, docs_dir: Path, previous_site: Path, staging: Path,
            extra: Mapping[str, str] | None = None) -> dict[str, site_reuse.Known]:
    """Put into `staging` the previous site's files as built, but the outputs of the changed files
    (`site_reuse`: outputs of unchanged docs-dir files hard-linked, the rest copied), and of the
    files for machines (`extra`: site path → text, written after MkDocs) only the `.md` copies
    whose text is the same (linked: `build.write_extra` leaves them alone); return what is known
    of the staged files, for `write_stamp`."""
    assert plan.changed is not None
    rebuilt = {_output(path, docs_dir, staging).dest_uri for path in plan.changed}
    same_copies = {path for path, text in (extra or {}).items() if path.endswith(".md")
                   and plan.previous_site.get(path) == hashlib.sha256(text.encode("utf-8")).hexdigest()}
    # rebuilt anyway, or written on every build (the other files for machines after MkDocs; the
    # sitemap, the 404 page, the search index and the shared frame files by MkDocs and its plugins)
    skip = rebuilt | {p for p in plan.previous_site
                      if (p.endswith(".md") and p not in same_copies) or Path(p).name in MACHINE_NAMES}
    linkable: dict[str, Path | None] = {path: None for path in same_copies}
    for path in plan.files:
        if path not in plan.changed:
            out = _output(path, docs_dir, staging).dest_uri
            if out not in WRITTEN_EVERY_BUILD and out not in linkable:
                linkable[out] = docs_dir / path
    return site_reuse.reuse(plan.previous_site, plan.previous_stats, previous_site, staging, linkable, skip)


def merge_search_index(plan: Plan, docs_dir: Path, previous_site: Path, staging: Path) -> None:
    """The previous index with the changed pages' entries replaced by the ones just built."""
    assert plan.changed is not None
    index_path = staging / SEARCH_INDEX
    built = json.loads(index_path.read_text(encoding="utf-8"))
    previous = json.loads((previous_site / SEARCH_INDEX).read_text(encoding="utf-8"))
    fresh: dict[str, list[dict[str, Any]]] = {}
    for doc in built["docs"]:
        fresh.setdefault(_page_of(doc), []).append(doc)
    # MkDocs also renders a page whose output went missing: its fresh entries replace the old too
    rebuilt = {_output(p, docs_dir, staging).url for p in plan.changed} | set(fresh)
    docs: list[dict[str, Any]] = []
    for doc in previous["docs"]:  # keep the full build's order: each page's entries where they were
        page = _page_of(doc)
        if page not in rebuilt:
            docs.append(doc)
        elif page in fresh:
            docs.extend(fresh.pop(page))
    docs.extend(doc for entries in fresh.values() for doc in entries)  # pages that had no entries before
    index_path.write_text(json.dumps({**built, "docs": docs}, separators=(",", ":"), default=str), encoding="utf-8")


def write_stamp(plan: Plan, site: Path, known: dict[str, site_reuse.Known] | None = None,
                stat_file: Path | None = None) -> None:
    """The build record: what the site was built from, and every file of it (the stamp aside) by
    content; a file in `known` whose stat is unchanged is not read again. The files' stats
    (`site_reuse`) go to `stat_file`, with the SHA-256 of the record they belong to."""
    digests, stats = {}, {}
    for f in _site_files(site):
        path = f.relative_to(site).as_posix()
        st = site_reuse.stat_of(f.stat())
        seen = (known or {}).get(path)
        digests[path] = seen.digest if seen is not None and seen.stat == st else hashlib.sha256(f.read_bytes()).hexdigest()
        stats[path] = list(st)
    record = json.dumps({"fingerprint": plan.fingerprint, "files": plan.files, "site": digests},
                        sort_keys=True).encode("utf-8")
    (site / STAMP).write_bytes(record)
    if stat_file is not None:
        stat_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(stat_file, json.dumps({"record": hashlib.sha256(record).hexdigest(), "stat": stats}))


def _stats(stat_file: Path | None, record: str) -> dict[str, list[int]]:
    """The stats `write_stamp` kept for the build record whose SHA-256 is `record` (none else)."""
    try:
        kept = json.loads(stat_file.read_bytes()) if stat_file is not None else None
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("record") != record or not isinstance(kept.get("stat"), dict):
        return {}
    return kept["stat"]


def hash_files(docs_dir: Path) -> dict[str, str]:
    """Every file under `docs_dir` (hidden ones aside: MkDocs reads none), by content; also
    used for a built site."""
    return {f.relative_to(docs_dir).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in _site_files(docs_dir)}


def _site_files(folder: Path) -> list[Path]:
    """Every file under `folder` but hidden ones, sorted."""
    return [f for f in sorted(folder.rglob("*"))
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts)]


def _fingerprint(docs_dir: Path, nav: list[Any], config_files: list[Path], packed: bool = False) -> str:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    configs = {str(f): _read(f) for f in _with_inherited(config_files)}
    text = json.dumps({"docs_dir": str(docs_dir.resolve()), "nav": nav, "configs": configs, "versions": versions,
                       **({"packed diagrams": True} if packed else {})}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_inherited(config_files: list[Path]) -> list[Path]:
    """The config files and every file they INHERIT from, transitively."""
    seen: list[Path] = []
    todo = [Path(f).resolve() for f in config_files]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.append(f)
        match = re.search(r"^INHERIT:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(?:#.*)?$", _read(f), flags=re.M)
        if match:
            todo.append((f.parent / match.group(1)).resolve())
    return seen


def _read(f: Path) -> str:
    try:
        return f.read_text(encoding="utf-8")
    except OSError:
        return ""


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _output(path: str, docs_dir: Path, site: Path) -> File:
    return File(path, src_dir=str(docs_dir), dest_dir=str(site), use_directory_urls=False)


def _page_of(doc: dict[str, Any]) -> str:
    return str(doc["location"]).split("#")[0]
