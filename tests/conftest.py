"""Shared fixtures: one real PostgreSQL server per test session, with the demo and the
edge-case fixture schema loaded into their own databases.

The server is the embedded one (pgserver, else a throwaway initdb cluster); set
SCHEMADOCS_TEST_DSN to a superuser DSN to run the suite against another server instead.
The corpus (a system PostgreSQL with contrib, each entry loaded once, each entry's site built
once) is shared by every xdist worker of a run (tests/shared.py), and the longest test files
are handed out first (LONGEST_FIRST).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# With PYTHONDONTWRITEBYTECODE set (as in some shells and CI images), every worker of every run
# compiled each test module again (pytest's assertion rewriting caches nothing then) and every
# `schemadocs` the tests start compiled the package again. The suite keeps its bytecode in
# __pycache__ (ignored by git) whatever the shell says, for itself and what it starts; this
# precedes the imports below so that the package's modules are cached too.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from schemadocs.introspect.introspect import introspect  # noqa: E402  (after the bytecode setting)
from schemadocs.build import build
from schemadocs.embedded import create_database, demo_sql, embedded
from schemadocs.model import Catalog
from tests import shared

ROOT = Path(__file__).resolve().parents[1]  # the checkout
FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT_MKDOCS = ROOT / "schemadocs" / "default_mkdocs.yml"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache directory of the session's own: builds without a mkdocs.yml keep their docs
    dir there (`XDG_CACHE_HOME`, inherited by the commands the tests run), not in ~/.cache."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if os.environ.get("SCHEMADOCS_TEST_DSN"):
        yield os.environ["SCHEMADOCS_TEST_DSN"]
        return
    with embedded() as dsn:
        yield dsn


@pytest.fixture(scope="session")
def new_database(pg_server: str):
    """Factory: a fresh database (optionally loaded with SQL) on the test server."""
    def make(sql: str | None = None, prefix: str = "t") -> str:
        return create_database(pg_server, f"{prefix}_{uuid.uuid4().hex[:10]}", sql)
    return make


@pytest.fixture(scope="session")
def demo_dsn(new_database) -> str:
    return new_database(demo_sql(), prefix="demo")


@pytest.fixture(scope="session")
def edge_dsn(new_database) -> str:
    return new_database((FIXTURES / "edge_cases.sql").read_text(encoding="utf-8"), prefix="edge")


@pytest.fixture(scope="session")
def demo_catalog(demo_dsn: str) -> Catalog:
    return introspect(demo_dsn)


@pytest.fixture(scope="session")
def edge_catalog(edge_dsn: str) -> Catalog:
    return introspect(edge_dsn)


def build_in(tmp: Path, catalog: Catalog) -> Path:
    """Build a site from a catalog in a project dir of its own (mkdocs.yml + site_src/)."""
    (tmp / "site_src").mkdir(parents=True, exist_ok=True)
    (tmp / "mkdocs.yml").write_text(
        f"INHERIT: {Path(__file__).parents[1] / 'schemadocs' / 'default_mkdocs.yml'}\n"
        "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    build(catalog, tmp / "site", tmp / "mkdocs.yml")
    return tmp / "site"


@pytest.fixture(scope="session")
def demo_site(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("demo"), demo_catalog)


@pytest.fixture(scope="session")
def edge_site(edge_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("edge"), edge_catalog)


@pytest.fixture(scope="session")
def demo_dsn_conn(demo_dsn: str):
    import psycopg

    with psycopg.connect(demo_dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder all xdist workers of this run share (tests/shared.py)."""
    return shared.run_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def corpus_server(shared_folder: Path) -> str:
    """A server for the corpus: the system PostgreSQL (with contrib), never pgserver, which
    has no contrib modules and cannot load half of the corpus. One for the whole run, shared
    by the xdist workers; pytest_unconfigure stops it."""
    return shared.corpus_server(shared_folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The end of the run (of the controller, under xdist: after every worker ended): stop the
    corpus server if a test started it."""
    factory = getattr(config, "_tmp_path_factory", None)
    if hasattr(config, "workerinput") or factory is None or getattr(factory, "_basetemp", None) is None:
        return
    shared.stop_corpus_server(factory.getbasetemp() / "shared")


@pytest.fixture(scope="session")
def corpus_db(corpus_server: str, shared_folder: Path):
    """Factory: the corpus entry loaded into a database of its own (once per run: the xdist
    workers share the databases, which the tests only read)."""
    from tests.corpus import Loaded, load_entry

    loaded: dict[str, object] = {}

    def load(entry: str) -> dict[str, object]:
        return dataclasses.asdict(load_entry(corpus_server, entry))

    def get(entry: str):
        if entry not in loaded:
            try:
                loaded[entry] = Loaded(**shared.once(shared_folder, f"corpus-db-{entry}", lambda: load(entry)))
            except Exception as exc:  # a failed load fails every test of the entry, but runs once
                loaded[entry] = exc
        if isinstance(loaded[entry], Exception):
            raise loaded[entry]
        return loaded[entry]
    return get


@pytest.fixture(scope="session")
def corpus_site(corpus_db, shared_folder: Path):
    """Factory: the site of a corpus entry, built once per run and shared by the xdist workers
    (tests/render/test_corpus_site.py builds every entry's; the browser tests reuse them, read only)."""
    built: dict[str, tuple[int, Path]] = {}  # entry -> (its relations, its site); no catalog is kept

    def make(entry: str) -> list[object]:
        catalog = introspect(corpus_db(entry).dsn, stats=False)
        folder = shared_folder / f"corpus-{entry}"
        shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
        folder.mkdir()
        return [len(catalog.relations), str(build_in(folder, catalog))]

    def get(entry: str) -> tuple[int, Path]:
        if entry not in built:
            relations, site = shared.once(shared_folder, f"corpus-site-{entry}", lambda: make(entry))
            built[entry] = (relations, Path(site))
        return built[entry]
    return get


# The test files that take longest (each a minute or more on 2 cores), longest first: under
# `make test` (`--dist loadfile --no-loadscope-reorder`) each worker takes the next whole file
# in collection order, so these go out first and no worker ends the run alone on one of them.
# The corpus sites come first, before the browser tests that reuse them (conftest's corpus_site).
LONGEST_FIRST = (
    "tests/render/test_corpus_site.py",
    "tests/test_ci_example.py",
    "tests/render/test_hostile_names.py",
    "tests/export/test_exports.py",
    "tests/diff/test_diff.py",
    "tests/test_cli.py",
    "tests/render/test_diagram_browser.py",
    "tests/render/test_answers_browser.py",
    "tests/api/test_mcp_server.py",
    "tests/test_fuzz.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of LONGEST_FIRST first, in that order; every other file after, as collected."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable
