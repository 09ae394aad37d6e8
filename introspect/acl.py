"""PostgreSQL privileges (aclitem text) → the model's grants.

In: an ACL as PostgreSQL prints it, `{grantee=privileges/grantor, ...}` (`relacl::text[]`,
`attacl`, `proacl`, `nspacl`), optionally per column. Out: sorted `Grant`s, one per role and
privilege, as `aclexplode()` would list them, read in Python instead of once per row in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemadocs.model import Grant

# aclitem's privilege letters (PostgreSQL's ACL_ALL_RIGHTS_STR), named as aclexplode names them.
PRIVILEGES = {
    "a": "INSERT", "r": "SELECT", "w": "UPDATE", "d": "DELETE", "D": "TRUNCATE", "x": "REFERENCES",
    "t": "TRIGGER", "X": "EXECUTE", "U": "USAGE", "C": "CREATE", "T": "TEMPORARY", "c": "CONNECT",
    "s": "SET", "A": "ALTER SYSTEM", "m": "MAINTAIN",
}


def grants(acl: Sequence[str] | None, column_acls: Iterable[tuple[str, Sequence[str]]] = ()) -> tuple[Grant, ...]:
    """The grants of an object's ACL and of its columns' ACLs ((column, ACL) pairs), sorted."""
    found = {Grant(grantee=g, privilege=p, grantable=ok) for g, p, ok in acl_entries(acl or ())}
    found |= {Grant(grantee=g, privilege=p, grantable=ok, column=column)
              for column, column_acl in column_acls for g, p, ok in acl_entries(column_acl)}
    return tuple(sorted(found, key=lambda g: (g.grantee, g.privilege, g.column or "", g.grantable)))


def acl_entries(acl: Iterable[str]) -> Iterable[tuple[str, str, bool]]:
    """(grantee, privilege, grantable) for each privilege of each aclitem; PUBLIC for the empty grantee."""
    for item in acl:
        grantee, rest = _role(item)
        privileges = rest[1:rest.index("/")]  # after '=', up to '/grantor' (privilege letters hold no '/')
        for i, letter in enumerate(privileges):
            if letter != "*":
                yield grantee or "PUBLIC", PRIVILEGES[letter], privileges[i + 1:i + 2] == "*"


def _role(item: str) -> tuple[str, str]:
    """The grantee as aclitem prints it (double-quoted when it is not plain), and the text after it."""
    if not item.startswith('"'):
        end = item.index("=")
        return item[:end], item[end:]
    name, i = [], 1
    while True:
        if item[i] == '"':
            if item.startswith('""', i):
                name.append('"')
                i += 2
                continue
            return "".join(name), item[i + 1:]
        name.append(item[i])
        i += 1
