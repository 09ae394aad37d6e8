"""What the project file adds to the site: notes on pages, and the label, owner and viewpoint pages.

In: the annotated catalog (`schemadocs.project.overlay.Annotated`) and the page contexts. Out:
`ProjectNote`s (owner, labels, where each description came from) for the relation, schema,
routine and type pages, and `ProjectPages`: a page per label and per owner listing its
objects, and a page per viewpoint with its description, tables and diagram.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from schemadocs.model import Catalog, QualifiedName
from schemadocs.project.overlay import FILE, Annotated, ObjectKey, routine_key
from schemadocs.render.contexts import Link
from schemadocs.render.schema_context import RelationRow
from schemadocs.render.slugs import (
    HOME_PAGE,
    column_anchor,
    label_page,
    owner_page,
    relation_page,
    relative_html,
    routine_anchor,
    routine_page,
    schema_page,
    type_page,
    viewpoint_page,
)

@dataclass(frozen=True)
class ProjectNote:
    owner: Link | None = None
    owner_inherited: str | None = None  # the schema the owner comes from
    labels: tuple[Link, ...] = ()
    description_from: str | None = None  # "the database" or "FILE line N"; None without a description
    shadowed: bool = False  # the file has a description too, and the database's comment won
    columns_from_file: tuple[str, ...] = ()  # "column (FILE line N)" for columns described by the file


@dataclass(frozen=True)
class ObjectRow:
    link: Link
    kind: str
    comment: str | None
    note: str = ""  # "from schema app" for an inherited owner


@dataclass(frozen=True)
class ListPage:
    """The page of one label or owner."""

    path: str
    title: str
    what: str  # "label" | "owner"
    name: str
    home: Link
    description: str | None
    rows: tuple[ObjectRow, ...]


@dataclass(frozen=True)
class ViewpointPage:
    path: str
    title: str
    home: Link
    description: str | None
    tables: tuple[RelationRow, ...]
    members: tuple[QualifiedName, ...]  # what its diagram draws
    diagram: Markup = Markup("")


@dataclass(frozen=True)
class ProjectPages:
    labels: tuple[ListPage, ...] = ()
    owners: tuple[ListPage, ...] = ()
    viewpoints: tuple[ViewpointPage, ...] = ()


def project_pages(catalog: Catalog, annotated: Annotated) -> ProjectPages:
    """The label, owner and viewpoint pages (`catalog`: the catalog as the site shows it)."""
    label_text = dict(annotated.project.label_descriptions)
    labels = tuple(_list_page(catalog, annotated, "label", name, label_text.get(name), keys)
                   for name, keys in annotated.by_label.items())
    owners = tuple(_list_page(catalog, annotated, "owner", name, None, keys)
                   for name, keys in annotated.by_owner.items())
    viewpoints = []
    for resolved in annotated.viewpoints:
        path = viewpoint_page(resolved.viewpoint.name)
        rows = tuple(RelationRow(link=Link(str(q), relative_html(path, relation_page(q))),
                                 kind=rel.kind.label, comment=rel.comment)
                     for q in resolved.tables if (rel := catalog.relation(q)) is not None)
        viewpoints.append(ViewpointPage(path=path, title=resolved.viewpoint.name,
                                        home=Link("Home", relative_html(path, HOME_PAGE)),
                                        description=resolved.viewpoint.description, tables=rows,
                                        members=resolved.tables))
    return ProjectPages(labels=labels, owners=owners, viewpoints=tuple(viewpoints))


def note(annotated: Annotated, key: ObjectKey, page: str, columns: Iterable[str] = ()) -> ProjectNote | None:
    """What the project says about one object, for its page (None: nothing to say)."""
    owner = annotated.owners.get(key)
    labels = tuple(Link(label, relative_html(page, label_page(label))) for label in annotated.labels.get(key, ()))
    description = annotated.descriptions.get(key)
    from_file = tuple(f"{c} ({d.where})" for c in columns
                      if (d := annotated.descriptions.get(("column", *key[1:], c))) is not None and d.source == FILE)
    if owner is None and not labels and description is None and not from_file:
        return None
    return ProjectNote(
        owner=Link(owner.name, relative_html(page, owner_page(owner.name))) if owner else None,
        owner_inherited=owner.inherited_from if owner else None,
        labels=labels,
        description_from=None if description is None else description.where if description.source == FILE
        else "the database",
        shadowed=description is not None and description.shadowed,
        columns_from_file=from_file,
    )


def with_routine_notes(annotated: Annotated, page: object) -> object:
    """A routine page whose overload sections carry their notes."""
    from schemadocs.render.routine_context import RoutinePage

    assert isinstance(page, RoutinePage)
    by_anchor = {routine_anchor(r.name, r.arguments): r for r in annotated.catalog.routines
                 if (r.schema, r.name) == (page.qname.schema, page.qname.name)}
    sections = tuple(dataclasses.replace(s, project=note(annotated, routine_key(by_anchor[s.anchor]), page.path))
                     if s.anchor in by_anchor else s for s in page.overloads)
    return dataclasses.replace(page, overloads=sections)


def _list_page(catalog: Catalog, annotated: Annotated, what: str, name: str, description: str | None,
               keys: tuple[ObjectKey, ...]) -> ListPage:
    path = label_page(name) if what == "label" else owner_page(name)
    rows = tuple(_row(catalog, annotated, path, key, what) for key in keys)
    return ListPage(path=path, title=f"{what.capitalize()}: {name}", what=what, name=name,
                    home=Link("Home", relative_html(path, HOME_PAGE)), description=description, rows=rows)


def _row(catalog: Catalog, annotated: Annotated, page: str, key: ObjectKey, what: str) -> ObjectRow:
    kind, schema = key[0], key[1]
    description = annotated.descriptions.get(key)
    comment = description.text if description is not None else None
    owner = annotated.owners.get(key)
    extra = f"from schema {owner.inherited_from}" if what == "owner" and owner and owner.inherited_from else ""
    if kind == "schema":
        return ObjectRow(Link(schema, relative_html(page, schema_page(schema))), "schema", comment, extra)
    if kind == "relation":
        rel = catalog.relation(QualifiedName(schema, key[2]))
        return ObjectRow(Link(f"{schema}.{key[2]}", relative_html(page, relation_page(QualifiedName(schema, key[2])))),
                         rel.kind.label if rel else "relation", comment, extra)
    if kind == "column":
        href = relative_html(page, relation_page(QualifiedName(schema, key[2]))) + f"#{column_anchor(key[3])}"
        return ObjectRow(Link(f"{schema}.{key[2]}.{key[3]}", href), "column", comment, extra)
    if kind == "routine":
        href = relative_html(page, routine_page(schema, key[2])) + f"#{routine_anchor(key[2], key[3])}"
        return ObjectRow(Link(f"{schema}.{key[2]}({key[3]})", href), "function", comment, extra)
    return ObjectRow(Link(f"{schema}.{key[2]}", relative_html(page, type_page(QualifiedName(schema, key[2])))),
                     "type", comment, extra)
