-- User triggers (internal constraint triggers left out); tgtype is decoded in Python.
SELECT t.tgrelid AS relid,
       t.tgname AS name,
       pn.nspname AS function_schema,
       p.proname AS function_name,
       t.tgtype::int AS tgtype,
       t.tgenabled::text AS enabled,
       pg_get_triggerdef(t.oid, true) AS definition,
       d.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass
WHERE NOT t.tgisinternal
  AND {user_schema}
  AND {not_extension_relation}
