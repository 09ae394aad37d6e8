"""What `build --out` may touch: it refuses folders holding the user's files, leaves nothing
in the current directory but the site, switches to the new site atomically even when killed,
keeps permissions, and an incremental build gives exactly a full build's files.
Real processes (the `schemadocs` command), a real snapshot of the demo database, real MkDocs."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.atomic import write_atomic
from schemadocs.build import build
from schemadocs.incremental import STAMP
from schemadocs.model import Catalog
from tests.conftest import DEFAULT_MKDOCS, build_in
from tests.test_cli import assert_clean_error, clean_env
from tests.build.test_incremental import one_table_migration, site_files

DEFAULTS = DEFAULT_MKDOCS


@pytest.fixture(scope="module")
def snapshots(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo catalog and the demo after a one-table migration, as snapshot files."""
    root = tmp_path_factory.mktemp("snapshots")
    snapshot.save(demo_catalog, root / "old.json")
    snapshot.save(one_table_migration(demo_catalog), root / "new.json")
    return root / "old.json", root / "new.json"


def schemadocs(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "schemadocs", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = schemadocs(*args, cwd=cwd, env=env)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def tree(root: Path) -> dict[str, str]:
    """Every path under `root` (folders too) with its content hash, or its mode for a folder."""
    return {p.relative_to(root).as_posix(): (oct(p.stat().st_mode) if p.is_dir() else
                                             hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*"))}


# --- item 10: refused output folders -------------------------------------------------------

def _project(root: Path) -> Path:
    (root / "site_src").mkdir(parents=True, exist_ok=True)
    (root / "site_src" / "runbook.md").write_text("# Runbook\n\nHand-written.\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(f"INHERIT: {DEFAULTS}\nsite_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    return config


REFUSALS = {  # case → (working directory, --out and other arguments, words the error must hold)
    "foreign non-empty folder": ("home/work", ["--out", "mine"], "did not build"),
    "the current directory": ("home/work", ["--out", "."], "current directory"),
    "an empty --out": ("home/work", ["--out", ""], "current directory"),
    "a parent of the current directory": ("home/work/deeper", ["--out", ".."], "current directory"),
    "the docs dir": ("home/proj", ["--out", "site_src"], "docs dir"),
    "inside the docs dir": ("home/proj", ["--out", "site_src/site"], "docs dir"),
    "the config's folder": ("home/work", ["--mkdocs-config", "../proj/mkdocs.yml", "--out", "../proj"], "config's folder"),
    "the home directory": ("other", ["--out", "../home"], "home directory"),
    "a filesystem root": ("home/work", ["--out", "/"], "filesystem root"),
    "below a file": ("home/work", ["--out", "notes.txt/site"], "is a file"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_out_holding_the_users_files_is_refused(case: str, snapshots: tuple[Path, Path], tmp_path: Path) -> None:
    cwd_name, args, words = REFUSALS[case]
    home = tmp_path / "home"
    (home / "work" / "deeper").mkdir(parents=True)
    (home / "work" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (home / "work" / "mine").mkdir()
    (home / "work" / "mine" / "thesis.tex").write_text("\\begin{document}\n", encoding="utf-8")
    (home / "work" / "deeper" / "todo.txt").write_text("todo\n", encoding="utf-8")
    _project(home / "proj")
    (home / ".profile").write_text("export A=1\n", encoding="utf-8")
    (tmp_path / "other").mkdir()
    cwd = tmp_path / cwd_name
    env = clean_env(HOME=str(home) if case == "the home directory" else str(tmp_path / "elsewhere"),
                    XDG_CACHE_HOME=str(tmp_path / "cache"))
    before, root_before = tree(tmp_path), sorted(os.listdir("/"))
    done = run("build", "--snapshot", str(snapshots[0]), *args, cwd=cwd, env=env)
    assert done.returncode == 2, done.stderr
    assert_clean_error(done, words, "--out")
    assert tree(tmp_path) == before, "every file untouched, nothing created"
    assert sorted(os.listdir("/")) == root_before


def test_an_empty_folder_and_a_schemadocs_site_are_accepted(demo_catalog: Catalog, tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "site").mkdir()
    build(demo_catalog, tmp_path / "site", config)
    assert (tmp_path / "site" / STAMP).is_file()
    build(demo_catalog, tmp_path / "site", config)  # a site schemadocs built: replaced
    assert (tmp_path / "site" / "runbook.html").is_file()


def test_a_refused_out_fails_before_the_database_is_read(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    done = run("build", "--dsn", "postgresql://nobody@127.0.0.1:1/nodb", "--out", ".", cwd=tmp_path,
               env=clean_env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert_clean_error(done, "current directory")
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


# --- item 6: nothing but --out in the current directory ------------------------------------

def test_without_a_config_only_the_site_lands_in_the_current_directory(snapshots: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    cwd, cache = tmp_path / "here", tmp_path / "cache"
    cwd.mkdir()
    env = clean_env(XDG_CACHE_HOME=str(cache))
    for snap in snapshots:
        done = run("build", "--snapshot", str(snap), "--out", "site", cwd=cwd, env=env)
        assert done.returncode == 0, done.stderr
    assert os.listdir(cwd) == ["site"]
    assert "gift_note" in (cwd / "site" / "schemas" / "app" / "orders.html").read_text(encoding="utf-8")
    [work] = (cache / "schemadocs").iterdir()
    assert work.name.startswith("site-") and (work / "docs" / "index.md").is_file()
    assert (work / ".schemadocs-cache").is_dir()


# --- item 11: the switch is atomic, and leftovers of killed builds are cleaned ---------------

HOOK = '''
import os, time

def _pause(name):
    if os.environ.get("PAUSE_AT") == name:
        open(os.environ["PAUSE_READY"], "w").close()
        time.sleep(300)

def on_pre_build(config, **kwargs):
    _pause("pre_build")

def on_post_build(config, **kwargs):
    _pause("post_build")
'''


def _hooked_project(root: Path) -> Path:
    """A project whose MkDocs hook (a documented MkDocs feature) can pause a real build."""
    (root / "site_src").mkdir(parents=True)
    (root / "hook.py").write_text(HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(f"INHERIT: {DEFAULTS}\nsite_name: test\ndocs_dir: site_src\nhooks:\n  - {root / 'hook.py'}\n",
                      encoding="utf-8")
    return config


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


@pytest.mark.parametrize("where", ["pre_build", "post_build"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(
        where: str, signum: int, snapshots: tuple[Path, Path], tmp_path: Path) -> None:
    _hooked_project(tmp_path)
    env = clean_env(TMPDIR=str(tmp_path / "tmp"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    assert run("build", "--snapshot", str(snapshots[0]), cwd=tmp_path, env=env).returncode == 0
    old = tree(tmp_path / "site")

    ready = tmp_path / "ready"
    proc = schemadocs("build", "--snapshot", str(snapshots[1]), cwd=tmp_path,
                      env={**env, "PAUSE_AT": where, "PAUSE_READY": str(ready)})
    deadline = time.monotonic() + 120
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), proc.communicate()[1]
    proc.send_signal(signum)
    proc.communicate(timeout=60)
    assert proc.returncode == (130 if signum == signal.SIGTERM else -signal.SIGKILL)
    assert tree(tmp_path / "site") == old, "the old site, whole"
    assert os.listdir(tmp_path / "tmp") == [], "nothing in $TMPDIR"
    if signum == signal.SIGTERM:
        assert _leftovers(tmp_path) == [], "SIGTERM cleans up on the way out"
    else:
        assert len(_leftovers(tmp_path)) == 1

    done = run("build", "--snapshot", str(snapshots[1]), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert _leftovers(tmp_path) == [] and os.listdir(tmp_path / "tmp") == []
    assert "gift_note" in (tmp_path / "site" / "schemas" / "app" / "orders.html").read_text(encoding="utf-8")


def test_killed_at_any_moment_out_is_the_whole_old_or_the_whole_new_site(snapshots: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    _project(tmp_path)
    env = clean_env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    sites = {}
    for snap in (*snapshots, snapshots[0]):  # the third build shows the trees are reproducible
        assert run("build", "--snapshot", str(snap), cwd=tmp_path, env=env).returncode == 0
        assert sites.setdefault(snap, tree(tmp_path / "site")) == tree(tmp_path / "site")
    started = time.monotonic()
    assert run("build", "--snapshot", str(snapshots[1]), cwd=tmp_path, env=env).returncode == 0
    duration = time.monotonic() - started
    current, outcomes = snapshots[1], set()
    for step in range(12):  # SIGKILL at moments spread over a whole build, from start to switch
        target = snapshots[0] if current == snapshots[1] else snapshots[1]
        proc = schemadocs("build", "--snapshot", str(target), cwd=tmp_path, env=env)
        time.sleep(duration * (0.3 + 0.7 * step / 11))
        proc.kill()
        proc.communicate(timeout=60)
        found = tree(tmp_path / "site")
        assert found in (sites[current], sites[target]), f"killed at step {step}: a mixed or missing site"
        outcomes.add(found == sites[target])
        current = target if found == sites[target] else current
    assert run("build", "--snapshot", str(snapshots[0]), cwd=tmp_path, env=env).returncode == 0
    assert tree(tmp_path / "site") == sites[snapshots[0]]
    assert _leftovers(tmp_path) == [], [sorted(os.listdir(tmp_path / p)) for p in _leftovers(tmp_path)]


def test_stale_work_folders_are_recovered_and_running_ones_left_alone(tmp_path: Path) -> None:
    """A build killed between the fallback's two renames: the next start puts the old site back."""
    import fcntl

    from schemadocs.swap import LOCK, PREVIOUS, clean_stale

    def work_folder(name: str) -> Path:
        work = tmp_path / name
        (work / PREVIOUS).mkdir(parents=True)
        (work / PREVIOUS / STAMP).write_text("{}", encoding="utf-8")
        (work / PREVIOUS / "index.html").write_text("old site", encoding="utf-8")
        (work / LOCK).write_text("", encoding="utf-8")
        return work

    dead, running = work_folder(".site.building-dead"), work_folder(".site.building-running")
    foreign = tmp_path / ".site.building-foreign"  # no lock file: not ours
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    empty = tmp_path / ".site.building-empty"  # killed before locking it: nothing to lose
    empty.mkdir()
    with open(running / LOCK) as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        clean_stale(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old site"
    assert not dead.exists() and not empty.exists()
    assert running.exists() and (foreign / "keep.txt").exists()

    legacy = tmp_path / ".site.old-x1y2"  # what schemadocs left before the exchange: the old site in old-*/site
    (legacy / "site").mkdir(parents=True)
    (legacy / "site" / STAMP).write_text("{}", encoding="utf-8")
    unknown = tmp_path / ".site.old-zz"  # no build record inside: not ours
    (unknown / "site").mkdir(parents=True)
    clean_stale(tmp_path / "site")
    assert not legacy.exists() and unknown.exists()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old site"


# --- item 12: permissions ------------------------------------------------------------------

@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_out_gets_the_umask_default_and_an_existing_one_keeps_its_mode(
        demo_catalog: Catalog, tmp_path: Path, umask_022: None) -> None:
    site = build_in(tmp_path, demo_catalog)
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    site.chmod(0o750)
    build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")  # incremental
    assert stat.S_IMODE(site.stat().st_mode) == 0o750
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text() + "site_author: x\n")
    site.chmod(0o711)
    assert build(demo_catalog, site, tmp_path / "mkdocs.yml").rebuilt_files is None  # full
    assert stat.S_IMODE(site.stat().st_mode) == 0o711


def test_snapshots_are_written_with_the_umask_default_or_the_files_mode(demo_dsn: str, tmp_path: Path) -> None:
    def snapshot_with_umask(umask: str, target: Path) -> None:
        done = subprocess.run(["sh", "-c", f'umask {umask} && exec "$@"', "sh", sys.executable, "-m", "schemadocs",
                               "snapshot", "--dsn", demo_dsn, "-o", str(target)], capture_output=True, text=True,
                              env=clean_env(), timeout=180)
        assert done.returncode == 0, done.stderr

    snapshot_with_umask("022", tmp_path / "a.json")
    snapshot_with_umask("077", tmp_path / "b.json")
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o600
    (tmp_path / "a.json").chmod(0o640)
    snapshot_with_umask("022", tmp_path / "a.json")
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["a.json", "b.json"], "no temporary file left"


def test_an_atomic_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("before", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "kept.txt", 42)  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == ["kept.txt"] and (tmp_path / "kept.txt").read_text() == "before"


# --- item 13: an incremental build gives exactly a full build's files -----------------------

def test_incremental_build_drops_foreign_files_and_rewrites_edited_ones(demo_catalog: Catalog, tmp_path: Path) -> None:
    site = build_in(tmp_path / "a", demo_catalog)
    (site / "uploaded.html").write_text("<p>not ours</p>", encoding="utf-8")
    (site / "assets" / "extra").mkdir()
    (site / "assets" / "extra" / "x.js").write_text("alert(1)", encoding="utf-8")
    untouched = site / "schemas" / "app" / "categories.html"  # a page the migration of app.orders doesn't change
    assert untouched.is_file()
    untouched.write_text("defaced", encoding="utf-8")
    (site / "assets" / "schemadocs.css").write_text("body{}", encoding="utf-8")
    migrated = one_table_migration(demo_catalog)
    again = build(migrated, site, tmp_path / "a" / "mkdocs.yml")
    assert again.rebuilt_files is not None, "an incremental build"

    full = build_in(tmp_path / "b", migrated)
    incremental, expected = site_files(site), site_files(full)
    index = "search/search_index.json"
    assert json.loads(incremental.pop(index)) == json.loads(expected.pop(index))
    assert sorted(incremental) == sorted(expected)
    assert [p for p in expected if incremental[p] != expected[p]] == []
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()) == \
        sorted(p.relative_to(full).as_posix() for p in full.rglob("*") if p.is_dir())


def test_an_edited_search_index_means_a_full_build(demo_catalog: Catalog, tmp_path: Path) -> None:
    site = build_in(tmp_path, demo_catalog)
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    again = build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")
    assert again.rebuilt_files is None
    assert len(json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]) > 10
