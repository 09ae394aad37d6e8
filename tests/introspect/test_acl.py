"""aclitem text → grants, without a database: PUBLIC, grant options, quoted role names."""
from schemadocs.introspect.acl import acl_entries, grants
from schemadocs.model import Grant


def test_acl_entries_read_every_form_of_aclitem() -> None:
    acl = ['postgres=arwdDxt/postgres', '=r/postgres', 'app_reader=r*w/postgres',
           '"weird ""role"" = / x"=X/"grantor/with=odd"', '"Upper"=U*C/postgres']
    assert list(acl_entries(acl)) == [
        *[("postgres", p, False) for p in ("INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")],
        ("PUBLIC", "SELECT", False),
        ("app_reader", "SELECT", True), ("app_reader", "UPDATE", False),
        ('weird "role" = / x', "EXECUTE", False),
        ("Upper", "USAGE", True), ("Upper", "CREATE", False),
    ]


def test_grants_merge_table_and_column_acls_sorted_and_deduplicated() -> None:
    found = grants(["b=r/o", "a=r/o", "a=r/p"], [("col", ["a=w/o"])])
    assert found == (Grant(grantee="a", privilege="SELECT"), Grant(grantee="a", privilege="UPDATE", column="col"),
                     Grant(grantee="b", privilege="SELECT"))
    assert grants(None) == ()


def test_grants_equal_aclexplode_on_a_real_catalog_with_hostile_role_names(new_database) -> None:
    """Every object kind with privileges, granted to roles whose names need quoting in aclitem
    text: the grants read from the ACL text equal what PostgreSQL's aclexplode() says."""
    import psycopg

    from schemadocs.introspect.introspect import introspect

    roles = ['acl "quoted" role', "Upper=Case/slash", "plain_role"]
    create_roles = "".join(
        f"DO $$ BEGIN CREATE ROLE {psycopg.sql.Identifier(r).as_string(None)} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n" for r in roles)
    q = [psycopg.sql.Identifier(r).as_string(None) for r in roles]
    dsn = new_database(create_roles + f"""
        CREATE SCHEMA s; GRANT USAGE ON SCHEMA s TO {q[0]}; GRANT CREATE ON SCHEMA s TO {q[1]} WITH GRANT OPTION;
        CREATE TABLE s.t (a int, b text); GRANT SELECT, INSERT ON s.t TO {q[0]}; GRANT ALL ON s.t TO {q[2]};
        GRANT UPDATE (b) ON s.t TO {q[1]} WITH GRANT OPTION; GRANT SELECT ON s.t TO PUBLIC;
        CREATE SEQUENCE s.q; GRANT USAGE ON SEQUENCE s.q TO {q[1]};
        CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
        REVOKE EXECUTE ON FUNCTION s.f() FROM PUBLIC; GRANT EXECUTE ON FUNCTION s.f() TO {q[0]};
    """, prefix="acl")
    catalog = introspect(dsn, stats=False)

    def explode(sql: str) -> set[tuple]:
        with psycopg.connect(dsn) as conn:
            return {tuple(r) for r in conn.execute(sql)}

    who = "CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END"
    table = next(r for r in catalog.relations if r.name == "t")
    assert {(g.grantee, g.privilege, g.grantable, g.column) for g in table.grants} == explode(
        f"SELECT {who}, x.privilege_type, x.is_grantable, NULL FROM aclexplode((SELECT relacl FROM pg_class "
        f"WHERE oid = 's.t'::regclass)) x UNION SELECT {who}, x.privilege_type, x.is_grantable, a.attname::text "
        "FROM pg_attribute a, aclexplode(a.attacl) x WHERE a.attrelid = 's.t'::regclass")
    schema = next(s for s in catalog.schemas if s.name == "s")
    assert {(g.grantee, g.privilege, g.grantable) for g in schema.grants} == explode(
        f"SELECT {who}, x.privilege_type, x.is_grantable FROM aclexplode((SELECT nspacl FROM pg_namespace "
        "WHERE nspname = 's')) x")
    (seq,) = catalog.sequences
    assert {(g.grantee, g.privilege, g.grantable) for g in seq.grants} == explode(
        f"SELECT {who}, x.privilege_type, x.is_grantable FROM aclexplode((SELECT relacl FROM pg_class "
        "WHERE oid = 's.q'::regclass)) x")
    (func,) = catalog.routines
    assert {(g.grantee, g.privilege, g.grantable) for g in func.grants} == explode(
        f"SELECT {who}, x.privilege_type, x.is_grantable FROM aclexplode((SELECT proacl FROM pg_proc "
        "WHERE oid = 's.f()'::regprocedure)) x")
    assert {g.grantee for g in table.grants} >= set(roles) | {"PUBLIC"}
