"""The Model Context Protocol server: the schema as tools an agent calls, read-only.

In: `Sources` (a catalog loaded once at start from a snapshot, a database or a built site,
with its graphs and health report) and a size limit. Out: an MCP server (the official
Python SDK's `MCPServer`) over stdio, or streamable HTTP on a loopback address, with the
tools `search`, `describe`, `relationships`, `lineage`, `impact`, `health` and
`sql_context`. Each answers with compact Markdown (`markdown.py`) and the same data as
structured content (`queries.py`, `objects.py`: what the static JSON API holds), both
within `max_chars` (`bounded.py`), saying what was left out; a name the catalog does not
hold is a tool error with "did you mean" suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from schemadocs.api import markdown, queries
from schemadocs.api.bounded import MIN_CHARS, bound_data, bound_text
from schemadocs.api.objects import Data, Sources
from schemadocs.api.sql_context import sql_context
from schemadocs.errors import ConfigError, SchemadocsError, UnknownName

DEFAULT_MAX_CHARS = 20_000
INSTRUCTIONS = (
    "Exact schema context for the PostgreSQL database {database}: tables, views, columns, keys, comments, "
    "lineage, impact of changes and health findings. Start with search, then describe or sql_context. "
    "Names are schema.relation or schema.relation.column, quoted as in SQL for mixed case."
)


def mcp_server(src: Sources, max_chars: int = DEFAULT_MAX_CHARS) -> MCPServer:
    """The server with its seven tools over `src`, every answer within `max_chars`."""
    server_max = max_chars
    server = MCPServer(name="schemadocs", version=_version(), instructions=INSTRUCTIONS.format(database=src.catalog.database))
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

    def answer(data: Callable[[], Data], text: Callable[[Data], str], limit: int | None = None) -> CallToolResult:
        size = max(MIN_CHARS, min(limit or max_chars, max_chars))
        try:
            found = data()
        except SchemadocsError as exc:
            suggestions = list(exc.suggestions) if isinstance(exc, UnknownName) else []
            return CallToolResult(content=[TextContent(type="text", text=str(exc))], is_error=True,
                                  structured_content={"error": str(exc), "suggestions": suggestions})
        bounded, left_out = bound_data(found, size)
        body = text(bounded)
        if left_out:
            body += "\nLeft out to stay within max_chars: " + "; ".join(left_out) + "\n"
        return CallToolResult(content=[TextContent(type="text", text=bound_text(body, size))],
                              structured_content={"result": bounded, "left_out": left_out})

    @server.tool(annotations=read_only)
    def search(query: str, kind: Literal["relation", "routine", "type"] | None = None, limit: int = 20) -> CallToolResult:
        """Find tables, views, functions and types whose name, column names or comment hold the
        query's words, best match first. Use it to find the exact name to pass to other tools."""
        return answer(lambda: queries.search(src, query, kind, max(1, min(limit, 200))), markdown.search_md)

    @server.tool(annotations=read_only)
    def describe(name: str) -> CallToolResult:
        """A relation, a function (all its overloads) or a type: columns with types, nullability,
        defaults and comments, keys, indexes, constraints, foreign keys in and out, size, lineage,
        dependents and health findings."""
        return answer(lambda: queries.describe(src, name), markdown.describe_md)

    @server.tool(annotations=read_only)
    def relationships(name: str, depth: int = 1) -> CallToolResult:
        """Foreign keys into and out of a table (virtual ones marked), out to `depth` hops (1-5)."""
        return answer(lambda: queries.relationships(src, name, depth), markdown.relationships_md)

    @server.tool(annotations=read_only)
    def lineage(name: str, direction: Literal["upstream", "downstream"] = "upstream", depth: int | None = 3) -> CallToolResult:
        """Column lineage of a relation or column: upstream (where its data comes from) or
        downstream (what is computed from it), with value sources and filter-only uses apart."""
        return answer(lambda: queries.lineage(src, name, direction, depth), markdown.lineage_md)

    @server.tool(annotations=read_only)
    def impact(name: str) -> CallToolResult:
        """What breaks if this column (schema.table.column) or relation is changed or dropped:
        dependent views (direct and transitive), view columns, foreign keys, indexes, routines."""
        return answer(lambda: queries.impact(src, name), markdown.impact_md)

    @server.tool(annotations=read_only)
    def health(name: str | None = None) -> CallToolResult:
        """Health-check findings of one relation or function, or without a name the summary."""
        return answer(lambda: queries.health(src, name), markdown.health_md)

    @server.tool(annotations=read_only)
    def sql_context(tables: list[str], max_chars: int | None = None) -> CallToolResult:
        """The minimal DDL-like context for writing a query over these tables: columns, types,
        keys, enum labels, comments, and the join paths between them found on the foreign-key
        graph (tables joined through are added). Stays within max_chars."""
        size = max(MIN_CHARS, min(max_chars or server_max, server_max))
        return answer(lambda: _sql_context(src, tables, size), markdown.sql_context_md, size)

    return server


def _sql_context(src: Sources, tables: list[str], size: int) -> Data:
    return sql_context(src, tables, max(MIN_CHARS // 2, size * 7 // 10))  # room for the joins and notes beside it


def run(server: MCPServer, http: tuple[str, int] | None = None) -> None:
    """Serve over stdio (the default), or streamable HTTP at http://HOST:PORT/mcp."""
    if http is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host=http[0], port=http[1])


def parse_http(value: str) -> tuple[str, int]:
    """`HOST:PORT` on a loopback address: the server has no authentication, so it never listens beyond this machine."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--http {value!r} is not HOST:PORT; use e.g. --http 127.0.0.1:8765")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError(f"--http {value!r}: the MCP server has no authentication, so it only listens on "
                          "127.0.0.1, localhost or ::1; put an authenticating proxy in front to serve it further")
    return host, int(port)


def site_snapshot(site: Path) -> Path:
    """The snapshot a built site was made from (`catalog.json`, or a large site's
    `catalog.json.gz`, in the site's folder: `site_snapshot`)."""
    from schemadocs.site_snapshot import PLAIN, snapshot_file

    path = snapshot_file(Path(site))
    if path is None:
        raise ConfigError(f"{site} holds no {PLAIN}; pass the folder `schemadocs build` wrote (its --out)")
    return path


def _version() -> str:
    from importlib.metadata import version

    return version("schemadocs")
