-- Every user schema: system schemas and extension-owned schemas left out.
SELECT n.oid AS oid,
       n.nspname AS name,
       pg_get_userbyid(n.nspowner) AS owner,
       d.description AS comment,
       n.nspacl::text[] AS acl
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE {user_schema}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e')
