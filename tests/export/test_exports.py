"""`schemadocs export` on real catalogs: the demo, the hostile-names fixture and every corpus
entry. DBML is parsed back with pydbml; Mermaid and PlantUML are checked line by line
against their grammar's shapes; the CSV is read back with the csv module."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydbml import PyDBML

from schemadocs import snapshot
from schemadocs.export.csv_dictionary import HEADER, to_csv
from schemadocs.export.dbml import to_dbml
from schemadocs.export.markdown import to_markdown
from schemadocs.export.mermaid import to_mermaid
from schemadocs.export.plantuml import to_plantuml
from schemadocs.export.tables import foreign_keys, relations, tables
from schemadocs.introspect.introspect import introspect
from schemadocs.model import Catalog
from schemadocs.render.escape import dbml_name
from tests.conftest import FIXTURES
from tests.corpus import entries


@pytest.fixture(scope="module")
def hostile_catalog(new_database) -> Catalog:
    return introspect(new_database((FIXTURES / "hostile.sql").read_text(encoding="utf-8"), prefix="hostile"))


def check_dbml(catalog: Catalog) -> None:
    parsed = PyDBML(to_dbml(catalog))
    shown = tables(catalog)
    assert len(parsed.tables) == len(shown)
    assert [len(t.columns) for t in parsed.tables] == [len(r.columns) for r in shown]
    assert len(parsed.refs) == len(foreign_keys(catalog, shown))
    assert len(parsed.enums) == len(catalog.enums)
    for table, rel in zip(parsed.tables, shown):
        pk = rel.primary_key
        if pk is not None and len(pk.columns) == 1:
            assert [c.name for c in table.columns if c.pk] == [dbml_name(pk.columns[0])[1:-1]]
        assert [c.not_null or c.pk for c in table.columns] == [not c.nullable for c in rel.columns]
    for ref, (rel, fk) in zip(parsed.refs, foreign_keys(catalog, shown)):
        assert len(ref.col1) == len(fk.columns) and len(ref.col2) == len(fk.ref_columns)


_MERMAID_LINES = [
    re.compile(r"erDiagram"),
    re.compile(r'    [A-Za-z_][A-Za-z0-9_]*\["[^"\n]*"\] \{'),
    re.compile(r'        [A-Za-z_][A-Za-z0-9_()\[\]-]* [A-Za-z_][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)?( "[^"\n]*")?'),
    re.compile(r"    \}"),
    re.compile(r'    [A-Za-z_][A-Za-z0-9_]* (\|o|\}o)--(\|\||o\|) [A-Za-z_][A-Za-z0-9_]* : "[^"\n]*"'),
]


def check_mermaid(catalog: Catalog) -> None:
    text = to_mermaid(catalog)
    lines = text.splitlines()
    for line in lines:
        assert any(p.fullmatch(line) for p in _MERMAID_LINES), line
    ids = [line.split("[")[0].strip() for line in lines if line.endswith("{")]
    assert len(ids) == len(set(ids)) == len(tables(catalog))
    declared = set(ids)
    rels = [line.split() for line in lines if " : " in line and not line.startswith("        ")]
    assert len(rels) == len(foreign_keys(catalog, tables(catalog)))
    assert all(r[0] in declared and r[2] in declared for r in rels)


_PUML_MEMBER = re.compile(r"  \{field\} (\* )?[^:\n]* : [^\n]*")


def check_plantuml(catalog: Catalog) -> None:
    lines = to_plantuml(catalog).splitlines()
    assert lines[0] == "@startuml" and lines[-1] == "@enduml"
    assert sum(1 for line in lines if line.startswith("@")) == 2
    inside = False
    aliases = set()
    for line in lines[1:-1]:
        if line.startswith("entity "):
            assert re.fullmatch(r'entity "[^"\n]*" as e\d+ \{', line), line
            aliases.add(line.split(" as ")[1].split()[0])
            inside = True
        elif inside:
            assert line in ("  --", "  ..", "}") or _PUML_MEMBER.fullmatch(line) or line.startswith("  {field} "), line
            inside = line != "}"
        elif line:
            assert line in ("hide circle", "skinparam linetype ortho") or re.fullmatch(
                r"e\d+ (\|o|\}o)--(\|\||o\|) e\d+ : [^\n]*", line), line
    assert len(aliases) == len(tables(catalog))


def check_csv(catalog: Catalog) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(catalog), newline="")))
    assert tuple(rows[0]) == HEADER
    expected = [(r.schema, r.name, c.name) for r in relations(catalog) for c in r.columns]
    got = [(row[0], row[1], row[3]) for row in rows[1:]]
    assert [tuple(x.removeprefix("'") if x.startswith("'") and x[1:2] in "=+-@\t\r" else x for x in g) for g in got] \
        == expected
    for row in rows[1:]:
        assert len(row) == len(HEADER)
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


CHECKS = [check_dbml, check_mermaid, check_plantuml, check_csv]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_exports_of_the_demo(demo_catalog, check):
    check(demo_catalog)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_exports_of_hostile_names(hostile_catalog, check):
    check(hostile_catalog)


def test_demo_dbml_content(demo_catalog):
    parsed = PyDBML(to_dbml(demo_catalog))
    items = next(t for t in parsed.tables if (t.schema, t.name) == ("app", "order_items"))
    (composite,) = [r for r in parsed.refs if r.col1[0].table is items and len(r.col1) == 2]
    assert [c.name for c in composite.col2] == ["tenant_id", "order_no"]
    (enum,) = parsed.enums
    assert enum.name == "invoice_status" and [i.name for i in enum.items][:2] == ["draft", "open"]
    orders = next(t for t in parsed.tables if (t.schema, t.name) == ("app", "orders"))
    assert orders.note.text == "A checkout placed by a shopper." or orders.note.text.startswith("A checkout")
    assert any(i.pk for i in orders.indexes)  # the composite primary key


def test_csv_formula_cells_are_defused(demo_catalog):
    rows = list(csv.DictReader(io.StringIO(to_csv(demo_catalog), newline="")))
    negative = [r for r in rows if r["default"].startswith("'-")]
    assert all(not r["default"].startswith("-") for r in rows)
    refs = [r for r in rows if r["table"] == "order_items" and r["column"] == "order_no"]
    assert refs and refs[0]["references"] == "app.orders.order_no" and "FK" in refs[0]["key"]
    assert isinstance(negative, list)


def test_markdown_export_links_resolve(demo_catalog, hostile_catalog):
    for catalog in (demo_catalog, hostile_catalog):
        files = to_markdown(catalog)
        assert "README.md" in files
        assert sum(1 for p in files if not p.endswith("index.md") and p != "README.md") == len(relations(catalog))
        for path, text in files.items():
            assert raw_html(text) == [], path
            for target in re.findall(r"\]\(<([^>]+)>\)", text):
                page = target.partition("#")[0]
                resolved = (Path(path).parent / page) if page else Path(path)
                assert str(Path(*[p for p in resolved.parts])) in files or \
                    Path(__import__("os").path.normpath(resolved)).as_posix() in files, (path, target)


def raw_html(markdown: str) -> list[str]:
    """The raw HTML a Markdown renderer that allows it would find in `markdown` (GFM tables on)."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown):
        found += [t.content for t in [token, *(token.children or [])] if t.type in ("html_inline", "html_block")]
    return found


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemadocs", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_export(demo_catalog, tmp_path):
    snap = tmp_path / "demo.json"
    snapshot.save(demo_catalog, snap)
    done = _cli("export", "--format", "dbml", "--snapshot", str(snap), cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == to_dbml(demo_catalog)
    done = _cli("export", "--format", "csv", "--snapshot", str(snap), "-o", "dict.csv", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "dict.csv").read_bytes().decode("utf-8") == to_csv(demo_catalog)
    done = _cli("export", "--format", "markdown", "--snapshot", str(snap), "-o", "md", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "md" / "README.md").is_file()
    (tmp_path / "md" / "schemas" / "stale.md").write_text("old", encoding="utf-8")
    done = _cli("export", "--format", "markdown", "--snapshot", str(snap), "-o", "md", "--include", "app", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "md" / "schemas" / "billing").exists() or not any((tmp_path / "md/schemas/billing").glob("*.md"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    for args in (["--format", "markdown", "-o", "mine"], ["--format", "markdown"], ["--format", "dbml", "-o", "md"],
                 ["--format", "yaml"]):
        done = _cli("export", "--snapshot", str(snap), *args, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("entry", entries())
def test_exports_of_the_corpus(entry, corpus_db):
    catalog = introspect(corpus_db(entry).dsn, stats=False)
    for check in CHECKS:
        check(catalog)
