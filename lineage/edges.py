"""The kinds of edge in the graphs: an edge's `kind` attribute."""

from __future__ import annotations

from enum import StrEnum


class Edge(StrEnum):
    """What an edge means. Lineage graph: READS (relation → the view that reads it, from
    pg_depend), VALUE (column → a view column computed from it), FILTER (column → a view that
    only filters, joins, groups or orders on it), TRIGGER (table → the function its trigger
    runs), ROUTINE_READS (table → routine reading it), ROUTINE_WRITES (routine → table it
    writes). ER graph: FOREIGN_KEY (referencing → referenced table), INHERITS (child → parent)."""

    READS = "reads"
    VALUE = "value"
    FILTER = "filter"
    TRIGGER = "trigger"
    ROUTINE_READS = "routine_reads"
    ROUTINE_WRITES = "routine_writes"
    FOREIGN_KEY = "foreign_key"
    INHERITS = "inherits"
