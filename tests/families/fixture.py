"""The families fixture: 300 identical tenant schemas, two near-members, three hostile-named
identical schemas and a shared `public` schema, written as one SQL batch (a DO block)."""

from __future__ import annotations

TENANTS = 300
EXTRA = "tenant_extra"  # one extra column: customers.nickname text
NOINDEX = "tenant_noindex"  # no index orders_customer_idx
HOSTILE = ('we\'ird "x" <b>1', 'we\'ird "x" <b>2', 'we\'ird "x" <b>3')

# One tenant: %1$I is the schema. Small on purpose: 300 of them load in a few seconds.
TENANT_DDL = """
CREATE SCHEMA %1$I;
CREATE TABLE %1$I.customers (
  id serial PRIMARY KEY,
  plan_id integer NOT NULL REFERENCES public.plans,
  name text NOT NULL,
  email text UNIQUE
);
CREATE TABLE %1$I.orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES %1$I.customers,
  total numeric(10,2) NOT NULL DEFAULT 0 CHECK (total >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON %1$I.orders (customer_id);
CREATE VIEW %1$I.customer_totals AS
  SELECT c.id, c.name, sum(o.total) AS total FROM %1$I.customers c JOIN %1$I.orders o ON o.customer_id = c.id
  GROUP BY c.id, c.name;
COMMENT ON TABLE %1$I.customers IS %2$L;
"""

# A family of its own, hostile from its schemas' names to its columns' (`%1$I` is the schema).
HOSTILE_DDL = """
CREATE SCHEMA %1$I;
CREATE TABLE %1$I."<img src=x onerror=alert(1)>" (id integer PRIMARY KEY, "a""b]]>`*" text DEFAULT 'x''y');
CREATE TABLE %1$I."child | {x}" (id integer PRIMARY KEY, parent integer REFERENCES %1$I."<img src=x onerror=alert(1)>");
CREATE INDEX "i<script>" ON %1$I."child | {x}" (parent);
"""


def families_sql(tenants: int = TENANTS) -> str:
    """The whole fixture as one SQL text."""
    hostile = ", ".join("'" + name.replace("'", "''") + "'" for name in HOSTILE)
    return f"""
CREATE TABLE public.plans (id integer PRIMARY KEY, name text NOT NULL);
DO $fixture$
DECLARE s text;
BEGIN
  FOR i IN 1..{tenants} LOOP
    s := format('tenant_%s', lpad(i::text, 4, '0'));
    EXECUTE format($ddl${TENANT_DDL}$ddl$, s, 'Customers of ' || s);
  END LOOP;
  FOREACH s IN ARRAY ARRAY['{EXTRA}', '{NOINDEX}'] LOOP
    EXECUTE format($ddl${TENANT_DDL}$ddl$, s, 'Customers of ' || s);
  END LOOP;
  FOREACH s IN ARRAY ARRAY[{hostile}] LOOP
    EXECUTE format($ddl${HOSTILE_DDL}$ddl$, s);
  END LOOP;
  ALTER TABLE {EXTRA}.customers ADD COLUMN nickname text;
  DROP INDEX {NOINDEX}.orders_customer_idx;
END
$fixture$;
"""
