"""Rules on security: row-level security, SECURITY DEFINER routines, grants to PUBLIC, extensions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import Grant, QualifiedName, Relation, quote_ident

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")  # what a policy FOR ALL applies to
TRUE_WORDS = ("true", "on", "yes", "1", "t", "y")  # PostgreSQL's boolean spellings for reloptions


@rule("policy-without-rls", level=Level.ERROR, category=Category.SECURITY,
      title="Row-level security policies on a table whose row-level security is disabled",
      why="Policies do nothing until row-level security is enabled: every role with the table privilege sees "
          "and changes every row, while the policies suggest otherwise.",
      fix="ALTER TABLE s.t ENABLE ROW LEVEL SECURITY; (or DROP POLICY the policies if they are obsolete).",
      traps="Tables with row-level security enabled are never reported, whatever their policies.")
def policy_without_rls(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.with_policies:
        if not r.rls_enabled:
            names = ", ".join(quote_ident(p.name) for p in r.policies)
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"{r.qname} has policies ({names}) but row-level security is disabled: they do nothing",
                      fix=f"ALTER TABLE {r.qname} ENABLE ROW LEVEL SECURITY;")


@rule("rls-without-policy", level=Level.WARNING, category=Category.SECURITY,
      title="Row-level security enabled with no policy",
      why="With row-level security on and no policy, every role but the owner (and the owner too when it is "
          "forced), superusers and BYPASSRLS roles sees no row and can change none: usually a forgotten "
          "CREATE POLICY, or a deliberate lock that deserves a comment.",
      fix="CREATE POLICY ... ON s.t ...; or, if the table should be open, ALTER TABLE s.t DISABLE ROW LEVEL SECURITY;",
      traps="A table with at least one policy (permissive or restrictive) is not reported.")
def rls_without_policy(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.rls_enabled:
        if not r.policies:
            who = "superusers and BYPASSRLS roles" + ("" if r.rls_forced else " and the owner")
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"{r.qname} has row-level security enabled and no policy: only {who} see its rows")


@rule("multiple-permissive-policies", level=Level.WARNING, category=Category.SECURITY,
      title="Two or more permissive policies for the same role and command",
      why="Permissive policies are OR-ed: each one is evaluated for every row, which is slow, and any one of "
          "them grants access, which is easy to overlook when reviewing one policy.",
      fix="Merge them into one policy whose USING and WITH CHECK join the conditions with OR.",
      traps="Restrictive policies are not counted; a policy FOR ALL counts for SELECT, INSERT, UPDATE and DELETE; "
            "roles are compared as named (a policy TO public and one TO a role are different roles).")
def multiple_permissive_policies(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.with_policies:
        groups: dict[tuple[str, str], list[str]] = {}
        for p in r.policies:
            if p.permissive:
                for role in p.roles:
                    for command in COMMANDS if p.command == "ALL" else (p.command,):
                        groups.setdefault((role, command), []).append(p.name)
        shared = sorted((k, v) for k, v in groups.items() if len(v) > 1)
        if shared:
            listed = "; ".join(f"{quote_ident(role)} {command}: {', '.join(map(quote_ident, names))}"
                               for (role, command), names in shared)
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"{r.qname} has several permissive policies for the same role and command ({listed})")


@rule("security-definer-search-path", level=Level.ERROR, category=Category.SECURITY,
      title="A SECURITY DEFINER routine without a pinned search_path",
      why="It runs with its owner's privileges but resolves unqualified names on the caller's search_path: "
          "a caller who can create objects in any schema on it can make the routine run their code as the owner.",
      fix="ALTER FUNCTION s.f(argtypes) SET search_path = pg_catalog, pg_temp; (and qualify the names it uses).",
      traps="A SET search_path clause of any value, even empty, pins it and is not reported; SECURITY INVOKER "
            "routines are not checked.")
def security_definer_search_path(ctx: Context) -> Iterator[Hit]:
    for f in ctx.catalog.routines:
        if f.security_definer and not any(s.startswith("search_path=") for s in f.settings):
            yield Hit(object=f.identity, subject=QualifiedName(f.schema, f.name),
                      message=f"SECURITY DEFINER {f.kind} {f.signature} does not pin search_path",
                      fix=f"ALTER {f.keyword} {f.identity} SET search_path = pg_catalog, pg_temp;")


@rule("security-definer-executable-by-public", level=Level.WARNING, category=Category.SECURITY,
      title="A SECURITY DEFINER routine that PUBLIC may execute",
      why="Every role can then run it with its owner's privileges; PostgreSQL grants EXECUTE to PUBLIC by "
          "default, so a new SECURITY DEFINER function is open to all unless revoked.",
      fix="REVOKE EXECUTE ON FUNCTION s.f(argtypes) FROM PUBLIC; then GRANT EXECUTE ... TO the roles that need it.",
      traps="A NULL ACL (never granted or revoked) means PUBLIC may execute and is reported; an explicit ACL "
            "without PUBLIC is not. When PUBLIC has no USAGE on the schema the finding is info only (roles "
            "with USAGE can still call it).")
def security_definer_executable_by_public(ctx: Context) -> Iterator[Hit]:
    public_usage = {s.name for s in ctx.catalog.schemas
                    if any(g.grantee == "PUBLIC" and g.privilege == "USAGE" for g in s.grants)}
    for f in ctx.catalog.routines:
        if f.security_definer and (f.default_acl or any(g.grantee == "PUBLIC" and g.privilege == "EXECUTE"
                                                         for g in f.grants)):
            reach = "" if f.schema in public_usage else " (PUBLIC has no USAGE on its schema: roles with USAGE can)"
            yield Hit(object=f.identity, subject=QualifiedName(f.schema, f.name),
                      level=None if f.schema in public_usage else Level.INFO,
                      message=f"SECURITY DEFINER {f.kind} {f.signature} is executable by PUBLIC{reach}",
                      fix=f"REVOKE EXECUTE ON {f.keyword} {f.identity} FROM PUBLIC;")


@rule("public-relation-grant", level=Level.WARNING, category=Category.SECURITY,
      title="A table, view or sequence with privileges granted to PUBLIC",
      why="A grant to PUBLIC reaches every role, present and future, including application and reporting "
          "roles that were never meant to read or change this data.",
      fix="REVOKE ALL ON s.t FROM PUBLIC; then GRANT the privileges to the roles that need them.",
      traps="Grants to named roles are not reported; column grants to PUBLIC are. A relation's NULL ACL "
            "(never granted) gives PUBLIC nothing and is not reported.")
def public_relation_grant(ctx: Context) -> Iterator[Hit]:
    granted = [(r.kind.label, r.qname, r.qname, r.grants) for r in ctx.index.granted if _to_public(r.grants)]
    granted += [("sequence", q.qname, q.owned_by, q.grants) for q in ctx.catalog.sequences if _to_public(q.grants)]
    for label, qname, subject, grants in granted:
        public = sorted({g.privilege + (f" ({quote_ident(g.column)})" if g.column else "")
                         for g in grants if g.grantee == "PUBLIC"})
        if public:
            keyword = "SEQUENCE " if label == "sequence" else ""
            yield Hit(object=str(qname), subject=subject, message=f"PUBLIC has {', '.join(public)} on {label} {qname}",
                      fix=f"REVOKE ALL ON {keyword}{qname} FROM PUBLIC;")


@rule("view-bypasses-rls", level=Level.WARNING, category=Category.SECURITY,
      title="A view without security_invoker over a table with row-level security (PostgreSQL 15+)",
      why="A view reads its tables with its owner's rights, so the policies are checked for the owner, not for "
          "the querying role: every role that may read the view sees the rows the owner sees.",
      fix="ALTER VIEW s.v SET (security_invoker = true);",
      traps="Only plain views that read a row-level-security table directly are checked (materialized views "
            "store their rows and have no such option); servers before 15, which lack the option, are skipped.")
def view_bypasses_rls(ctx: Context) -> Iterator[Hit]:
    if _major(ctx.catalog.server_version) < 15 or not ctx.index.rls_enabled:
        return
    for r in ctx.index.views:
        if _invoker(r):
            continue
        protected = sorted(str(t) for t in {read.target for read in r.reads}
                           if (rel := ctx.catalog.relation(t)) is not None and rel.rls_enabled)
        if protected:
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"view {r.qname} reads {', '.join(protected)} (row-level security) as its owner",
                      fix=f"ALTER VIEW {r.qname} SET (security_invoker = true);")


@rule("extension-in-public", level=Level.WARNING, category=Category.SECURITY,
      title="An extension installed in the public schema",
      why="Its functions and operators then sit on everyone's search_path beside user objects, where they can "
          "be shadowed or can shadow, and public's privileges apply to them.",
      fix="CREATE SCHEMA extensions; ALTER EXTENSION name SET SCHEMA extensions; (for relocatable extensions; "
          "others must be dropped and re-created there).",
      traps="Extensions in any other schema (plpgsql lives in pg_catalog) are not reported.")
def extension_in_public(ctx: Context) -> Iterator[Hit]:
    for e in ctx.catalog.extensions:
        if e.schema == "public":
            yield Hit(object=quote_ident(e.name), message=f"extension {e.name} is installed in schema public",
                      fix=f"ALTER EXTENSION {quote_ident(e.name)} SET SCHEMA extensions;")


def _to_public(grants: tuple[Grant, ...]) -> bool:
    return any(g.grantee == "PUBLIC" for g in grants)


def _invoker(view: Relation) -> bool:
    """The view has security_invoker set to true (in any of PostgreSQL's boolean spellings)."""
    return any(o.partition("=")[0] == "security_invoker" and o.partition("=")[2].lower() in TRUE_WORDS
               for o in view.options)


def _major(server_version: str) -> int:
    """15 for "15.4", "15.4 (Debian 15.4-1)" or "15beta2"."""
    digits = re.match(r"\d*", server_version).group()
    return int(digits) if digits else 0
