"""Cold builds on every core: MkDocs run in several processes, each rendering a share of the pages.

In: the loaded MkDocs config of a full build (site_dir: the staging directory), the derived
config file it was loaded from, the docs dir, the docs-dir files and the number of jobs
(`jobs_for`). Out: the staging directory holding what one single-process `mkdocs build`
writes, byte for byte (tested on a small site).

Each process runs MkDocs' own dirty build: every page of the other shares is given an empty
output file as old as its source beforehand, so MkDocs neither reads nor renders it (as the
incremental path does, `schemadocs/incremental.py`). This process renders the first share
and writes the static files, theme templates and sitemap; the others render their pages
into folders of their own, whose pages are then moved into the staging directory (and the
shared frame files their pages gave joined into its own, `schemadocs.frame`). The search
index is merged: every page's entries in the order a single build adds them (MkDocs' page
order). A link to an anchor of a page rendered by another process is not checked by MkDocs
(the site's own link checker in the tests follows every one).

`SCHEMADOCS_JOBS=N` sets the number of processes (1: no parallel build); by default there is
one per core, once a site has `MIN_PAGES_PER_JOB` pages per process.

    python -m schemadocs.mkdocs_parallel SHARE.json   (run by `build`, not by hand)
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import get_files

from schemadocs import frame, mkdocs_plugins
from schemadocs.render import assets
from schemadocs.incremental import SEARCH_INDEX, _output, _page_of

JOBS_ENV = "SCHEMADOCS_JOBS"
MIN_PAGES_PER_JOB = 2000  # below this a second process costs (imports, config, file list) what it saves


def build_parallel(cfg: MkDocsConfig, config_file: Path, docs_dir: Path, cache_dir: Path, files: list[str],
                   jobs: int, packed: bool = False) -> None:
    """Build the site of `cfg` into its site_dir with `jobs` processes (this one included);
    `packed`: the diagrams go in packed (`render.packed_diagrams`), in every process."""
    staging = Path(cfg["site_dir"])
    order = [f.src_uri for f in get_files(cfg).documentation_pages()]
    shares = _shares(order, docs_dir, jobs)
    started = []
    for k, share in enumerate(shares[1:], start=1):
        spec = staging.parent / f"share-{k}.json"
        spec.write_text(json.dumps({"config": str(config_file), "site": str(staging.parent / f"share-{k}"),
                                    "docs": str(docs_dir), "cache": str(cache_dir), "files": files,
                                    "render": share, "packed": packed}), encoding="utf-8")
        log = open(staging.parent / f"share-{k}.log", "wb")  # noqa: SIM115 (closed below)
        started.append((subprocess.Popen([sys.executable, "-m", "schemadocs.mkdocs_parallel", str(spec)],
                                         stdout=subprocess.DEVNULL, stderr=log), log, k))
    try:
        render_share(cfg, docs_dir, files, set(shares[0]), static=True)
    finally:
        failed = []
        for process, log, k in started:
            process.wait()
            log.close()
            if process.returncode != 0:
                failed.append((staging.parent / f"share-{k}.log").read_text(encoding="utf-8", errors="replace"))
    if failed:
        lines = [line for line in failed[0].splitlines() if line.strip()]
        raise MkDocsException(lines[-1] if lines else "a build process failed")
    indexes = [staging / SEARCH_INDEX]
    for k, share in enumerate(shares[1:], start=1):
        site = staging.parent / f"share-{k}"
        for path in share:
            dest = _output(path, docs_dir, site).dest_uri
            os.replace(site / dest, staging / dest)
        indexes.append(site / SEARCH_INDEX)
        frame.merge_into(staging, site)  # the shared navigation lists and icons its pages gave
    merge_indexes(indexes, [_output(p, docs_dir, staging).url for p in order], staging / SEARCH_INDEX)


def jobs_for(pages: int) -> int:
    """How many MkDocs processes a cold build of `pages` pages runs: $SCHEMADOCS_JOBS, else one
    per core once each gets MIN_PAGES_PER_JOB pages."""
    named = os.environ.get(JOBS_ENV, "").strip()
    if named.isdigit() and int(named) > 0:
        return int(named)
    return max(1, min(os.cpu_count() or 1, pages // MIN_PAGES_PER_JOB))


def render_share(cfg: MkDocsConfig, docs_dir: Path, files: list[str], mine: set[str], static: bool) -> None:
    """A dirty MkDocs build of `cfg` rendering only the pages `mine` (and, with `static`, copying
    the docs dir's other files); every other output is given beforehand as an empty file."""
    from mkdocs.commands.build import build as mkdocs_build

    site = Path(cfg["site_dir"])
    for path in files:
        if path in mine or (static and not path.endswith(".md")):
            continue
        dest = Path(_output(path, docs_dir, site).abs_dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"")
        mtime = (docs_dir / path).stat().st_mtime
        os.utime(dest, (mtime, mtime))
    mkdocs_build(cfg, dirty=True)


def merge_indexes(indexes: list[Path], pages: list[str], target: Path) -> None:
    """One search index of the shares' indexes: each page's entries, pages in MkDocs' order."""
    by_page: dict[str, list[dict[str, Any]]] = {}
    built: dict[str, Any] = {}
    for index in indexes:
        built = json.loads(index.read_text(encoding="utf-8"))
        for doc in built["docs"]:
            by_page.setdefault(_page_of(doc), []).append(doc)
    docs = [doc for page in pages for doc in by_page.pop(page, [])]
    docs += [doc for entries in by_page.values() for doc in entries]  # none expected: a page outside the order
    target.write_text(json.dumps({**built, "docs": docs}, separators=(",", ":"), default=str), encoding="utf-8")


def _shares(pages: list[str], docs_dir: Path, jobs: int) -> list[list[str]]:
    """The pages split into `jobs` shares of about equal Markdown size, each in MkDocs' order;
    the first (this process's, which also copies the static files) a little lighter."""
    sizes = {p: (docs_dir / p).stat().st_size + 2000 for p in pages}  # + what every page costs the theme
    load = [sum(sizes.values()) // (4 * jobs)] + [0] * (jobs - 1)
    shares: list[list[str]] = [[] for _ in range(jobs)]
    for page in sorted(pages, key=lambda p: -sizes[p]):
        k = min(range(jobs), key=lambda i: load[i])
        shares[k].append(page)
        load[k] += sizes[page]
    rank = {p: i for i, p in enumerate(pages)}
    return [sorted(share, key=rank.__getitem__) for share in shares]


def _worker(spec_file: Path) -> int:
    """One share, in a process of its own: load the config, render the share's pages."""
    from mkdocs.config import load_config

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda r: not r.getMessage().startswith("A 'dirty' build is being performed"))
    cfg = load_config(config_file=spec["config"], strict=True, site_dir=spec["site"])
    assets.register(cfg)  # as build.py does: the same scripts and plugins on every page
    mkdocs_plugins.add_plugins(cfg, Path(spec["cache"]), bool(spec.get("packed")))
    try:
        render_share(cfg, Path(spec["docs"]), spec["files"], set(spec["render"]), static=False)
    except MkDocsException as exc:
        print(f"MkDocs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker(Path(sys.argv[1])))
