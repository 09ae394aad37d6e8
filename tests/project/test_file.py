"""The project file: includes, the shipped JSON Schema, and every way a file can be wrong,
each reported as `FILE line N: what is wrong` (no database needed)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from schemadocs.checks.config import from_project
from schemadocs.errors import ConfigError
from schemadocs.project.file import json_schema, load
from schemadocs.project.spec import Kind, read


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL = """\
include: [docs/billing.yml]
checks:
  skip: [json-column]
labels:
  pii: {description: Personal data}
schemas:
  app:
    description: The application
    owner: Core team
    tables:
      orders:
        labels: [gold]
        override: true
        description: Orders
        columns:
          email: {description: "Who to write to", labels: [pii]}
    functions:
      "add(integer, integer)": {description: Adds}
    types:
      status: {description: Order status}
viewpoints:
  checkout:
    description: Checkout
    tables: ["app.order*"]
relations:
  - {from: app.orders, columns: [customer_id], to: app.customers, to_columns: [id]}
"""

BILLING = """\
schemas:
  billing:
    owner: Billing team
    tables:
      invoices: {description: Invoices, optional: true}
  app:
    tables:
      customers: {description: People who order}
relations:
  - {from: billing.invoices, columns: [order_id], to: app.orders, to_columns: [id], note: by convention}
"""


def test_the_schema_ships_in_the_package_and_is_a_valid_json_schema() -> None:
    shipped = json.loads(resources.files("schemadocs.project").joinpath("project.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(shipped)
    assert shipped == json_schema()
    assert set(shipped["properties"]) == {"include", "databases", "checks", "families", "schemas", "labels", "viewpoints",
                                          "relations", "options"}
    assert shipped["$defs"]["virtual_relation"]["required"] == ["from", "columns", "to"]  # to_columns: the target's primary key by default


def test_a_full_file_with_an_include_is_read_with_lines_and_merged(tmp_path: Path) -> None:
    main = write(tmp_path / "schemadocs.yml", FULL)
    write(tmp_path / "docs" / "billing.yml", BILLING)
    loaded = load(main)
    assert loaded.files == (str(main.resolve()), str((tmp_path / "docs" / "billing.yml").resolve()))
    project = read(loaded)
    by_path = {e.path: e for e in project.entries}
    assert by_path[("app",)].owner == "Core team"
    assert by_path[("app", "orders")].override and by_path[("app", "orders")].labels == ("gold",)
    assert by_path[("app", "orders", "email")].description_where == "schemadocs.yml line 16"
    assert by_path[("app", "customers")].description_where == "docs/billing.yml line 8"  # relative to the main file
    assert by_path[("billing", "invoices")].optional and by_path[("billing",)].owner == "Billing team"
    assert by_path[("app", "add(integer, integer)")].kind is Kind.ROUTINE
    assert by_path[("app", "status")].kind is Kind.TYPE
    assert project.label_descriptions == (("pii", "Personal data"),)
    assert [(v.name, v.tables) for v in project.viewpoints] == [("checkout", ("app.order*",))]
    assert [r["from"] for r, _ in project.relations] == ["app.orders", "billing.invoices"]  # lists add up
    assert project.relations[1][1].endswith("billing.yml line 10")
    assert from_project(loaded).skip == ("json-column",)


def test_an_include_of_an_include_resolves_relative_to_its_own_file(tmp_path: Path) -> None:
    main = write(tmp_path / "schemadocs.yml", "include: [a/one.yml]\n")
    write(tmp_path / "a" / "one.yml", "include: [../b/two.yml]\nschemas:\n  one: {}\n")
    write(tmp_path / "b" / "two.yml", "schemas:\n  two: {description: Two}\n")
    assert [e.path for e in read(load(main)).entries] == [("one",), ("two",)]


@pytest.mark.parametrize("files, message", [
    ({"schemadocs.yml": "include: [a.yml]\n", "a.yml": "include: [b.yml]\n", "b.yml": "include: [a.yml]\n"},
     "b.yml line 1: include cycle: {t}/a.yml -> {t}/b.yml -> {t}/a.yml; remove one of these includes"),
    ({"schemadocs.yml": "include: [schemadocs.yml]\n"}, "include cycle"),
    ({"schemadocs.yml": "schemas:\n  app: {}\ninclude: [nope.yml]\n"},
     "schemadocs.yml line 3: included file {t}/nope.yml does not exist"),
    ({"schemadocs.yml": "include: [a.yml]\nschemas:\n  app:\n    owner: X\n", "a.yml": "schemas:\n  app:\n    owner: Y\n"},
     "a.yml line 3: schemas.app.owner is given twice, here and at {t}/schemadocs.yml line 4; keep one"),
    ({"schemadocs.yml": "schemas:\n  app:\n    tables:\n      t:\n        colums: {}\n"},
     "schemadocs.yml line 5: unknown key 'colums' in schemas.app.tables.t (known: description, override, optional, "
     "labels, owner, columns)"),
    ({"schemadocs.yml": "schemas:\n  app:\n    descripton: x\n"}, "schemadocs.yml line 3: unknown key 'descripton'"),
    ({"schemadocs.yml": "shemas: {}\n"}, "schemadocs.yml line 1: unknown section 'shemas'"),
    ({"schemadocs.yml": "include: [a.yml]\n", "a.yml": "\nlabels: {}\nviewpoint: {}\n"},
     "a.yml line 3: unknown section 'viewpoint'"),
    ({"schemadocs.yml": "schemas:\n  app:\n    labels: pii\n"}, "schemadocs.yml line 3: schemas.app.labels must be a list"),
    ({"schemadocs.yml": "schemas:\n  app:\n    labels: [pii, 3]\n"},
     "schemadocs.yml line 3: each item of schemas.app.labels must be text, not int 3"),
    ({"schemadocs.yml": "schemas:\n  app:\n    override: yes please\n"},
     "schemadocs.yml line 3: schemas.app.override must be true or false, not str 'yes please'"),
    ({"schemadocs.yml": "schemas:\n  app:\n    owner: ''\n"}, "schemadocs.yml line 3: schemas.app.owner must not be empty"),
    ({"schemadocs.yml": "schemas:\n  app: {}\n  app: {}\n"}, "schemadocs.yml line 3: 'app' is given twice in schemas"),
    ({"schemadocs.yml": "viewpoints:\n  v:\n    tables: [a.*]\n    colour: red\n"},
     "schemadocs.yml line 4: unknown key 'colour' in viewpoints.v"),
    ({"schemadocs.yml": "schemas:\n  app:\n    description: [unclosed\n"}, "schemadocs.yml line 4: not valid YAML"),
    ({"schemadocs.yml": "include: [a.yml]\n", "a.yml": "schemas: {x: 1\n"}, "a.yml line 2: not valid YAML"),
    ({"schemadocs.yml": "checks:\n  rules:\n    no-primary-key:\n      level: loud\n"},
     "schemadocs.yml line 4: level 'loud' is not one of error, warning, info"),
])
def test_every_mistake_names_its_file_and_line(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        load(tmp_path / "schemadocs.yml")
    expected = message.format(t=tmp_path)
    assert expected in str(info.value)
    assert str(info.value).startswith(str(tmp_path))  # FILE first, as the user named it


def test_a_file_included_twice_without_a_cycle_is_read_once(tmp_path: Path) -> None:
    main = write(tmp_path / "schemadocs.yml", "include: [a.yml, b.yml]\n")
    write(tmp_path / "a.yml", "include: [c.yml]\n")
    write(tmp_path / "b.yml", "include: [c.yml]\n")
    write(tmp_path / "c.yml", "schemas:\n  app: {owner: Core}\n")
    assert [e.owner for e in read(load(main)).entries] == ["Core"]


def test_the_readme_example_is_a_valid_project_file(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The project file", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    write(tmp_path / "docs" / "billing.yml", "schemas:\n  billing: {owner: Billing team}\n")
    project = read(load(write(tmp_path / "schemadocs.yml", example)))
    assert {e.path for e in project.entries} >= {("app", "customers", "email"), ("app", "add(a integer, b integer)"),
                                                  ("billing",)}
    assert [v.name for v in project.viewpoints] == ["Checkout"]
