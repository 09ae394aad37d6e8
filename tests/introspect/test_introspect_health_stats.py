"""What the health checks read from a live catalog: reloptions, the routine ACL default marker,
per-relation and database statistics and sequences' last values (statistics only with stats on)."""

from __future__ import annotations

import json

from schemadocs import snapshot
from schemadocs.introspect.introspect import introspect
from schemadocs.model import QualifiedName

SQL = """
CREATE TABLE t (id int PRIMARY KEY, v text) WITH (fillfactor = 70);
INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g;
DELETE FROM t WHERE id <= 40;
CREATE VIEW v_invoker WITH (security_invoker = true) AS SELECT id FROM t;
CREATE VIEW v_plain AS SELECT id FROM t;
CREATE FUNCTION f_default() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION f_revoked() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE ALL ON FUNCTION f_revoked() FROM PUBLIC;
CREATE FUNCTION f_nobody() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE ALL ON FUNCTION f_nobody() FROM PUBLIC, CURRENT_USER;
CREATE SEQUENCE s_used;
SELECT nextval('s_used') FROM generate_series(1, 7);
CREATE SEQUENCE s_unused;
"""


def test_structure_read_with_and_without_statistics(new_database) -> None:
    dsn = new_database(SQL)
    structure = introspect(dsn, stats=False)
    assert structure.relation(QualifiedName("public", "t")).options == ("fillfactor=70",)
    assert structure.relation(QualifiedName("public", "v_invoker")).options == ("security_invoker=true",)
    assert structure.relation(QualifiedName("public", "v_plain")).options == ()
    routines = {r.name: r for r in structure.routines}
    assert routines["f_default"].default_acl and not routines["f_default"].grants
    assert not routines["f_revoked"].default_acl and routines["f_revoked"].grants
    assert routines["f_nobody"].acl_empty and not routines["f_nobody"].default_acl and not routines["f_nobody"].grants
    assert structure.database_stats is None
    data = json.loads(snapshot.dumps(structure))
    assert "database_stats" not in data
    assert [r["name"] for r in data["relations"] if "options" in r] == ["t", "v_invoker"]
    assert [f["name"] for f in data["routines"] if "acl_empty" in f] == ["f_nobody"]
    assert data == snapshot.to_plain(structure)


def test_statistics_are_read_when_on(new_database) -> None:
    dsn = new_database(SQL)
    catalog = introspect(dsn)
    db = catalog.database_stats
    assert db is not None and db.read_at is not None and db.xid_age is not None and db.xid_age >= 0
    assert db.blocks_hit is not None and db.blocks_hit > 0
    uses = {u.name: u.last_value for u in db.sequences}
    assert uses["s_used"] == 7 and uses["s_unused"] is None
    stats = catalog.relation(QualifiedName("public", "t")).stats
    assert stats is not None and stats.xid_age is not None and stats.xid_age >= 0
    assert stats.heap_blocks_hit is not None and stats.vacuum_count is not None
    loaded = snapshot.loads(snapshot.dumps(catalog))
    assert loaded == catalog


def test_a_catalog_without_the_new_facts_gives_the_old_bytes(new_database) -> None:
    # No reloptions, no explicit empty ACL, no statistics: none of the new keys is written, so a
    # --no-stats snapshot is byte-identical to one written before they existed, and loads back.
    catalog = introspect(new_database("CREATE TABLE t (id int); CREATE FUNCTION f() RETURNS int LANGUAGE sql "
                                      "AS 'SELECT 1'; CREATE VIEW v AS SELECT id FROM t;"), stats=False)
    text = snapshot.dumps(catalog)
    assert '"options"' not in text and '"acl_empty"' not in text and '"database_stats"' not in text
    assert snapshot.loads(text) == catalog
    assert catalog.routines[0].default_acl
