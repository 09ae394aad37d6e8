-- Functions, procedures and aggregates (extension-owned ones left out).
SELECT p.oid AS oid,
       n.nspname AS schema,
       p.proname AS name,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       oidvectortypes(p.proargtypes) AS argument_types,
       p.prokind::text AS prokind,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
       l.lanname AS language,
       p.provolatile::text AS volatility,
       p.prosecdef AS security_definer,
       CASE WHEN p.prokind IN ('f', 'p') THEN p.prosrc END AS definition,
       pg_get_userbyid(p.proowner) AS owner,
       COALESCE(p.proconfig, '{{}}') AS settings,
       p.proacl::text[] AS acl,
       cardinality(p.proacl) = 0 AS acl_empty,
       d.description AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
WHERE {user_schema}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
