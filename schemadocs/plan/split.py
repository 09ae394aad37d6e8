"""Split migration files into statements, with each statement's file and line.

In: the MIGRATION arguments: SQL files, or directories whose `.sql` files (not recursive)
run in name order. Out: `Statement`s in execution order, each with its file (as given on
the command line, or the directory joined with the file name), the 1-based line of its
first character, its text without the trailing `;`, and whether PostgreSQL accepts it
inside a transaction block (decided from pglast's parse tree, `statement_kind`).

Transaction control (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, SAVEPOINT, ...) is left
out: the plan observes each statement on its own, and `--transaction` says how the runner
wraps the file. A file that wraps itself in BEGIN ... COMMIT therefore reads as
`--transaction per-file` does. A statement PostgreSQL refuses inside a transaction block
(CREATE INDEX CONCURRENTLY, ...) placed between the file's own BEGIN and COMMIT would fail
in production: that is a `ConfigError` naming both lines, as is a file that does not parse
(with pglast's message and the line) and a path that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pglast import ast, parse_sql
from pglast.parser import ParseError

from schemadocs.errors import ConfigError
from schemadocs.plan.kinds import statement_kind
from schemadocs.plan.model import Statement


def split(paths: Sequence[Path]) -> tuple[Statement, ...]:
    """Every statement of the migration files, in the order they run."""
    if not paths:
        raise ConfigError("no migration given: pass one or more SQL files or directories of .sql files")
    statements: list[Statement] = []
    for path in _files(paths):
        statements.extend(split_text(_read(path), str(path)))
    return tuple(statements)


def split_text(text: str, file: str) -> list[Statement]:
    """The statements of one file's text (`file` is only its name for messages and results)."""
    try:
        raw = parse_sql(text)
    except ParseError as exc:
        message, index = (exc.args + (None,))[:2] if exc.args else (str(exc), None)
        where = f"{file}:{_line(text, index)}" if isinstance(index, int) else file
        raise ConfigError(f"{where}: {message}; fix the SQL (it does not parse as PostgreSQL)") from None
    statements: list[Statement] = []
    opened_at: int | None = None  # the line of the file's own BEGIN, while it is open
    for node in raw:
        start = node.stmt_location or 0
        length = node.stmt_len or len(text) - start
        sql, offset = _trimmed(text[start:start + length])
        line = _line(text, start + offset)
        if isinstance(node.stmt, ast.TransactionStmt):
            opened_at = _transaction_state(node.stmt, opened_at, line)
            continue
        kind = statement_kind(node.stmt)
        if not kind.transactional and opened_at is not None:
            raise ConfigError(f"{file}:{line}: this statement cannot run inside a transaction block, and the file's "
                              f"BEGIN at line {opened_at} opens one; PostgreSQL would refuse it: move it out of "
                              "BEGIN ... COMMIT")
        statements.append(Statement(file, line, sql, kind.transactional))
    return statements


def _files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted((p for p in path.iterdir() if p.suffix == ".sql" and p.is_file()), key=lambda p: p.name)
            if not found:
                raise ConfigError(f"{path} holds no .sql files; pass the directory of the migration's SQL files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ConfigError(f"{path} does not exist; pass a SQL file or a directory of .sql files")
    return files


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _transaction_state(stmt: ast.TransactionStmt, opened_at: int | None, line: int) -> int | None:
    """The line of the open BEGIN after this transaction-control statement (None: none open)."""
    kind = stmt.kind.name if hasattr(stmt.kind, "name") else str(stmt.kind)
    if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
        return line
    if kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"):
        return None
    return opened_at  # SAVEPOINT, RELEASE, ROLLBACK TO: the transaction stays open


def _trimmed(chunk: str) -> tuple[str, int]:
    """The statement without surrounding blanks, comments before it and its `;`, and the
    offset of its first character in `chunk` (pglast's location may include leading comments)."""
    offset = 0
    while offset < len(chunk):
        rest = chunk[offset:]
        stripped = rest.lstrip()
        offset += len(rest) - len(stripped)
        if stripped.startswith("--"):
            newline = stripped.find("\n")
            offset += len(stripped) if newline < 0 else newline + 1
        elif stripped.startswith("/*"):
            end = _comment_end(stripped)
            offset += end
        else:
            break
    return chunk[offset:].rstrip().rstrip(";").rstrip(), offset


def _comment_end(text: str) -> int:
    """The end of the (nestable, as in PostgreSQL) block comment `text` starts with."""
    depth, i = 0, 0
    while i < len(text):
        if text.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*/", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        else:
            i += 1
    return len(text)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, max(0, min(index, len(text)))) + 1
