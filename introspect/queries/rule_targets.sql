-- Every relation some view's rewrite rule depends on, with its attribute names by attnum,
-- so query-tree Vars (relation OID, attnum) can be named.
SELECT c.oid AS relid,
       n.nspname AS schema,
       c.relname AS name,
       ARRAY(SELECT a.attnum::int FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attnums,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attnames
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid IN (SELECT refobjid FROM pg_depend
                WHERE classid = 'pg_rewrite'::regclass AND refclassid = 'pg_class'::regclass)
