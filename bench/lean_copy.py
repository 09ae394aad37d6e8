"""A kept site as this code would write it: for measuring a change to the site's weight without
building again.

In: a site `bench.bench_site --keep DIR` left (built by earlier code) and a folder to write.
Out: a copy of the site with every inline diagram passed through `render.svg_trim.compact_shapes`
(what a build with this code draws) and, with `--no-markdown-copies` / `--no-api-files`, the
files those settings leave out taken out (`llms.txt` and `api/index.json` rewritten as the
build writes them). `bench.site_weight` then measures the copy. Not a pytest test; the tests
build real sites with the settings (tests/build/test_machine_files.py).

    .venv/bin/python -m bench.lean_copy /tmp/keep/1000-new /tmp/keep/1000-lean --no-markdown-copies --no-api-files
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from schemadocs.api.paths import INDEX
from schemadocs.render.machine_files import OBJECT_DIRS, without_api_objects
from schemadocs.render.svg_trim import compact_shapes

_DIAGRAM = re.compile(r'<svg class="sd-er".*?</svg>', re.S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lean_copy", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-markdown-copies", action="store_true")
    parser.add_argument("--no-api-files", action="store_true")
    args = parser.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.site, args.out, symlinks=True)
    for page in args.out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        compact = _DIAGRAM.sub(lambda m: compact_shapes(m.group(0)), text)
        if compact != text:
            page.write_text(compact, encoding="utf-8")
    if args.no_markdown_copies:
        for copy in args.out.rglob("*.md"):
            copy.unlink()
        (args.out / "llms-full.txt").unlink(missing_ok=True)
        llms = args.out / "llms.txt"
        llms.write_text(re.sub(r"\]\(([^)]+)\.md\)", r"](\1.html)", llms.read_text(encoding="utf-8")), encoding="utf-8")
    if args.no_api_files:
        for folder in OBJECT_DIRS:
            shutil.rmtree(args.out / folder, ignore_errors=True)
        index = args.out / INDEX
        index.write_text(without_api_objects({INDEX: index.read_text(encoding="utf-8")})[INDEX], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
