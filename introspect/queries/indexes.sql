-- Every index on a user relation, with its key columns (plain columns by name, unquoted,
-- like constraints' columns; expressions as their text), and which of them are plain columns.
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
       ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, k, true))
             FROM generate_series(1, i.indnkeyatts) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND a.attnum > 0
             ORDER BY k) AS columns,
       ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, k, true))
             FROM generate_series(i.indnkeyatts + 1, i.indnatts) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND a.attnum > 0
             ORDER BY k) AS include_columns,
       ARRAY(SELECT i.indkey[k - 1] > 0 FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS plain_columns,
       ARRAY(SELECT i.indkey[k - 1] > 0 FROM generate_series(i.indnkeyatts + 1, i.indnatts) k ORDER BY k) AS plain_include,
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
