-- Every index on a user relation. Its columns come as attribute numbers (indkey: key columns,
-- then INCLUDE columns), named in Python from the columns query; an expression (attnum 0)
-- is given as its text, only for the indexes that have expressions.
SELECT i.indrelid AS relid,
       i.indexrelid,
       ic.relname AS name,
       pg_get_indexdef(i.indexrelid) AS definition,
       am.amname AS method,
       i.indisunique AS unique,
       i.indisprimary AS primary,
       i.indisvalid AS valid,
       {nulls_not_distinct} AS nulls_not_distinct,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       i.indkey::int2[] AS attnums,
       i.indnkeyatts AS key_count,
       CASE WHEN i.indexprs IS NOT NULL
            THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k)
       END AS texts,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE {user_schema}
  AND {not_extension_relation}
