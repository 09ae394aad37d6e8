"""The rules: is a change breaking or safe, and why.

In: what changed (the object kind, the action, the field and both sides' model objects
where the rule needs them). Out: a `Verdict`, (severity, one-line reason).

Breaking means: a query, a client or a write that worked before the change can fail or
silently mean something else after it. That is a relation, column, function, type, enum
label or privilege that is dropped or renamed; a type narrowed or changed incompatibly; a
new restriction on writes (NOT NULL on an existing column, a new constraint or unique
index, GENERATED ALWAYS); a primary key or unique constraint (or unique index) dropped; a
view's output column removed or retyped; a function's signature or return type changed; an
inheritance parent removed or added to an existing table (what queries, UPDATEs and DELETEs
on the parent see changes: its rows leave or join the parent's).
Everything else is safe: additions, widened types, comments, owners, defaults on nullable
columns, plain indexes, triggers, policies and view or function bodies (a view's output
columns are compared on their own).
"""

from __future__ import annotations

from schemadocs.diff.change import Action, Severity
from schemadocs.diff.types import TypeChange, type_change
from schemadocs.model import Column, Constraint, ConstraintKind, Index

Verdict = tuple[Severity, str]

BREAKING, SAFE = Severity.BREAKING, Severity.SAFE


def object_added(kind: str) -> Verdict:
    return SAFE, f"new {kind}"


def object_removed(kind: str) -> Verdict:
    return BREAKING, f"{kind} dropped: queries and code that use it fail"


def object_renamed(kind: str) -> Verdict:
    return BREAKING, f"{kind} renamed: queries and code that name it fail"


def relation_field(field: str, old: object, new: object) -> Verdict:
    if field == "kind":
        return BREAKING, f"{_label(old)} became a {_label(new)}: what works on one does not on the other"
    if field == "rls_enabled" and new:
        return BREAKING, "row-level security enabled: roles no policy admits see no rows and cannot write"
    if field == "rls_forced" and new:
        return BREAKING, "row-level security forced: the owner is now subject to the policies too"
    if field == "partition_key":
        return BREAKING, "partitioning changed: the table was re-created"
    if field == "partition_of" and old is not None and new is None:
        return BREAKING, "partition detached: its rows no longer appear in the parent"
    if field == "view_definition":
        return SAFE, "view query changed (its output columns are compared one by one)"
    return SAFE, f"{field.replace('_', ' ')} changed"


def inheritance_removed() -> Verdict:
    return BREAKING, "inheritance parent removed (NO INHERIT): queries on the parent no longer see this table's rows"


def inheritance_added() -> Verdict:
    return BREAKING, ("inheritance parent added (INHERIT): queries on the parent see this table's rows too, "
                      "and UPDATE and DELETE on the parent change them")


def column_added(column: Column, in_view: bool) -> Verdict:
    if in_view:
        return SAFE, "new view output column"
    if not column.nullable and column.default is None and column.identity is None and column.generated is None:
        return BREAKING, "new NOT NULL column without a default: inserts that omit it fail"
    return SAFE, "new column, nullable or with a default: existing inserts keep working"


def column_removed(in_view: bool) -> Verdict:
    if in_view:
        return BREAKING, "view output column removed: queries that select it fail"
    return BREAKING, "column dropped: queries that use it fail, and its data is gone"


def column_renamed() -> Verdict:
    return BREAKING, "column renamed: queries that name it fail (views that read it follow the rename)"


def column_field(field: str, old: Column, new: Column, in_view: bool) -> Verdict:
    if field == "type":
        if in_view:
            return BREAKING, "view output column retyped: clients reading it get another type"
        change = type_change(old.type, new.type)
        if change is TypeChange.WIDENED:
            return SAFE, "type widened: every existing value still fits"
        if change is TypeChange.NARROWED:
            return BREAKING, "type narrowed: existing values or writes may no longer fit"
        return BREAKING, "type changed incompatibly: queries, writes and clients that rely on the old type break"
    if field == "nullable":
        if not new.nullable:
            return BREAKING, "NOT NULL added: inserts and updates that leave it NULL fail"
        return SAFE, "NOT NULL dropped"
    if field == "default" and new.default is None and not new.nullable and new.identity is None:
        return BREAKING, "default dropped from a NOT NULL column: inserts that omit it fail"
    if field == "identity" and new.identity == "always":
        return BREAKING, "GENERATED ALWAYS AS IDENTITY: inserts that supply a value fail"
    if field == "generated" and old.generated is None:
        return BREAKING, "column became generated: writes to it fail"
    if field == "collation":
        return BREAKING, "collation changed: sorting, comparisons and unique checks on it change"
    return SAFE, f"{field} changed"


def constraint_added(constraint: Constraint) -> Verdict:
    return BREAKING, f"new {_label(constraint.kind)} constraint on an existing table: writes that violate it fail"


def constraint_removed(constraint: Constraint) -> Verdict:
    if constraint.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE):
        return BREAKING, (f"{_label(constraint.kind)} dropped: uniqueness is no longer guaranteed, and ON CONFLICT "
                          "and foreign keys that rely on it fail")
    return SAFE, f"{_label(constraint.kind)} constraint dropped: writes are less restricted"


def constraint_field(field: str, old: Constraint, new: Constraint) -> Verdict:
    if field == "definition":
        return BREAKING, f"{_label(new.kind)} constraint changed: writes accepted before may now fail"
    if field == "validated" and new.validated:
        return SAFE, "constraint validated: existing rows are now known to satisfy it"
    return SAFE, f"{field} changed"


def index_added(index: Index) -> Verdict:
    if index.unique:
        return BREAKING, "new unique index on an existing table: writes of duplicate values fail"
    return SAFE, "new index"


def index_removed(index: Index) -> Verdict:
    if index.unique:
        return BREAKING, "unique index dropped: uniqueness is no longer enforced, and ON CONFLICT that relies on it fails"
    return SAFE, "index dropped: queries that used it may be slower"


def index_field(field: str, old: Index, new: Index) -> Verdict:
    if field == "definition" and (old.unique or new.unique):
        return BREAKING, "unique index changed: what counts as a duplicate changed"
    return SAFE, "index changed" if field == "definition" else f"{field} changed"


def trigger_change(action: Action, field: str | None = None) -> Verdict:
    return SAFE, f"trigger {action.value}: what happens on writes changed"


def policy_change(action: Action, field: str | None = None) -> Verdict:
    return SAFE, f"row-level security policy {action.value}: which rows roles see or may write changed"


def grant_added() -> Verdict:
    return SAFE, "privilege granted"


def grant_removed(grantee: str, privilege: str) -> Verdict:
    return BREAKING, f"privilege revoked: {grantee} can no longer {privilege}"


def routine_field(field: str) -> Verdict:
    if field == "arguments":
        return BREAKING, "signature changed: calls with the old arguments fail"
    if field == "returns":
        return BREAKING, "return type changed: callers that rely on the old result break"
    if field == "kind":
        return BREAKING, "routine kind changed: it is called differently"
    if field == "definition":
        return SAFE, "body changed"
    return SAFE, f"{field.replace('_', ' ')} changed"


def enum_label_added() -> Verdict:
    return SAFE, "new enum label"


def enum_label_removed() -> Verdict:
    return BREAKING, "enum label removed: stored values, queries and clients that use it fail"


def enum_order_changed() -> Verdict:
    return BREAKING, "enum label order changed: comparisons and ORDER BY on the type give other results"


def type_field(field: str, old: str, new: str) -> Verdict:
    """A domain's base type, a composite type's attribute type or a sequence's type."""
    change = type_change(old, new)
    if change is TypeChange.WIDENED:
        return SAFE, f"{field} widened: every existing value still fits"
    if change is TypeChange.NARROWED:
        return BREAKING, f"{field} narrowed: existing values or writes may no longer fit"
    return BREAKING, f"{field} changed incompatibly"


def domain_field(field: str, old: object, new: object) -> Verdict:
    if field == "nullable" and not new:
        return BREAKING, "NOT NULL added to the domain: NULL values of it fail"
    return SAFE, f"{field} changed"


def domain_check_added() -> Verdict:
    return BREAKING, "new domain check: values that violate it fail"


def domain_check_changed() -> Verdict:
    return BREAKING, "domain check changed: values accepted before may now fail"


def extension_field(field: str) -> Verdict:
    if field == "schema":
        return BREAKING, "extension moved to another schema: references qualified with the old one fail"
    return SAFE, f"{field} changed"


def _label(value: object) -> str:
    return str(value).replace("_", " ")
