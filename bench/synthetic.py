"""A deterministic synthetic schema, sized by table count, for benchmarking introspection.

In: a table count N and a seed. Out: one DDL string (no psql meta-commands, no parameters)
that `psycopg` can run with a single `conn.execute(sql)` in autocommit mode: N tables over
max(4, N // 250) schemas, each with a primary key, 5-30 columns of mixed types, ~1.5 foreign
keys to earlier tables (some across schemas), 1-3 extra indexes (some partial, some
multi-column), comments on most tables and many columns; ~2% of the tables partitioned
(3-4 partitions each); three layers of views (over tables, over those views, over those)
and a few materialized views.

The same (N, seed) always gives byte-identical text: only `random.Random(seed)` is used and
nothing is iterated in hash order. Statements are grouped into explicit transactions of
about `CHUNK` relations each, so one huge implicit transaction never runs out of lock slots
(`max_locks_per_transaction`) while the whole script still travels in one round trip.

    python -m bench.synthetic 10000 > /tmp/synthetic_10k.sql
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field

CHUNK = 200  # relations (tables or views) per explicit transaction

SCHEMA_WORDS = (
    "sales", "billing", "inventory", "crm", "hr", "logistics", "finance", "support",
    "marketing", "catalog", "audit", "identity",
)
NOUNS = (
    "account", "order", "invoice", "payment", "customer", "product", "shipment", "ticket",
    "employee", "contract", "supplier", "warehouse", "campaign", "session", "event",
    "subscription", "refund", "address", "device", "note", "batch", "vendor", "quote", "asset",
)
WORDS = (
    "status", "source", "region", "channel", "priority", "category", "owner", "label", "tier",
    "score", "amount", "balance", "discount", "tax", "weight", "rating", "reference", "external",
    "legacy", "billing", "shipping", "review", "approval", "last", "first", "display", "internal",
    "public", "partner", "retry", "expected", "actual", "gross", "net", "base", "local",
)
PHRASES = (
    "one row per business event", "kept for seven years for audit", "loaded nightly from the ERP",
    "owned by the platform team", "see the runbook before changing", "denormalised for reporting",
    "soft-deleted rows keep their history", "written only by the ingestion service",
    "values are validated upstream", "may contain personal data", "used by the billing export",
)

# kind: (weight, SQL type choices, name pattern)
KINDS = (
    ("bigint", 10), ("integer", 12), ("text", 18), ("varchar", 14), ("numeric", 10),
    ("timestamptz", 12), ("boolean", 10), ("jsonb", 6), ("uuid", 5),
)
KIND_NAMES = tuple(k for k, _ in KINDS)
KIND_WEIGHTS = tuple(w for _, w in KINDS)
VARCHAR_LENGTHS = (16, 32, 64, 100, 255)
NUMERIC_SIZES = ((10, 2), (12, 4), (18, 6), (5, 2), (14, 0))
SUFFIX = {
    "bigint": ("_ref_no", "_seq", "_total"), "integer": ("_count", "_rank", "_level"),
    "text": ("_note", "_name", "_text", "_description"), "varchar": ("_code", "_key", "_label"),
    "numeric": ("_amount", "_rate", "_value"), "timestamptz": ("_at", "_on", "_until"),
    "boolean": ("",), "jsonb": ("_data", "_attrs", "_payload"), "uuid": ("_uuid", "_token"),
}
GROUPABLE = ("integer", "text", "varchar", "boolean", "bigint")
FK_ACTIONS = ("", "", "", "", " ON DELETE CASCADE", " ON DELETE RESTRICT", " ON UPDATE CASCADE")


@dataclass
class Col:
    name: str
    kind: str


@dataclass
class Rel:
    schema: str
    name: str
    noun: str
    cols: list[Col]
    id_kind: str | None  # "bigint" | "uuid", None when the relation has no `id` column
    fks: list[tuple[str, Rel]] = field(default_factory=list)
    partitioned: bool = False

    @property
    def qname(self) -> str:
        return f"{self.schema}.{self.name}"


def synthetic_sql(n_tables: int, seed: int = 0) -> str:
    """DDL for `n_tables` tables (plus partitions, views, materialized views); deterministic."""
    return _Generator(n_tables, seed).run()


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Generator:
    def __init__(self, n_tables: int, seed: int) -> None:
        if n_tables < 1:
            raise ValueError("n_tables must be at least 1")
        self.n = n_tables
        self.rng = random.Random(seed)
        self.out: list[str] = []
        self.in_chunk = 0
        self.width = max(5, len(str(n_tables)))
        self.schemas = [
            SCHEMA_WORDS[i % len(SCHEMA_WORDS)] + ("" if i < len(SCHEMA_WORDS) else f"_{i // len(SCHEMA_WORDS) + 1}")
            for i in range(max(4, n_tables // 250))
        ]
        self.tables: list[Rel] = []
        self.fk_targets: list[Rel] = []  # non-partitioned tables (their PK is `id` alone)
        self.targets_by_schema: dict[str, list[Rel]] = {s: [] for s in self.schemas}

    # -- output -------------------------------------------------------------------------
    def emit(self, stmt: str) -> None:
        self.out.append(stmt)
        self.out.append(";\n")

    def relation_done(self) -> None:
        self.in_chunk += 1
        if self.in_chunk >= CHUNK:
            self.out.append("COMMIT;\nBEGIN;\n")
            self.in_chunk = 0

    def comment(self, what: str, target: str, text: str) -> None:
        self.emit(f"COMMENT ON {what} {target} IS {_q(text)}")

    def phrase(self) -> str:
        return self.rng.choice(PHRASES)

    # -- whole script -------------------------------------------------------------------
    def run(self) -> str:
        rng = self.rng
        self.out.append(f"-- synthetic schema: {self.n} tables, generated by bench/synthetic.py\nBEGIN;\n")
        for s in self.schemas:
            self.emit(f"CREATE SCHEMA {s}")
            self.comment("SCHEMA", s, f"Synthetic {s} area: {self.phrase()}.")
        for i in range(self.n):
            self.table(i)
        l1 = [self.view_over_table(k, rng.choice(self.tables)) for k in range(max(4, self.n // 8))]
        l2 = [self.view_over_views(k, 2, l1) for k in range(max(3, self.n // 16))]
        l3 = [self.view_over_views(k, 3, l2) for k in range(max(2, self.n // 32))]
        del l3
        for k in range(max(3, self.n // 250)):
            self.materialized_view(k, rng.choice(self.tables) if rng.random() < 0.5 else rng.choice(l1))
        self.out.append("COMMIT;\n")
        return "".join(self.out)

    # -- tables -------------------------------------------------------------------------
    def new_column(self, used: set[str]) -> tuple[Col, str]:
        rng = self.rng
        kind = rng.choices(KIND_NAMES, KIND_WEIGHTS)[0]
        word = rng.choice(WORDS)
        name = f"is_{word}" if kind == "boolean" else word + rng.choice(SUFFIX[kind])
        base, k = name, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        if kind == "varchar":
            sqltype = f"varchar({rng.choice(VARCHAR_LENGTHS)})"
        elif kind == "numeric":
            sqltype = "numeric(%d,%d)" % rng.choice(NUMERIC_SIZES)
        else:
            sqltype = kind
        r = rng.random()
        extra = ""
        if kind == "timestamptz" and r < 0.3:
            extra = " NOT NULL DEFAULT now()"
        elif kind == "boolean" and r < 0.5:
            extra = " NOT NULL DEFAULT false"
        elif kind == "jsonb" and r < 0.25:
            extra = " NOT NULL DEFAULT '{}'::jsonb"
        elif kind == "integer" and r < 0.2:
            extra = " DEFAULT 0"
        elif kind == "uuid" and r < 0.3:
            extra = " DEFAULT gen_random_uuid()"
        elif r < 0.25:
            extra = " NOT NULL"
        return Col(name, kind), f"    {name} {sqltype}{extra}"

    def pick_fk_target(self, schema: str) -> Rel | None:
        rng = self.rng
        same = self.targets_by_schema[schema]
        if same and rng.random() < 0.7:
            return same[-1 - int(rng.random() ** 2 * len(same))]  # mostly recent tables
        return rng.choice(self.fk_targets) if self.fk_targets else None

    def table(self, i: int) -> None:
        rng = self.rng
        schema = self.schemas[min(len(self.schemas) - 1, i * len(self.schemas) // self.n)]
        if rng.random() < 0.1:
            schema = rng.choice(self.schemas)
        noun = rng.choice(NOUNS)
        name = f"{noun}_{i:0{self.width}d}"
        partitioned = i >= 10 and rng.random() < 0.02
        part_by = rng.choice(("range", "hash")) if partitioned else ""
        id_kind = "uuid" if rng.random() < 0.1 else "bigint"
        rel = Rel(schema, name, noun, [Col("id", id_kind)], id_kind, partitioned=partitioned)

        used = {"id"}
        if id_kind == "uuid":
            lines = ["    id uuid NOT NULL DEFAULT gen_random_uuid()"]
        elif not partitioned and rng.random() < 0.3:
            lines = ["    id bigint GENERATED BY DEFAULT AS IDENTITY"]
        else:
            lines = ["    id bigint NOT NULL"]
        if part_by == "range":
            used.add("created_at")
            rel.cols.append(Col("created_at", "timestamptz"))
            lines.append("    created_at timestamptz NOT NULL DEFAULT now()")

        n_cols = rng.randint(5, 30)
        n_fks = rng.choices((0, 1, 2, 3, 4), (15, 40, 30, 10, 5))[0]
        n_fks = min(n_fks, n_cols - len(lines) - 1)
        for _ in range(n_fks):
            target = self.pick_fk_target(schema)
            if target is None:
                break
            col = f"{target.noun}_id"
            base, k = col, 2
            while col in used:
                col, k = f"{base}_{k}", k + 1
            used.add(col)
            nullable = rng.random() < 0.5
            action = rng.choice(FK_ACTIONS)
            if nullable and rng.random() < 0.2:
                action = " ON DELETE SET NULL"
            lines.append(f"    {col} {target.id_kind}{'' if nullable else ' NOT NULL'}"
                         f" REFERENCES {target.qname} (id){action}")
            rel.cols.append(Col(col, target.id_kind))
            rel.fks.append((col, target))
        while len(rel.cols) < n_cols:
            col, line = self.new_column(used)
            rel.cols.append(col)
            lines.append(line)

        others = rel.cols[1:]
        if part_by == "range":
            lines.append("    PRIMARY KEY (id, created_at)")
        else:
            lines.append("    PRIMARY KEY (id)")
        if rng.random() < 0.15:
            nums = [c for c in others if c.kind in ("numeric", "integer")]
            if nums:
                c = rng.choice(nums).name
                cname = f"{name}_{c}_check"
                lines.append(f"    CONSTRAINT {cname} CHECK ({c} >= 0)" if len(cname) <= 63 else f"    CHECK ({c} >= 0)")
        if not partitioned and rng.random() < 0.1:
            keys = [c for c in others if c.kind in ("varchar", "uuid")]
            if keys:
                lines.append(f"    UNIQUE ({rng.choice(keys).name})")
        tail = ""
        if part_by == "range":
            tail = " PARTITION BY RANGE (created_at)"
        elif part_by == "hash":
            tail = " PARTITION BY HASH (id)"
        self.emit(f"CREATE TABLE {rel.qname} (\n" + ",\n".join(lines) + f"\n){tail}")

        if partitioned:
            n_parts = rng.randint(3, 4)
            for p in range(n_parts):
                if part_by == "range":
                    bound = f"FROM ('{2021 + p}-01-01') TO ('{2022 + p}-01-01')"
                else:
                    bound = f"WITH (MODULUS {n_parts}, REMAINDER {p})"
                self.emit(f"CREATE TABLE {rel.qname}_p{p} PARTITION OF {rel.qname} FOR VALUES {bound}")
                self.relation_done()

        self.indexes(rel, others)
        if rng.random() < 0.85:
            self.comment("TABLE", rel.qname, f"{noun.capitalize()} records ({i}); {self.phrase()}.")
        for c in rel.cols:
            if rng.random() < 0.4:
                self.comment("COLUMN", f"{rel.qname}.{c.name}", f"The {c.name.replace('_', ' ')} ({c.kind}); {self.phrase()}.")

        self.tables.append(rel)
        if not partitioned:
            self.fk_targets.append(rel)
            self.targets_by_schema[schema].append(rel)
        self.relation_done()

    def indexes(self, rel: Rel, others: list[Col]) -> None:
        rng = self.rng
        plain = [c for c in others if c.kind != "jsonb"]
        for k in range(rng.randint(1, 3)):
            iname = f"{rel.name}_ix{k}"
            r = rng.random()
            jsonb = [c for c in others if c.kind == "jsonb"]
            if jsonb and r < 0.08:
                self.emit(f"CREATE INDEX {iname} ON {rel.qname} USING gin ({rng.choice(jsonb).name})")
                continue
            if len(plain) >= 2 and r < 0.4:
                cols = rng.sample(plain, min(len(plain), rng.randint(2, 3)))
            else:
                fk_cols = [c for c in others if any(c.name == f for f, _ in rel.fks)]
                cols = [rng.choice(fk_cols if fk_cols and rng.random() < 0.6 else plain or others)]
            where = ""
            if rng.random() < 0.3:
                bools = [c for c in others if c.kind == "boolean"]
                where = f" WHERE {rng.choice(bools).name}" if bools and rng.random() < 0.5 \
                    else f" WHERE {cols[0].name} IS NOT NULL"
            self.emit(f"CREATE INDEX {iname} ON {rel.qname} ({', '.join(c.name for c in cols)}){where}")

    # -- views --------------------------------------------------------------------------
    def view_over_table(self, k: int, t: Rel) -> Rel:
        rng = self.rng
        picked = rng.sample(t.cols[1:], min(len(t.cols) - 1, rng.randint(2, 6)))
        items = ["t.id"] + [f"t.{c.name}" for c in picked]
        cols = [Col("id", t.id_kind or "bigint")] + [Col(c.name, c.kind) for c in picked]
        used = {c.name for c in cols}
        source = f"{t.qname} t"
        if t.fks and rng.random() < 0.4:
            fk_col, target = rng.choice(t.fks)
            source += f"\n     LEFT JOIN {target.qname} r ON r.id = t.{fk_col}"
            for c in rng.sample(target.cols[1:], min(len(target.cols) - 1, rng.randint(1, 2))):
                alias = f"ref_{c.name}"
                if alias not in used:
                    used.add(alias)
                    items.append(f"r.{c.name} AS {alias}")
                    cols.append(Col(alias, c.kind))
        where = ""
        if rng.random() < 0.3:
            bools = [c for c in t.cols if c.kind == "boolean"]
            where = f"\n  WHERE t.{rng.choice(bools).name}" if bools else f"\n  WHERE t.{picked[0].name} IS NOT NULL"
        view = Rel(t.schema, f"v1_{k:0{self.width}d}_{t.noun}", t.noun, cols, t.id_kind)
        self.emit(f"CREATE VIEW {view.qname} AS\n  SELECT {', '.join(items)}\n  FROM {source}{where}")
        if rng.random() < 0.5:
            self.comment("VIEW", view.qname, f"{t.noun.capitalize()} overview over {t.qname}; {self.phrase()}.")
        self.relation_done()
        return view

    def view_over_views(self, k: int, layer: int, below: list[Rel]) -> Rel:
        rng = self.rng
        a = rng.choice(below)
        name = f"v{layer}_{k:0{self.width}d}_{a.noun}"
        groupable = [c for c in a.cols if c.kind in GROUPABLE and c.name != "id"]
        if layer == 3 and groupable and rng.random() < 0.5:
            g = rng.choice(groupable)
            items = [f"a.{g.name}", "count(*) AS row_count"]
            cols = [Col(g.name, g.kind), Col("row_count", "bigint")]
            nums = [c for c in a.cols if c.kind == "numeric"]
            if nums:
                n = rng.choice(nums)
                items.append(f"sum(a.{n.name}) AS total_{n.name}")
                cols.append(Col(f"total_{n.name}", "numeric"))
            view = Rel(a.schema, name, a.noun, cols, None)
            self.emit(f"CREATE VIEW {view.qname} AS\n  SELECT {', '.join(items)}\n  FROM {a.qname} a\n"
                      f"  GROUP BY a.{g.name}")
        else:
            rest = [c for c in a.cols if c.name != "id"]
            picked = rng.sample(rest, rng.randint(1, len(rest))) if rest else []
            items = ["a.id"] + [f"a.{c.name}" for c in picked]
            cols = [Col("id", a.id_kind or "bigint")] + picked
            used = {c.name for c in cols}
            source = f"{a.qname} a"
            partners = [v for v in (rng.choice(below) for _ in range(3)) if v is not a and v.id_kind == a.id_kind]
            if a.id_kind and partners and rng.random() < 0.4:
                b = partners[0]
                source += f"\n  JOIN {b.qname} b ON b.id = a.id"
                for c in rng.sample([c for c in b.cols if c.name != "id"], min(len(b.cols) - 1, 2)):
                    alias = f"b_{c.name}"
                    if alias not in used:
                        used.add(alias)
                        items.append(f"b.{c.name} AS {alias}")
                        cols.append(Col(alias, c.kind))
            elif picked and rng.random() < 0.4:
                source += f"\n  WHERE a.{picked[0].name} IS NOT NULL"
            view = Rel(a.schema, name, a.noun, cols, a.id_kind)
            self.emit(f"CREATE VIEW {view.qname} AS\n  SELECT {', '.join(items)}\n  FROM {source}")
        if rng.random() < 0.5:
            self.comment("VIEW", view.qname, f"Layer-{layer} view over {a.qname}; {self.phrase()}.")
        self.relation_done()
        return view

    def materialized_view(self, k: int, base: Rel) -> None:
        rng = self.rng
        picked = rng.sample(base.cols[1:], min(len(base.cols) - 1, rng.randint(2, 5)))
        name = f"mv_{k:0{self.width}d}_{base.noun}"
        qname = f"{base.schema}.{name}"
        self.emit(f"CREATE MATERIALIZED VIEW {qname} AS\n  SELECT b.id, {', '.join('b.' + c.name for c in picked)}\n"
                  f"  FROM {base.qname} b")
        if rng.random() < 0.5:
            self.emit(f"CREATE UNIQUE INDEX {name}_id ON {qname} (id)")
        self.comment("MATERIALIZED VIEW", qname, f"Snapshot of {base.qname}, refreshed nightly.")
        self.relation_done()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", type=int, help="number of tables")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sys.stdout.write(synthetic_sql(args.tables, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
