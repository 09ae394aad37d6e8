"""Serve a built site on localhost until Ctrl-C.

In: a host, a port and (later) the site directory. Out: a bound HTTP server; binding
happens first so a busy port fails before any work is done. With a `LiveReload` (`serve
--watch`), every HTML page gets a small bundled script (`livereload.js`) that polls
`/__schemadocs__/version` and reloads the page once a rebuild has bumped that version.
"""

from __future__ import annotations

import errno
import functools
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
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


@contextmanager
def served(site_dir: Path, handler: type[SimpleHTTPRequestHandler] | None = None) -> Iterator[str]:
    """`site_dir` served on a free localhost port while the block runs: its URL (for browser
    tests, benchmarks and screenshots); `handler` replaces the site's own request handler."""
    server = bind("127.0.0.1", 0)
    if handler is not None:
        server.RequestHandlerClass = functools.partial(handler, directory=str(Path(site_dir).resolve()))  # type: ignore[assignment]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
    else:
        thread = threading.Thread(target=serve_forever, args=(server, site_dir), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class LiveReload:
    """The served site's version: 1 for the first build, one more after each rebuild."""

    def __init__(self) -> None:
        self.version = 1
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.version += 1


def serve_in_background(server: ThreadingHTTPServer, site_dir: Path, live: LiveReload | None) -> threading.Thread:
    """Serve `site_dir` from a thread (stopped by `server.shutdown()`), with live reload when `live` is given."""
    directory = str(Path(site_dir).resolve())
    server.RequestHandlerClass = (functools.partial(_LiveHandler, directory=directory, live=live) if live is not None  # type: ignore[assignment]
                                  else functools.partial(_QuietHandler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, name="schemadocs-serve", daemon=True)
    thread.start()
    return thread


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no per-request noise
        pass


VERSION_PATH = "/__schemadocs__/version"
SCRIPT_PATH = "/__schemadocs__/livereload.js"


class _LiveHandler(_QuietHandler):
    """Serves the site, the version endpoint and the reload script; adds the script to HTML pages."""

    def __init__(self, *args: object, live: LiveReload, **kwargs: object) -> None:
        self.live = live
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route == VERSION_PATH:
            return self._send(json.dumps({"version": self.live.version}).encode(), "application/json")
        if route == SCRIPT_PATH:
            return self._send(resources.files("schemadocs").joinpath("livereload.js").read_bytes(),
                              "text/javascript; charset=utf-8")
        target = Path(self.translate_path(self.path))
        if target.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            tag = f'<script src="{SCRIPT_PATH}" data-version="{self.live.version}"></script>'.encode()
            page = target.read_bytes()
            at = page.rfind(b"</body>")
            return self._send(page[:at] + tag + page[at:] if at >= 0 else page + tag, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
