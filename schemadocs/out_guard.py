"""Which folders `build --out` may replace: never one holding the user's own files.

In: the output folder, the docs dir and the config file. Out: nothing, or a `BuildError`
saying why the folder is refused and what to pass instead. A build replaces the whole
output folder, so it must be missing, empty, or a site schemadocs built (it has the build
record), and must not be or hold the current directory, the docs dir, the config's folder
or the home directory, nor be a filesystem root.
"""

from __future__ import annotations

from pathlib import Path

from schemadocs.errors import BuildError
from schemadocs.incremental import STAMP


def check_out_dir(out_dir: Path, docs_dir: Path, config_file: Path) -> None:
    """Raise `BuildError` unless a build may replace `out_dir` (resolved) with the site."""
    out = Path(out_dir).resolve()
    advice = "pass --out with a new or empty folder, or a site schemadocs built"
    if out == Path(out.anchor):
        raise BuildError(f"--out {out} is a filesystem root, which a build would replace; {advice}")
    guarded = {"the current directory": Path.cwd(), "the config's folder": config_file.parent,
               "your home directory": Path.home(), "the docs dir": docs_dir}
    for what, path in guarded.items():
        path = Path(path).resolve()
        if out == path or out in path.parents:
            shown = "is" if out == path else "contains"
            raise BuildError(f"--out {out} {shown} {what}, which a build would replace; {advice}")
        if path in out.parents and what == "the docs dir":
            raise BuildError(f"--out {out} is inside the docs dir {path}, where MkDocs would read it back; {advice}")
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not existing.is_dir():
        raise BuildError(f"--out {out}: {existing} is a file, not a folder; {advice}")
    try:
        foreign = out.is_dir() and not (out / STAMP).is_file() and any(out.iterdir())
    except OSError as exc:
        raise BuildError(f"cannot read --out {out} ({exc.strerror}); check its permissions or {advice}") from None
    if foreign:
        raise BuildError(f"--out {out} is a folder with files that schemadocs did not build (it has no "
                         f"{STAMP}); a build would delete them; {advice}")
