-- Lock-free statistics: row estimates, vacuum/analyze times and index scans. Never column
-- values (no pg_stats). Sizes come from sizes.sql, which needs locks and may be skipped.
SELECT c.oid AS relid,
       c.relkind::text AS relkind,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS estimated_rows,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       s.seq_scan, s.idx_scan,
       si.idx_scan AS index_scans
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
LEFT JOIN pg_stat_all_indexes si ON si.indexrelid = c.oid
WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
  AND {user_schema}
  AND {not_extension_relation}
