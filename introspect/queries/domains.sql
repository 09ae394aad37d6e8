-- Domains: base type, NOT NULL, default and their CHECK constraints.
SELECT n.nspname AS schema,
       t.typname AS name,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       NOT t.typnotnull AS nullable,
       t.typdefault AS "default",
       ARRAY(SELECT ARRAY[k.conname::text, pg_get_constraintdef(k.oid, true)]
             FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) AS constraints,
       pg_get_userbyid(t.typowner) AS owner,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
WHERE t.typtype = 'd'
  AND {user_schema}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
