"""The `schemadocs` command run in this process, through the same `main()` a user's shell runs.

In: the command's arguments. Out: its exit code and what it printed on stderr. Faster than a
subprocess (the fuzzer runs it hundreds of times) and still through the CLI's one error
translation layer, so a traceback shows up as an uncaught exception here.
"""

from __future__ import annotations

import contextlib
import io
import logging
import signal
import sys
from unittest import mock

from schemadocs.cli import main
from schemadocs.progress import PLAIN_LINE


def run_cli(*args: str) -> tuple[int, str]:
    """Run `schemadocs ARGS`; return (exit code, stderr). Any exception but SystemExit propagates."""
    code, _, err = run_cli_output(*args)
    return code, err


def run_cli_output(*args: str) -> tuple[int, str, str]:
    """Run `schemadocs ARGS`; return (exit code, stdout, stderr)."""
    stderr, stdout = io.StringIO(), io.StringIO()
    handlers = list(logging.getLogger("schemadocs").handlers)
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        with mock.patch.object(sys, "argv", ["schemadocs", *args]), \
                contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        logging.getLogger("schemadocs").handlers[:] = handlers
        signal.signal(signal.SIGTERM, sigterm)
    return code, stdout.getvalue(), stderr.getvalue()


def assert_success_or_clean_error(code: int, stderr: str) -> None:
    """Success, or exactly one `error: ...` line and exit 2: never a traceback."""
    assert "Traceback" not in stderr
    if code != 0:
        lines = [line for line in stderr.splitlines() if line.strip() and not PLAIN_LINE.match(line)]
        assert code == 2, stderr
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr
        assert len(lines[0]) <= 1100, f"a {len(lines[0])}-character error line"
