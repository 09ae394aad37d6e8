-- Lock-free statistics: row estimates, live and dead rows, vacuum/analyze times and counts,
-- transaction-ID age, heap block hits and reads, index scans, and the average row width
-- (row_width: the sum over a table's columns of (1 - null_frac) * avg_width from pg_stats,
-- only those two numbers, never a column value; NULL unless every column has a pg_stats row,
-- as pg_stats leaves out columns never analyzed or that the role may not SELECT).
-- Sizes come from sizes.sql, which needs locks and may be skipped.
SELECT c.oid AS relid,
       c.relkind::text AS relkind,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS estimated_rows,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       s.seq_scan, s.idx_scan,
       si.idx_scan AS index_scans,
       s.n_live_tup AS live_rows, s.n_dead_tup AS dead_rows,
       s.vacuum_count + s.autovacuum_count AS vacuum_count,
       s.analyze_count + s.autoanalyze_count AS analyze_count,
       CASE WHEN c.relkind IN ('r', 'm')
            THEN greatest(age(c.relfrozenxid), CASE WHEN t.oid IS NOT NULL THEN age(t.relfrozenxid) END) END AS xid_age,
       io.heap_blks_hit AS heap_blocks_hit, io.heap_blks_read AS heap_blocks_read,
       CASE WHEN w.columns IS NULL OR c.relkind NOT IN ('r', 'm') THEN NULL
            WHEN w.columns = (SELECT count(*) FROM pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
            THEN w.width END AS row_width
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
LEFT JOIN pg_statio_all_tables io ON io.relid = c.oid
LEFT JOIN pg_stat_all_indexes si ON si.indexrelid = c.oid
LEFT JOIN (SELECT schemaname, tablename, count(*) AS columns,
                  ceil(sum((1 - null_frac) * avg_width))::int AS width
           FROM pg_stats WHERE NOT inherited GROUP BY schemaname, tablename) w
       ON w.schemaname = n.nspname AND w.tablename = c.relname
WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
  AND {user_schema}
  AND {not_extension_relation}
