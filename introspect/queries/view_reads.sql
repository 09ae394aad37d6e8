-- What each view and materialized view reads, exactly as PostgreSQL recorded it: the
-- dependencies of its rewrite rule (one row per referenced relation, with the columns used).
SELECT r.ev_class AS relid,
       rn.nspname AS ref_schema,
       rc.relname AS ref_name,
       ARRAY(SELECT DISTINCT a.attname
             FROM pg_depend dc
             JOIN pg_attribute a ON a.attrelid = dc.refobjid AND a.attnum = dc.refobjsubid
             WHERE dc.classid = 'pg_rewrite'::regclass AND dc.objid = r.oid
               AND dc.refclassid = 'pg_class'::regclass AND dc.refobjid = rc.oid
               AND dc.refobjsubid > 0) AS columns
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN (SELECT DISTINCT objid, refobjid FROM pg_depend
      WHERE classid = 'pg_rewrite'::regclass AND refclassid = 'pg_class'::regclass) dep
  ON dep.objid = r.oid AND dep.refobjid <> r.ev_class
JOIN pg_class rc ON rc.oid = dep.refobjid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND {user_schema}
  AND {not_extension_relation}
