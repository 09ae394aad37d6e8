-- Primary key, foreign key, unique, check and exclusion constraints. Key columns come as
-- attribute numbers (conkey/confkey, in key order), named in Python from the columns query;
-- only a foreign key to a relation that query does not read (an extension's table) is named here.
-- A foreign key referencing a partitioned table gets a copy per partition of the target on the
-- referencing table itself (conparentid set, same conrelid, named ..._fkey1, ..._fkey2):
-- PostgreSQL's bookkeeping, left out as \d and pg_dump leave it out. The copies on the
-- partitions of a referencing partitioned table stay, marked inherited.
SELECT k.conrelid AS relid,
       k.conname AS name,
       k.contype::text AS contype,
       k.conkey AS attnums,
       pg_get_constraintdef(k.oid, true) AS definition,
       fn.nspname AS ref_schema,
       fc.relname AS ref_name,
       k.confrelid AS ref_relid,
       k.confkey AS ref_attnums,
       CASE WHEN k.confrelid IN (SELECT e.objid FROM pg_depend e
                                 WHERE e.classid = 'pg_class'::regclass AND e.deptype = 'e')
            THEN ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
                       ORDER BY u.ord) END AS ref_columns,
       k.confupdtype::text AS on_update,
       k.confdeltype::text AS on_delete,
       k.confmatchtype::text AS match,
       k.condeferrable AS deferrable,
       k.condeferred AS deferred,
       k.convalidated AS validated,
       k.conparentid <> 0 AS inherited,
       COALESCE(ci.nulls_not_distinct, false) AS nulls_not_distinct,
       d.description AS comment
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_description d ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
LEFT JOIN (SELECT i.indexrelid, {nulls_not_distinct} AS nulls_not_distinct FROM pg_index i) ci
       ON k.contype = 'u' AND ci.indexrelid = k.conindid
WHERE k.contype IN ('p', 'f', 'u', 'c', 'x')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.oid = k.conparentid AND p.conrelid = k.conrelid)
  AND {user_schema}
  AND {not_extension_relation}
