-- The database itself: name, server version, and the search_path its sessions start with
-- when no role setting applies (ALTER DATABASE ... SET search_path, else the server's
-- default), which is what unqualified names in functions without SET search_path resolve
-- on. Role settings are left out so the snapshot does not depend on who reads it.
-- Also its activity statistics (pg_stat_database, wraparound age), kept only with statistics.
SELECT current_database() AS name,
       current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       COALESCE(
         (SELECT substr(cfg, length('search_path=') + 1)
          FROM pg_db_role_setting s, unnest(s.setconfig) cfg
          WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND s.setrole = 0 AND cfg LIKE 'search\_path=%'),
         (SELECT boot_val FROM pg_settings WHERE name = 'search_path')
       ) AS search_path,
       -- statistics, used only when they are read (not for --no-stats)
       now() AS read_at,
       (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS xid_age,
       sd.stats_reset, sd.blks_hit AS blocks_hit, sd.blks_read AS blocks_read
FROM pg_stat_database sd
WHERE sd.datname = current_database()
