"""Drive `schemadocs mcp` with the MCP SDK's own client, over stdio or streamable HTTP.

In: the server's command-line arguments (or its URL) and the tool calls to make. Out: each
call's `CallToolResult`, from one session: the server runs as a real subprocess, started by
the SDK's `stdio_client` the way an MCP client application starts it.
"""

from __future__ import annotations

import sys
from typing import Any

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

Call = tuple[str, dict[str, Any]]


def over_stdio(args: list[str], calls: list[Call]) -> tuple[list[str], list[Any]]:
    """The tool names the server lists, and the results of `calls`."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "schemadocs", "mcp", *args])

    async def session() -> tuple[list[str], list[Any]]:
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
                return await _run(client, calls)
    return anyio.run(session)


def over_http(url: str, calls: list[Call]) -> tuple[list[str], list[Any]]:
    async def session() -> tuple[list[str], list[Any]]:
        with anyio.fail_after(120):
            async with streamable_http_client(url) as (read, write), ClientSession(read, write) as client:
                return await _run(client, calls)
    return anyio.run(session)


async def _run(client: ClientSession, calls: list[Call]) -> tuple[list[str], list[Any]]:
    await client.initialize()
    tools = [t.name for t in (await client.list_tools()).tools]
    return tools, [await client.call_tool(name, arguments) for name, arguments in calls]


def text(result: Any) -> str:
    (block,) = result.content
    return block.text
