"""Security rules on model objects, with planted defects and the traps that look like them."""

from __future__ import annotations

from schemadocs.model import Catalog, Extension, Sequence, Grant, Policy, RelationKind, RelationRead, Routine, Schema
from tests.checks.helpers import catalog, found, table


def policy(name: str, command: str = "ALL", roles: tuple[str, ...] = ("public",), permissive: bool = True) -> Policy:
    return Policy(name=name, command=command, roles=roles, permissive=permissive)


def routine(name: str, *, definer: bool = True, settings: tuple[str, ...] = (), acl_empty: bool = False,
            grants: tuple[Grant, ...] = (), schema: str = "s") -> Routine:
    """No grants and acl_empty False: proacl is NULL, PostgreSQL's default (PUBLIC may execute)."""
    return Routine(schema=schema, name=name, arguments="", kind="function", returns="int", language="sql",
                   security_definer=definer, settings=settings, acl_empty=acl_empty, grants=grants)


def test_policies_and_row_level_security() -> None:
    cat = catalog(relations=(
        table("off", policies=(policy("p"),)),
        table("on_no_policy", rls_enabled=True),
        table("on_ok", rls_enabled=True, policies=(policy("p"),)),
        table("plain"),
    ))
    assert found(cat, "policy-without-rls") == [("s.off", "error")]
    assert found(cat, "rls-without-policy") == [("s.on_no_policy", "warning")]


def test_multiple_permissive_policies_per_role_and_command() -> None:
    cat = catalog(relations=(
        table("two_select", rls_enabled=True, policies=(policy("a", "SELECT", ("app",)), policy("b", "ALL", ("app",)))),
        # traps: restrictive policy, different roles, different commands
        table("fine", rls_enabled=True, policies=(
            policy("a", "SELECT", ("app",)), policy("r", "SELECT", ("app",), permissive=False),
            policy("b", "SELECT", ("other",)), policy("c", "INSERT", ("app",)))),
    ))
    assert found(cat, "multiple-permissive-policies") == [("s.two_select", "warning")]


def test_security_definer_search_path_and_public_execute() -> None:
    grant_public = (Grant(grantee="PUBLIC", privilege="EXECUTE"),)
    cat = catalog(
        schemas=(Schema(name="s", grants=(Grant(grantee="PUBLIC", privilege="USAGE"),)), Schema(name="closed")),
        routines=(
            routine("open_default"),
            routine("pinned", settings=("search_path=pg_catalog, pg_temp",)),  # trap: pinned
            routine("pinned_empty", settings=('search_path=""',), grants=grant_public),
            routine("revoked", settings=("search_path=pg_catalog",), grants=(Grant(grantee="app", privilege="EXECUTE"),)),
            routine("invoker", definer=False),
            routine("nobody", settings=("search_path=pg_catalog",), acl_empty=True),  # trap: empty ACL, no default  # trap: not SECURITY DEFINER
            routine("hidden", schema="closed", settings=("search_path=pg_catalog",)),
        ))
    assert found(cat, "security-definer-search-path") == [("s.open_default()", "error")]
    assert found(cat, "security-definer-executable-by-public") == [
        ("s.open_default()", "warning"), ("s.pinned()", "warning"), ("s.pinned_empty()", "warning"),
        ("closed.hidden()", "info")]


def test_grants_to_public_on_relations() -> None:
    cat = catalog(relations=(
        table("open", grants=(Grant(grantee="PUBLIC", privilege="SELECT"), Grant(grantee="app", privilege="INSERT"))),
        table("column_open", grants=(Grant(grantee="PUBLIC", privilege="SELECT", column="id"),)),
        table("named_only", grants=(Grant(grantee="app", privilege="SELECT"),)),
    ), sequences=(
        Sequence(schema="s", name="open_ids", type="bigint", start=1, increment=1, min_value=1, max_value=9,
                 grants=(Grant(grantee="PUBLIC", privilege="USAGE"),)),
        Sequence(schema="s", name="ids", type="bigint", start=1, increment=1, min_value=1, max_value=9),
    ))
    assert found(cat, "public-relation-grant") == [("s.column_open", "warning"), ("s.open", "warning"),
                                                   ("s.open_ids", "warning")]


def test_views_over_rls_tables_without_security_invoker() -> None:
    reads = (RelationRead(schema="s", name="secret"),)
    rels = (
        table("secret", rls_enabled=True),
        table("open"),
        table("leaky", kind=RelationKind.VIEW, reads=reads),
        table("invoker", kind=RelationKind.VIEW, reads=reads, options=("security_invoker=on",)),
        table("invoker_off", kind=RelationKind.VIEW, reads=reads, options=("security_invoker=false",)),
        table("matview", kind=RelationKind.MATERIALIZED_VIEW, reads=reads),  # trap: not a view
        table("over_open", kind=RelationKind.VIEW, reads=(RelationRead(schema="s", name="open"),)),
    )
    assert found(catalog(relations=rels), "view-bypasses-rls") == [("s.invoker_off", "warning"), ("s.leaky", "warning")]
    pg14 = Catalog(database="d", server_version="14.9", relations=rels)
    assert found(pg14, "view-bypasses-rls") == []
    beta = Catalog(database="d", server_version="16beta2", relations=rels)
    assert found(beta, "view-bypasses-rls") == [("s.invoker_off", "warning"), ("s.leaky", "warning")]


def test_extensions_in_public() -> None:
    cat = catalog(extensions=(Extension(name="pg_trgm", version="1.6", schema="public"),
                              Extension(name="plpgsql", version="1.0", schema="pg_catalog"),
                              Extension(name="citext", version="1.6", schema="extensions")))
    assert found(cat, "extension-in-public") == [("pg_trgm", "warning")]
