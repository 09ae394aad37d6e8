"""The wheel installs one top-level package, `schemadocs`: introspect/, lineage/ and
docs_templates/ go inside its namespace, so installing schemadocs beside PyPI's `lineage`
or `introspect` packages breaks neither."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_has_only_the_schemadocs_top_level(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a copy of the tracked files: setuptools writes build/ beside its sources
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(source)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("schemadocs-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"schemadocs"}
    for expected in ("schemadocs/introspect/introspect.py", "schemadocs/introspect/queries/relations.sql",
                     "schemadocs/lineage/lineage_graph.py", "schemadocs/templates/relation.md.j2",
                     "schemadocs/templates/schemadocs.css", "schemadocs/api/api.schema.json",
                     "schemadocs/project/project.schema.json", "schemadocs/families/detect.py",
                     "schemadocs/templates/family.md.j2",
                     "schemadocs/templates/assets/diagrams.js", "schemadocs/templates/assets/vendor/panzoom.min.js",
                     "schemadocs/templates/assets/vendor/panzoom.LICENSE.txt"):
        assert expected in names


def test_no_module_imports_the_old_top_level_names() -> None:
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("from", "import") and \
                    words[1].split(".")[0] in ("introspect", "lineage", "docs_templates"):
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert not offenders
