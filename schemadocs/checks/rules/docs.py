"""Rules on documentation: tables, views, columns and routines without a comment."""

from __future__ import annotations

from collections.abc import Iterator

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import QualifiedName, RelationKind, qualified, quote_ident

TRAP_PARTITIONS = "Partitions are documented by their partitioned parent and are not reported. "


@rule("relation-without-comment", level=Level.INFO, category=Category.DOCUMENTATION,
      title="A table, view, materialized view or foreign table without a comment",
      why="The comment is what the documentation site shows first; an undocumented table leaves readers "
          "guessing what a row means.",
      fix="COMMENT ON TABLE ... IS '...'; (COMMENT ON VIEW / MATERIALIZED VIEW / FOREIGN TABLE likewise).",
      traps=TRAP_PARTITIONS + "A comment of only blanks counts as missing.")
def relation_without_comment(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.uncommented_relations:  # none, or blanks only
        name = qualified(r.schema, r.name)
        yield Hit(name, f"{r.kind.label} {name} has no comment", f"COMMENT ON {_COMMENT_ON[r.kind]} {name} IS '...';",
                  r.qname)


_COMMENT_ON = {kind: kind.label.upper().replace("PARTITIONED ", "") for kind in RelationKind}  # COMMENT ON <this>


@rule("column-without-comment", level=Level.INFO, category=Category.DOCUMENTATION,
      title="Column comment coverage: a table or view some of whose columns have no comment",
      why="Column comments explain units, meanings and allowed values where the schema alone cannot.",
      fix="COMMENT ON COLUMN ... IS '...'; for each column listed.",
      traps=TRAP_PARTITIONS + "One finding per table or view (coverage), not one per column, so a team can "
            "keep it on and baseline it.")
def column_without_comment(ctx: Context) -> Iterator[Hit]:
    for r, missing in ctx.index.uncommented:  # columns with no comment, or blanks only
        name = qualified(r.schema, r.name)
        listed = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
        yield Hit(name, f"{len(missing)} of {len(r.columns)} columns of {name} have no comment: {listed}", None, r.qname)


@rule("routine-without-comment", level=Level.INFO, category=Category.DOCUMENTATION,
      title="A function, procedure or aggregate without a comment",
      why="Callers need to know what a routine does, what it expects and what it changes.",
      fix="COMMENT ON FUNCTION s.f(argtypes) IS '...'; (PROCEDURE / AGGREGATE likewise).",
      traps="Routines that belong to an extension are not read at all, so they are never reported.")
def routine_without_comment(ctx: Context) -> Iterator[Hit]:
    for f in ctx.catalog.routines:
        if not (f.comment or "").strip():
            yield Hit(object=f.identity, message=f"{f.kind} {f.signature} has no comment",
                      subject=QualifiedName(f.schema, f.name), fix=f"COMMENT ON {f.keyword} {f.identity} IS '...';")


@rule("schema-without-comment", level=Level.INFO, category=Category.DOCUMENTATION,
      title="A schema without a comment",
      why="The schema page is where readers start; its comment says what lives there and who owns it.",
      fix="COMMENT ON SCHEMA s IS '...';",
      traps="public keeps the comment PostgreSQL gives it unless removed; a comment of only blanks counts as missing.")
def schema_without_comment(ctx: Context) -> Iterator[Hit]:
    for s in ctx.catalog.schemas:
        if not (s.comment or "").strip():
            yield Hit(object=quote_ident(s.name), message=f"schema {quote_ident(s.name)} has no comment",
                      fix=f"COMMENT ON SCHEMA {quote_ident(s.name)} IS '...';")
