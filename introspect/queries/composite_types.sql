-- Stand-alone composite types (CREATE TYPE ... AS (...)), with their attributes in order.
SELECT n.nspname AS schema,
       t.typname AS name,
       ARRAY(SELECT ARRAY[a.attname::text, format_type(a.atttypid, a.atttypmod)]
             FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attributes,
       pg_get_userbyid(t.typowner) AS owner,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
WHERE t.typtype = 'c'
  AND {user_schema}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
