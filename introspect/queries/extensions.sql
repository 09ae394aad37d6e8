-- Installed extensions (their member objects are left out of every other query).
SELECT e.extname AS name,
       e.extversion AS version,
       n.nspname AS schema,
       d.description AS comment
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass
