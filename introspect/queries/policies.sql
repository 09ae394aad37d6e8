-- Row-level security policies.
SELECT p.polrelid AS relid,
       p.polname AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_get_userbyid(r.oid) END
             FROM unnest(p.polroles) r(oid) ORDER BY 1) AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid, true) AS with_check,
       d.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass
WHERE {user_schema}
  AND {not_extension_relation}
