-- Tables, partitioned tables, views, materialized views and foreign tables, one row each, with
-- the parent of a partition and the parents of a table that INHERITS (in declaration order).
SELECT c.oid AS relid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS relkind,
       d.description AS comment,
       pg_get_userbyid(c.relowner) AS owner,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS view_definition,
       CASE WHEN c.relkind = 'm' THEN c.relispopulated END AS populated,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       pn.nspname AS parent_schema,
       pc.relname AS parent_name,
       ARRAY(SELECT ARRAY[hn.nspname::text, hc.relname::text]
             FROM pg_inherits h
             JOIN pg_class hc ON hc.oid = h.inhparent
             JOIN pg_namespace hn ON hn.oid = hc.relnamespace
             WHERE h.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY h.inhseqno) AS inherits,
       fs.srvname AS foreign_server,
       ft.ftoptions AS foreign_options,
       c.relacl::text[] AS acl,
       COALESCE(c.reloptions, '{{}}') AS options
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND {user_schema}
  AND {not_extension_relation}
