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
       w.row_width
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
LEFT JOIN pg_statio_all_tables io ON io.relid = c.oid
LEFT JOIN pg_stat_all_indexes si ON si.indexrelid = c.oid
LEFT JOIN (SELECT a.attrelid,
                  CASE WHEN count(st.attname) = count(*)
                       THEN ceil(sum((1 - st.null_frac) * st.avg_width))::int END AS row_width
           FROM pg_attribute a
           JOIN pg_class ac ON ac.oid = a.attrelid AND ac.relkind IN ('r', 'm')
           JOIN pg_namespace an ON an.oid = ac.relnamespace
           LEFT JOIN pg_stats st ON st.schemaname = an.nspname AND st.tablename = ac.relname
                                AND st.attname = a.attname AND NOT st.inherited
           WHERE a.attnum > 0 AND NOT a.attisdropped
           GROUP BY a.attrelid) w ON w.attrelid = c.oid
WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
  AND {user_schema}
  AND {not_extension_relation}
