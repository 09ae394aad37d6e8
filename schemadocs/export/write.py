"""`schemadocs export`: one format of a catalog, to stdout, a file or (Markdown) a directory.

In: a `Catalog`, a format name and `-o` (None or `-` for stdout). Out: the export written.
A file is written atomically (`atomic.write_atomic`): naming it is the user's intent. The
Markdown directory is refused when it holds anything schemadocs did not export there (it
has no `.schemadocs-export` record), like `build --out`; a directory it exported before is
updated: files are rewritten atomically and those the new export lacks are removed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog

RECORD = ".schemadocs-export"  # in a Markdown export directory: the files schemadocs wrote there
FORMATS = ("dbml", "mermaid", "plantuml", "csv", "markdown")


def export(catalog: Catalog, fmt: str, output: str | None) -> str:
    """Write the export; return what was written, for the message on stderr."""
    if fmt == "markdown":
        if output in (None, "-"):
            raise ConfigError("--format markdown writes one file per table: pass -o DIRECTORY")
        from schemadocs.export.markdown import to_markdown

        count = write_directory(Path(output), to_markdown(catalog))
        return f"{count} Markdown files in {output}"
    text = _writers()[fmt](catalog)
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return "stdout"
    target = Path(output)
    if target.is_dir():
        raise ConfigError(f"-o {output} is a directory; pass a file name for --format {fmt}")
    write_atomic(target, text.encode("utf-8"))
    return output


def _writers() -> dict[str, Callable[[Catalog], str]]:
    from schemadocs.export.csv_dictionary import to_csv
    from schemadocs.export.dbml import to_dbml
    from schemadocs.export.mermaid import to_mermaid
    from schemadocs.export.plantuml import to_plantuml

    return {"dbml": to_dbml, "mermaid": to_mermaid, "plantuml": to_plantuml, "csv": to_csv}


def check_directory(out: Path) -> list[str]:
    """The files a previous export recorded in `out`; `ConfigError` when `out` is a file or a
    non-empty directory schemadocs did not export to."""
    advice = "pass -o with a new or empty directory, or one schemadocs exported to"
    if out.exists() and not out.is_dir():
        raise ConfigError(f"-o {out} is a file; {advice}")
    if not out.is_dir():
        return []
    record = out / RECORD
    if not record.is_file():
        if any(out.iterdir()):
            raise ConfigError(f"-o {out} holds files schemadocs did not export (it has no {RECORD}); {advice}")
        return []
    try:
        listed = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise ConfigError(f"{record} is not an export record; remove it, or {advice}") from None
    if not (isinstance(listed, list) and all(isinstance(p, str) for p in listed)):
        raise ConfigError(f"{record} is not an export record; remove it, or {advice}")
    return listed


def write_directory(out: Path, files: dict[str, str]) -> int:
    """Write `files` under `out` (guarded by `check_directory`), drop stale ones, record them."""
    previous = check_directory(out)
    out.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
    for stale in sorted(set(previous) - set(files)):
        target = (out / stale).resolve()
        if out.resolve() in target.parents and target.is_file():
            target.unlink()
    write_atomic(out / RECORD, json.dumps(sorted(files), indent=0) + "\n")
    return len(files)
