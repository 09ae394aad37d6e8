"""The overlay: precedence and provenance per object and field, owners inherited downwards,
labels, viewpoints, and objects the file names that the catalog lacks. Pure: the catalog is
built here (no database); the snapshot a build keeps is checked to stay the catalog's."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, Column, EnumType, QualifiedName, Relation, RelationKind, Routine, Schema
from schemadocs.project.file import load
from schemadocs.project.overlay import DATABASE, FILE, apply
from schemadocs.project.spec import read


def catalog() -> Catalog:
    def table(name: str, comment: str | None, *columns: tuple[str, str | None]) -> Relation:
        return Relation(schema="app", name=name, kind=RelationKind.TABLE, comment=comment,
                        columns=tuple(Column(name=c, type="text", nullable=True, comment=k, position=i + 1)
                                      for i, (c, k) in enumerate(columns)))
    return Catalog(
        database="shop", server_version="16.0",
        schemas=(Schema(name="app", comment=None), Schema(name="ops", comment="Operations (db)")),
        relations=(table("customers", "Customers (db)", ("id", None), ("email", "E-mail (db)")),
                   table("orders", None, ("id", "Key (db)"), ("note", None))),
        routines=(Routine(schema="app", name="add", arguments="a integer, b integer", kind="function",
                          returns="integer", language="sql"),
                  Routine(schema="app", name="add", arguments="a text, b text", kind="function",
                          returns="text", language="sql", comment="Concatenates (db)")),
        enums=(EnumType(schema="app", name="status", labels=("new", "paid")),),
    )


def annotate(tmp_path: Path, text: str, cat: Catalog | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / "schemadocs.yml"
    path.write_text(text, encoding="utf-8")
    return apply(cat or catalog(), read(load(path)))


PROJECT = """\
schemas:
  app:
    description: The application (file)
    owner: Core team
    labels: [gold]
    tables:
      customers:
        description: Customers (file)
        owner: CRM team
        columns:
          email: {description: E-mail (file), override: true, labels: [pii]}
          id: {description: Identifier (file)}
      orders:
        description: Orders (file)
        columns:
          id: {description: Key (file)}
    functions:
      add: {description: Adds (file)}
    types:
      status: {description: Status (file), labels: [deprecated]}
  ops:
    description: Operations (file)
    override: true
"""


def test_precedence_and_provenance_per_object_and_field(tmp_path: Path) -> None:
    a = annotate(tmp_path, PROJECT)
    d = a.descriptions
    where = str(tmp_path / "schemadocs.yml")
    # the database's comment wins by default; the file's is kept as shadowed
    assert (d[("relation", "app", "customers")].text, d[("relation", "app", "customers")].source) == \
        ("Customers (db)", DATABASE)
    assert d[("relation", "app", "customers")].shadowed
    assert (d[("column", "app", "orders", "id")].text, d[("column", "app", "orders", "id")].source) == \
        ("Key (db)", DATABASE)
    # the file fills what the database lacks, saying where
    assert (d[("schema", "app")].text, d[("schema", "app")].source, d[("schema", "app")].where) == \
        ("The application (file)", FILE, "schemadocs.yml line 3")
    assert d[("relation", "app", "orders")].text == "Orders (file)"
    assert d[("column", "app", "customers", "id")].source == FILE
    # override: true flips it, for that object only
    assert (d[("column", "app", "customers", "email")].text, d[("column", "app", "customers", "email")].source) == \
        ("E-mail (file)", FILE)
    assert (d[("schema", "ops")].text, d[("schema", "ops")].where) == ("Operations (file)", "schemadocs.yml line 22")
    # a bare function name describes every overload; each keeps its own precedence
    assert d[("routine", "app", "add", "a integer, b integer")].text == "Adds (file)"
    assert d[("routine", "app", "add", "a text, b text")].text == "Concatenates (db)"
    assert d[("type", "app", "status")].source == FILE
    # objects nobody describes have no description
    assert ("column", "app", "orders", "note") not in d
    # the catalog is untouched; the display copy carries the effective descriptions
    assert a.catalog == catalog()
    shown = {r.name: r for r in a.display.relations}
    assert shown["orders"].comment == "Orders (file)" and shown["customers"].comment == "Customers (db)"
    assert [c.comment for c in shown["customers"].columns] == ["Identifier (file)", "E-mail (file)"]
    assert snapshot.dumps(a.catalog) == snapshot.dumps(catalog())
    assert where.endswith("schemadocs.yml")


def test_owners_are_inherited_downwards_and_labels_are_indexed(tmp_path: Path) -> None:
    a = annotate(tmp_path, PROJECT)
    assert a.owners[("relation", "app", "customers")].name == "CRM team"
    assert a.owners[("relation", "app", "customers")].inherited_from is None
    assert (a.owners[("relation", "app", "orders")].name, a.owners[("relation", "app", "orders")].inherited_from) == \
        ("Core team", "app")
    assert a.by_owner == {"CRM team": (("relation", "app", "customers"),),
                          "Core team": (("relation", "app", "orders"), ("schema", "app"))}
    assert a.by_label == {"deprecated": (("type", "app", "status"),),
                          "gold": (("schema", "app"),),
                          "pii": (("column", "app", "customers", "email"),)}


def test_one_overload_by_its_identity_arguments(tmp_path: Path) -> None:
    a = annotate(tmp_path, "schemas:\n  app:\n    functions:\n      'add(a text,b text)': {description: X, override: true}\n")
    assert a.descriptions[("routine", "app", "add", "a text, b text")].text == "X"
    assert ("routine", "app", "add", "a integer, b integer") not in a.descriptions


@pytest.mark.parametrize("text, message", [
    ("schemas:\n  ap: {}\n", "line 2: schema ap is not in the database 'shop' (did you mean app?)"),
    ("schemas:\n  app:\n    tables:\n      order: {}\n", "line 4: table app.order is not in the database 'shop' "
                                                        "(did you mean app.orders?); fix the name, or mark it"),
    ("schemas:\n  app:\n    tables:\n      orders:\n        columns:\n          nte: {}\n",
     "line 6: column app.orders.nte is not in the database"),
    ("schemas:\n  app:\n    functions:\n      'add(int)': {}\n", "line 4: function app.add(int) is not in the database"),
    ("schemas:\n  app:\n    types:\n      state: {}\n", "line 4: type app.state is not in the database"),
    ("viewpoints:\n  v:\n    tables: [app.nope*]\n", "line 2: viewpoint 'v': 'app.nope*' matches no relation"),
    ("viewpoints:\n  v:\n    labels: [gold]\n", "line 2: viewpoint 'v': no relation has the label 'gold'"),
    ("viewpoints:\n  v:\n    description: empty\n", "line 2: viewpoint 'v' selects nothing"),
])
def test_objects_the_catalog_lacks_are_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        annotate(tmp_path, text)
    assert f"{tmp_path / 'schemadocs.yml'} {message}" in str(info.value)


def test_optional_objects_are_skipped_and_optional_is_inherited(tmp_path: Path) -> None:
    a = annotate(tmp_path, """\
schemas:
  legacy:
    optional: true
    tables:
      old: {description: Gone, columns: {x: {description: X}}}
  app:
    tables:
      archive: {optional: true, description: Maybe, columns: {y: {description: Y}}}
      orders:
        columns:
          maybe: {optional: true, description: Perhaps}
""")
    assert not any(k[1] == "legacy" or "archive" in k for k in a.descriptions)


def test_viewpoints_select_by_name_glob_and_label(tmp_path: Path) -> None:
    a = annotate(tmp_path, """\
schemas:
  app:
    tables:
      customers: {labels: [crm]}
viewpoints:
  by-glob: {tables: ["app.ord*"], description: Orders only}
  by-label: {labels: [crm]}
  both: {tables: [app.orders], labels: [crm]}
""")
    found = {v.viewpoint.name: v.tables for v in a.viewpoints}
    orders, customers = QualifiedName("app", "orders"), QualifiedName("app", "customers")
    assert found == {"both": (customers, orders), "by-glob": (orders,), "by-label": (customers,)}


def test_a_selected_catalog_does_not_check_what_the_selection_left_out(tmp_path: Path) -> None:
    import dataclasses
    part = dataclasses.replace(catalog(), selected=True, schemas=catalog().schemas[:1],
                               relations=catalog().relations[1:])
    a = annotate(tmp_path, "schemas:\n  ops: {description: x}\n  app:\n    tables:\n      customers: {description: y}\n",
                 part)
    assert a.descriptions.get(("schema", "ops")) is None
    with pytest.raises(ConfigError, match="function app.nope is not in the database"):
        annotate(tmp_path, "schemas:\n  app:\n    functions:\n      nope: {}\n", part)
