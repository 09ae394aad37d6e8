"""Benchmark: the same site sources built by MkDocs (as schemadocs runs it) and by Zensical.

In: table counts (`--tables 1000 10000`), runs per builder (`--runs 2`) and the `zensical`
command (`--zensical`, default /work/zensical-venv/bin/zensical: Zensical lives in its own
venv so the project's dependencies stay as they are; first measured with zensical 0.0.73, the
last release that installs here: 0.0.74 and later need zensical-ui, which the package index
this machine reaches does not have). Out: one table per size on stdout,
the two builders side by side (progress on stderr), optionally the figures as JSON
(`--json FILE`). Not a pytest test; MkDocs stays schemadocs' builder.

For each size: a fresh embedded PostgreSQL, a database loaded with `bench.synthetic` and
ANALYZEd, then `schemadocs.build.build` with its MkDocs step left out, which leaves the
project's docs dir (`site_src/`, the diagram cache beside it) and the navigation exactly as
MkDocs would get them. Then, alternately and `--runs` times each, every build in a child
process under /usr/bin/time (wall time, CPU time, peak RSS), cold into an empty output dir:

  mkdocs    `schemadocs.build.run_mkdocs`: strict MkDocs with the inline-diagrams plugin.
  zensical  `zensical build --clean` on `zensical.yml`, which the benchmark writes beside
            mkdocs.yml: the same keys `run_mkdocs` derives (INHERIT the project's mkdocs.yml,
            docs_dir, site_dir, use_directory_urls: false, nav), with relative paths, as
            Zensical refuses a docs_dir or site_dir outside the config file's folder.

Figures are medians over the runs: the machine's two cores are shared. Then one page is
changed (a paragraph appended to one table page) and each builder builds again into its
last output: MkDocs through schemadocs' incremental path, Zensical without `--clean`
(its cache in `.cache/`). Last, each site is checked: HTML pages, search index, internal
links followed (`tests.sitecheck`), diagrams present. Zensical runs no MkDocs plugin, so its
pages keep the diagram placeholders; the benchmark times putting the SVG in after the build
(`inline_after_build`, the plugin's work done outside any builder) and follows the links of
that site. The MkDocs site's links are followed up to `--check-mkdocs-links` tables (the
tests follow them anyway): the check parses every page, 17 minutes at 10,000 tables here.

    .venv/bin/python -m bench.bench_zensical --tables 1000 10000 --runs 2 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.bench_site import load_synthetic, log, new_project
from schemadocs.embedded import embedded
from schemadocs.inline_diagrams import fill_placeholders
from schemadocs.render.diagrams import SVG_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
ZENSICAL = Path("/work/zensical-venv/bin/zensical")
BUILDERS = ("mkdocs", "zensical")
TIME_FORMAT = "%e %U %S %M"  # wall s, user s, system s, peak RSS KiB
CHANGED_LINE = "\n\nChanged by the benchmark: one page edited between two builds.\n"


# -- the sources, rendered once ------------------------------------------------------------

def render_sources(dsn: str, project: Path) -> dict[str, Any]:
    """Run `schemadocs.build.build` with the MkDocs step captured instead of run; return its arguments."""
    from schemadocs.introspect.introspect import introspect
    from schemadocs import build as build_module

    captured: dict[str, Any] = {}

    def capture(config_file: Path, docs_dir: Path, nav: list[Any], out_dir: Path,
                hand_written: tuple[str, ...] = ()) -> SimpleNamespace:
        captured.update(config_file=str(config_file), docs_dir=str(docs_dir), nav=nav, hand_written=list(hand_written))
        return SimpleNamespace(changed=None)

    original = build_module.run_mkdocs
    build_module.run_mkdocs = capture  # type: ignore[assignment]
    try:
        build_module.build(introspect(dsn), project / "unused-site", project / "mkdocs.yml")
    finally:
        build_module.run_mkdocs = original
    return captured


def write_zensical_config(project: Path, sources: dict[str, Any], out_dir: Path) -> Path:
    """The config `run_mkdocs` derives, for Zensical: paths relative to the project dir (JSON is YAML)."""
    config = project / "zensical.yml"
    config.write_text(json.dumps({
        "INHERIT": "mkdocs.yml",
        "docs_dir": Path(sources["docs_dir"]).relative_to(project).as_posix(),
        "site_dir": out_dir.relative_to(project).as_posix(),
        "use_directory_urls": False,
        "nav": sources["nav"],
    }, ensure_ascii=False), encoding="utf-8")
    return config


# -- one build, in a child process under /usr/bin/time --------------------------------------

def mkdocs_child(sources_file: Path, out_dir: Path) -> None:
    """The MkDocs step of `schemadocs build`, as build() runs it (strict, inline diagrams, swap)."""
    from schemadocs.build import run_mkdocs

    s = json.loads(sources_file.read_text(encoding="utf-8"))
    plan = run_mkdocs(Path(s["config_file"]), Path(s["docs_dir"]), s["nav"], out_dir, tuple(s["hand_written"]))
    print(json.dumps({"rendered": None if plan.changed is None else len(plan.changed)}))


def timed_run(command: list[str], cwd: Path) -> dict[str, Any]:
    """Run `command` under /usr/bin/time; its wall and CPU seconds, peak RSS and output."""
    with tempfile.NamedTemporaryFile(prefix="bench-time-", suffix=".txt") as stats:
        done = subprocess.run(["/usr/bin/time", "-o", stats.name, "-f", TIME_FORMAT, *command],
                              capture_output=True, text=True, cwd=cwd, check=False)
        fields = Path(stats.name).read_text(encoding="ascii").split()[-4:]
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {(done.stdout + done.stderr).strip()[-3000:]}")
    wall, user, system, rss_kib = (float(f) for f in fields)
    return {"seconds": wall, "cpu_seconds": user + system, "peak_rss_bytes": int(rss_kib) * 1024,
            "output": done.stdout + done.stderr}


def build_once(builder: str, project: Path, out_dir: Path, zensical: Path, clean: bool) -> dict[str, Any]:
    if builder == "mkdocs":
        command = [sys.executable, "-m", "bench.bench_zensical", "--mkdocs-child", str(project / "sources.json"), str(out_dir)]
        return timed_run(command, ROOT)
    return timed_run([str(zensical), "build", "--strict", *(["--clean"] if clean else []), "-f", "zensical.yml"], project)


def site_dir(project: Path, builder: str) -> Path:
    return project / f"site-{builder}"


def cold_build(builder: str, project: Path, sources: dict[str, Any], zensical: Path) -> dict[str, Any]:
    out = site_dir(project, builder)
    shutil.rmtree(out, ignore_errors=True)
    if builder == "zensical":
        shutil.rmtree(project / ".cache", ignore_errors=True)
        write_zensical_config(project, sources, out)
    return build_once(builder, project, out, zensical, clean=True)


# -- what came out -------------------------------------------------------------------------

def search_index(site: Path) -> Path:
    """MkDocs writes search/search_index.json; Zensical search.json (same folder, or the site root)."""
    for candidate in (site / "search" / "search_index.json", site / "search.json", site / "search" / "search.json"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"no search index in {site}")


def measure_site(site: Path, pages_md: int) -> dict[str, Any]:
    html = sorted(site.rglob("*.html"))
    placeholders = svgs = 0
    for page in html:
        text = page.read_text(encoding="utf-8")
        placeholders += len(SVG_PLACEHOLDER.findall(text))
        svgs += text.count('<svg class="sd-')
    index = search_index(site)
    return {
        "html_pages": len(html),
        "md_pages": pages_md,
        "site_bytes": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()),
        "index_bytes": index.stat().st_size,
        "index_file": index.relative_to(site).as_posix(),
        "diagram_placeholders_left": placeholders,
        "diagram_svgs": svgs,
    }


def inline_after_build(site: Path, cache_dir: Path) -> float:
    """Put each diagram's SVG and each HTML fragment where its placeholder is, in every built
    page, as schemadocs' MkDocs plugin does; return seconds."""
    started = time.perf_counter()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        filled = fill_placeholders(text, cache_dir, str(page))
        if filled != text:
            page.write_text(filled, encoding="utf-8")
    return time.perf_counter() - started


def check_site(site: Path) -> dict[str, Any]:
    from tests.sitecheck import check_links

    started = time.perf_counter()
    links = check_links(site)
    return {"checked_pages": links.pages, "links": links.links, "broken": len(links.broken),
            "broken_examples": links.broken[:10], "check_seconds": time.perf_counter() - started}


def change_one_page(docs_dir: Path) -> str:
    """Append a paragraph to the first relation page (sorted); return its docs-dir path."""
    page = min(p for p in (docs_dir / "schemas").rglob("*.md") if p.name != "index.md")
    page.write_text(page.read_text(encoding="utf-8") + CHANGED_LINE, encoding="utf-8")
    return page.relative_to(docs_dir).as_posix()


# -- running -------------------------------------------------------------------------------

def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench_size(n: int, seed: int, runs: int, zensical: Path, check_mkdocs_links: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"tables_requested": n, "seed": seed, "runs": runs}
    with embedded() as server, tempfile.TemporaryDirectory(prefix=f"bench-zensical-{n}-") as tmp:
        dsn = load_synthetic(server, f"zensical_{n}", n, seed)
        project = new_project(Path(tmp))
        t = time.perf_counter()
        sources = render_sources(dsn, project)
        (project / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
        docs_dir = Path(sources["docs_dir"])
        pages_md = sum(1 for _ in docs_dir.rglob("*.md"))
        log(f"[{n}] {pages_md:,} pages rendered in {time.perf_counter() - t:.1f} s")

        cold: dict[str, list[dict[str, Any]]] = {b: [] for b in BUILDERS}
        for run in range(runs):
            for builder in (BUILDERS if run % 2 == 0 else BUILDERS[::-1]):  # alternate who goes first
                cold[builder].append(cold_build(builder, project, sources, zensical))
                log(f"[{n}] run {run + 1}: {builder} cold {cold[builder][-1]['seconds']:.1f} s, "
                    f"{cold[builder][-1]['peak_rss_bytes'] / (1 << 20):.0f} MiB")
        for builder in BUILDERS:
            result[builder] = {
                "cold_runs": [{k: v for k, v in r.items() if k != "output"} for r in cold[builder]],
                "cold_seconds": median_of(cold[builder], "seconds"),
                "cold_cpu_seconds": median_of(cold[builder], "cpu_seconds"),
                "peak_rss_bytes": median_of(cold[builder], "peak_rss_bytes"),
                "warnings": _warnings(cold[builder][-1]["output"]),
                **measure_site(site_dir(project, builder), pages_md),
            }

        result["changed_page"] = change_one_page(docs_dir)
        for builder in BUILDERS:
            rebuilt = build_once(builder, project, site_dir(project, builder), zensical, clean=False)
            result[builder]["rebuild_seconds"] = rebuilt["seconds"]
            result[builder]["rebuild_peak_rss_bytes"] = rebuilt["peak_rss_bytes"]
            log(f"[{n}] {builder} rebuild after one page changed: {rebuilt['seconds']:.1f} s")
        result["zensical"]["rebuild_has_change"] = CHANGED_LINE.strip() in _built_page(
            site_dir(project, "zensical"), result["changed_page"]).read_text(encoding="utf-8")
        result["mkdocs"]["rebuild_has_change"] = CHANGED_LINE.strip() in _built_page(
            site_dir(project, "mkdocs"), result["changed_page"]).read_text(encoding="utf-8")

        cache_dir = docs_dir.parent / ".schemadocs-cache"
        result["zensical"]["inline_after_build_seconds"] = inline_after_build(site_dir(project, "zensical"), cache_dir)
        result["zensical"]["after_inline"] = measure_site(site_dir(project, "zensical"), pages_md)
        for builder in BUILDERS if check_mkdocs_links else ("zensical",):
            result[builder]["links"] = check_site(site_dir(project, builder))
            log(f"[{n}] {builder} links checked in {result[builder]['links']['check_seconds']:.0f} s")
    return result


def _built_page(site: Path, md_path: str) -> Path:
    return site / (md_path[:-3] + ".html")


def _warnings(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "warn" in line.lower() or "error" in line.lower()][:10]


def report(res: dict[str, Any]) -> str:
    m, z = res["mkdocs"], res["zensical"]
    mib = 1 << 20

    def row(label: str, key: str, fmt: str, scale: float = 1.0, source: tuple[dict[str, Any], dict[str, Any]] = (m, z)) -> str:
        a, b = source[0][key] / scale, source[1][key] / scale
        return f"{label:<28}{a:>14{fmt}}{b:>14{fmt}}{b / a if a else float('nan'):>10.2f}"
    lines = [
        (f"== {res['tables_requested']:,} tables, {m['md_pages']:,} Markdown pages "
         f"(seed {res['seed']}; cold figures: median of {res['runs']} runs) =="),
        f"{'':<28}{'mkdocs':>14}{'zensical':>14}{'z / m':>10}",
        row("cold build, wall s", "cold_seconds", ".1f"),
        row("cold build, CPU s", "cold_cpu_seconds", ".1f"),
        row("peak RSS, MiB", "peak_rss_bytes", ".0f", mib),
        row("HTML pages written", "html_pages", ",.0f"),
        row("site size, MB", "site_bytes", ".1f", 1e6),
        row("site size with diagrams, MB", "site_bytes", ".1f", 1e6, source=(m, z["after_inline"])),
        row("search index, MB", "index_bytes", ".2f", 1e6),
        row("rebuild, 1 page changed, s", "rebuild_seconds", ".1f"),
        row("diagrams inlined (SVG)", "diagram_svgs", ",.0f"),
        ("rebuild: mkdocs through schemadocs' incremental path (the changed page only, over a copy of the site), "
         f"zensical with its cache; the change shows: mkdocs {m['rebuild_has_change']}, zensical {z['rebuild_has_change']}"),
        f"search index: mkdocs {m['index_file']}, zensical {z['index_file']}",
        (f"zensical: {z['diagram_placeholders_left']:,} diagram placeholders left in its pages; putting the SVG in "
         f"after the build took {z['inline_after_build_seconds']:.1f} s, then {z['after_inline']['diagram_svgs']:,} diagrams"),
    ]
    for builder in BUILDERS:
        links = res[builder].get("links")
        found = "not followed" if links is None else (
            f"{links['links']:,} internal links in {links['checked_pages']:,} pages, {links['broken']:,} broken")
        lines.append(f"{builder} links: {found}" + (" (after the SVG was put in)" if builder == "zensical" else ""))
    for builder in BUILDERS:
        if res[builder].get("links", {}).get("broken_examples"):
            lines.append(f"{builder} broken links, e.g.: " + "; ".join(res[builder]["links"]["broken_examples"][:3]))
        if res[builder]["warnings"]:
            lines.append(f"{builder} warnings/errors, e.g.: " + " | ".join(res[builder]["warnings"][:3]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--mkdocs-child"]:
        mkdocs_child(Path(args[1]), Path(args[2]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.bench_zensical", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, nargs="+", default=[1000], metavar="N", help="table counts (default 1000)")
    parser.add_argument("--runs", type=int, default=2, help="cold builds per builder (default 2; medians reported)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic schema seed (default 0)")
    parser.add_argument("--zensical", type=Path, default=ZENSICAL, help=f"the zensical command (default {ZENSICAL})")
    parser.add_argument("--check-mkdocs-links", type=int, default=1000, metavar="N",
                        help="follow the MkDocs site's links too up to N tables (default 1000; the tests check them)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parsed = parser.parse_args(args)
    version = subprocess.run([str(parsed.zensical), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    log(f"zensical {version}")
    results = []
    for n in parsed.tables:
        results.append({**bench_size(n, parsed.seed, parsed.runs, parsed.zensical, n <= parsed.check_mkdocs_links), "zensical_version": version})
        print(report(results[-1]) + "\n", flush=True)
        if parsed.json:  # rewritten after each size, so a long run keeps what it has
            parsed.json.write_text(json.dumps({"results": results}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
