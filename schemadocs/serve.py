"""Serve a built site on localhost until Ctrl-C.

In: a host, a port and (later) the site directory. Out: a bound HTTP server; binding
happens first so a busy port fails before any work is done.
"""

from __future__ import annotations

import errno
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from schemadocs.errors import ServeError


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that gave up (e.g. it connected while the site was still building) is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def bind(host: str, port: int) -> ThreadingHTTPServer:
    """Bind the port now; the directory served is set by `serve_forever`."""
    try:
        return _SiteServer((host, port), _QuietHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; stop what uses it or pass --port N") from None
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --host or --port") from None


def serve_forever(server: ThreadingHTTPServer, site_dir: Path) -> None:
    """Serve `site_dir` until interrupted."""
    server.RequestHandlerClass = functools.partial(_QuietHandler, directory=str(Path(site_dir).resolve()))  # type: ignore[assignment]
    server.serve_forever()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no per-request noise
        pass
