-- On-disk sizes: pg_table_size() once per table, materialized view and index (an index's is
-- its size); each table's index and total sizes are summed in Python (builders.relation_sizes),
-- as PostgreSQL defines them (pg_total_relation_size = pg_table_size + pg_indexes_size), instead
-- of stat-ing every file three times with pg_indexes_size and pg_total_relation_size.
-- main_size is the heap's main fork alone (no TOAST, free space or visibility map), which
-- the bloat estimate compares with the size its rows need.
-- pg_*_size() takes ACCESS SHARE locks, so relations that a migration holds (or waits for) an
-- ACCESS EXCLUSIVE lock on are left out here and reported as skipped; the query runs in a
-- savepoint under lock_timeout and is retried without any it trips on.
SELECT c.oid AS relid,
       x.indrelid AS table_relid,  -- the table of an index; NULL for tables and materialized views
       pg_table_size(c.oid) AS size,
       CASE WHEN c.relkind IN ('r', 'm') THEN pg_relation_size(c.oid, 'main') END AS main_size,
       CASE WHEN c.relkind IN ('r', 'm') THEN (SELECT count(*) FROM pg_index xi WHERE xi.indrelid = c.oid) END AS indexes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index x ON x.indexrelid = c.oid
WHERE c.relkind IN ('r', 'm', 'i')
  AND {user_schema}
  AND {not_extension_relation}
  AND NOT EXISTS (SELECT 1 FROM pg_locks l
                  WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND l.relation = c.oid AND l.mode = 'AccessExclusiveLock')
