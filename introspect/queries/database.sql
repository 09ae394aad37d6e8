-- The database itself: name, server version, and the search_path sessions start with
-- (the database's and this role's setting; functions without SET search_path resolve
-- unqualified names on it). Read before schemadocs pins its own search_path.
SELECT current_database() AS name,
       current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_setting('search_path') AS search_path
