-- On-disk sizes. pg_*_size() takes ACCESS SHARE locks, so relations that a migration holds
-- (or waits for) an ACCESS EXCLUSIVE lock on are left out here and reported as skipped; the
-- query runs in a savepoint under lock_timeout and is retried without any it trips on.
SELECT c.oid AS relid,
       pg_table_size(c.oid) AS table_size,
       CASE WHEN c.relkind IN ('r', 'p', 'm') THEN pg_indexes_size(c.oid) END AS index_size,
       pg_total_relation_size(c.oid) AS total_size
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'i')
  AND {user_schema}
  AND {not_extension_relation}
  AND NOT EXISTS (SELECT 1 FROM pg_locks l
                  WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND l.relation = c.oid AND l.mode = 'AccessExclusiveLock')
