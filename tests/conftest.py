"""Shared fixtures: one real PostgreSQL server per test session, with the demo and the
edge-case fixture schema loaded into their own databases.

The server is the embedded one (pgserver, else a throwaway initdb cluster); set
SCHEMADOCS_TEST_DSN to a superuser DSN to run the suite against another server instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemadocs.introspect.introspect import introspect
from schemadocs.build import build
from schemadocs.embedded import create_database, demo_sql, embedded
from schemadocs.model import Catalog

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
def corpus_server() -> Iterator[str]:
    """A server for the corpus: the system PostgreSQL (with contrib), never pgserver, which
    has no contrib modules and cannot load half of the corpus."""
    with embedded("system") as dsn:
        yield dsn


@pytest.fixture(scope="session")
def corpus_db(corpus_server: str):
    """Factory: the corpus entry loaded into a database of its own (once per session)."""
    from tests.corpus import load_entry

    loaded: dict[str, object] = {}

    def get(entry: str):
        if entry not in loaded:
            try:
                loaded[entry] = load_entry(corpus_server, entry)
            except Exception as exc:  # a failed load fails every test of the entry, but runs once
                loaded[entry] = exc
        if isinstance(loaded[entry], Exception):
            raise loaded[entry]
        return loaded[entry]
    return get


@pytest.fixture(scope="session")
def corpus_site(corpus_db, tmp_path_factory: pytest.TempPathFactory):
    """Factory: the site of a corpus entry, built once per session (tests/render/test_corpus_site.py
    builds every entry's; the browser tests reuse them)."""
    built: dict[str, tuple[int, Path]] = {}  # entry -> (its relations, its site); no catalog is kept

    def get(entry: str) -> tuple[int, Path]:
        if entry not in built:
            catalog = introspect(corpus_db(entry).dsn, stats=False)
            built[entry] = (len(catalog.relations), build_in(tmp_path_factory.mktemp(f"corpus-{entry}"), catalog))
        return built[entry]
    return get
