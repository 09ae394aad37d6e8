-- The analysed query tree of each view and materialized view (PostgreSQL's own resolved
-- form of its definition), parsed in Python for exact column lineage.
SELECT r.ev_class AS relid,
       r.ev_action::text AS action
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND r.rulename = '_RETURN'
  AND {user_schema}
  AND {not_extension_relation}
