"""Every difference between PostgreSQL versions, in one place.

In: the server's `server_version_num`. Out: the SQL fragments substituted into the
`{placeholders}` of the query files in `queries/`, so the files themselves stay version-free.
"""

from __future__ import annotations

SUPPORTED_MIN = 140000  # PostgreSQL 14


def versions(server_version_num: int) -> dict[str, str]:
    """The SQL fragments for this server version."""
    return {
        # Schemas that are never documented: the system ones and temporary/TOAST ones.
        "user_schema": "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'",
        "not_extension_relation": (
            # one hashed set of extension members, not a pg_depend probe per row
            "c.oid NOT IN (SELECT e.objid FROM pg_depend e"
            " WHERE e.classid = 'pg_class'::regclass AND e.deptype = 'e')"
        ),
        # UNIQUE NULLS NOT DISTINCT arrived in PostgreSQL 15.
        "nulls_not_distinct": "i.indnullsnotdistinct" if server_version_num >= 150000 else "false",
    }
