-- The database itself: name and server version.
SELECT current_database() AS name,
       current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num
