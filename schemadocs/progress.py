"""Progress, feedback lines and timings of a command's stages, on stderr.

In: the stages a command runs (`stage(name, total)`, advanced as work is done), its
information and warning lines (`info`, `warning`), cache counts (`count`) and MkDocs' log
records (`mkdocs_log`). Out, by the `Reporter` a command opens with `reporting`:
- on a terminal, a live display (rich): each stage with its progress (n of N) and elapsed time;
- elsewhere (CI), one plain line per finished stage with its duration (`- name: detail (1.23s)`);
- with `quiet`, nothing (errors are printed by the CLI); with `verbose`, also the timings of
  each stage's steps and the cache statistics at the end;
- the timings as JSON (`timings_json`, shape in `timings.schema.json`) for `--timings FILE`.
Library callers that open no reporter get a silent one: stages are timed, nothing printed.
Every line is passed through `escape.terminal_text`, so a hostile name cannot drive the terminal.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TextIO

from schemadocs.render.escape import terminal_text

TIMINGS_FORMAT = 1  # the version of the --timings JSON shape (timings.schema.json)
PLAIN_LINE = re.compile(r"^- (?P<name>[a-z ]+)(?:: (?P<detail>.*))? \((?P<seconds>\d+\.\d\d)s\)$")  # `plain_line`


class Mode(Enum):
    QUIET = "quiet"
    NORMAL = "normal"
    VERBOSE = "verbose"


@contextlib.contextmanager
def reporting(command: str, mode: Mode, stream: TextIO, live: bool | None = None,
              stages: bool = True) -> Iterator[Reporter]:
    """The reporter of one command run: stages report to it until the block ends; the live
    display is stopped whatever happens, so an error line is never drawn over. With `stages`
    False, only information and warning lines are printed (quick commands: `lineage`, `export`)."""
    reporter = Reporter(command, mode, stream, stream.isatty() if live is None else live, stages)
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)
        reporter.close()


@dataclass
class Stage:
    """One stage as it runs: advanced from any thread; its steps are timed between advances."""

    name: str
    total: int | None
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    seconds: float | None = None
    detail: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    _last: float = 0.0
    _reporter: Reporter | None = None

    def advance(self, n: int = 1, step: str | None = None) -> None:
        """`n` more items done; `step` names the work just finished (timed since the last advance)."""
        now = time.perf_counter()
        with _lock:
            self.done += n
            if step is not None:
                self.steps[step] = round(now - (self._last or self.started), 4)
            self._last = now
        if self._reporter is not None:
            self._reporter._redraw(self, step)

    def set_total(self, total: int) -> None:
        self.total = total
        if self._reporter is not None:
            self._reporter._redraw(self, None)


class Reporter:
    def __init__(self, command: str, mode: Mode, stream: TextIO, live: bool, stages: bool = True) -> None:
        self.command, self.mode, self.stream, self.show_stages = command, mode, stream, stages
        self.started_at = datetime.now(timezone.utc)
        self.started = time.perf_counter()
        self.stages: list[Stage] = []
        self.counts: dict[str, dict[str, int]] = {}
        self._live = None
        self._tasks: dict[int, Any] = {}
        if live and stages and mode is not Mode.QUIET:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, \
                TimeElapsedColumn

            console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
            self._live = Progress(SpinnerColumn(finished_text="[green]done"), TextColumn("{task.description}"),
                                  BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                  transient=False, redirect_stderr=False, redirect_stdout=False)

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, detail: str = "") -> Iterator[Stage]:
        """A stage of the command: shown while it runs, its duration recorded when it ends."""
        stage = Stage(name, total, detail=detail, _reporter=self)
        with _lock:
            self.stages.append(stage)
        if self._live is not None:
            if not self._live.live.is_started:
                self._live.start()
            self._tasks[id(stage)] = self._live.add_task(terminal_text(name), total=total)
        ok = False
        try:
            yield stage
            ok = True
        finally:
            stage.seconds = round(time.perf_counter() - stage.started, 4)
            self._finish(stage, ok)

    def info(self, message: str) -> None:
        """A line of information (what was read, what was written): not with --quiet."""
        if self.mode is not Mode.QUIET:
            self._print(message)

    def warning(self, message: str) -> None:
        if self.mode is not Mode.QUIET:
            self._print(f"warning: {message}")

    def count(self, what: str, **numbers: int) -> None:
        """Add to a cache statistic, e.g. `count("diagrams", reused=3, drawn=1)`."""
        with _lock:
            entry = self.counts.setdefault(what, {})
            for key, value in numbers.items():
                entry[key] = entry.get(key, 0) + value

    def settle(self) -> None:
        """End the live display of what ran so far (its lines stay); the next stage starts a new one."""
        if self._live is not None and self._live.live.is_started:
            self._live.stop()
            for task in list(self._tasks.values()):
                self._live.remove_task(task)
            self._tasks.clear()

    def close(self) -> None:
        if self._live is not None and self._live.live.is_started:
            self._live.stop()
        if self.mode is Mode.VERBOSE:
            for line in summary_lines(self):
                self._print(line)

    def _finish(self, stage: Stage, ok: bool) -> None:
        if self._live is not None:
            task = self._tasks[id(stage)]
            total = stage.total if stage.total is not None else max(stage.done, 1)
            self._live.update(task, total=total, completed=total if ok else stage.done,
                              description=terminal_text(f"{stage.name}{_detail(stage)}"
                                                        + ("" if ok else " (stopped)")))
            self._live.stop_task(task)
        elif ok and self.show_stages and self.mode is not Mode.QUIET:
            self._print(plain_line(stage))

    def _redraw(self, stage: Stage, step: str | None) -> None:
        if self._live is not None:
            name = f"{stage.name}: {step}" if step else stage.name
            self._live.update(self._tasks[id(stage)], completed=stage.done, total=stage.total,
                              description=terminal_text(name))

    def _print(self, line: str) -> None:
        if self._live is not None and self._live.live.is_started:
            self._live.console.print(terminal_text(line), markup=False, highlight=False)
        else:
            self.stream.write(terminal_text(line) + "\n")
            self.stream.flush()


def plain_line(stage: Stage) -> str:
    """A finished stage as one line: `- diagrams: 12 of 40 (1.23s)`."""
    return f"- {stage.name}{_detail(stage)} ({stage.seconds or 0:.2f}s)"


def _detail(stage: Stage) -> str:
    parts = [stage.detail] if stage.detail else []
    if stage.total is not None:
        parts.append(f"{stage.done} of {stage.total}")
    return f": {', '.join(parts)}" if parts else ""


def summary_lines(reporter: Reporter) -> list[str]:
    """--verbose: every stage's time and its steps', then the cache statistics."""
    lines = [f"timings of `schemadocs {reporter.command}` "
             f"({time.perf_counter() - reporter.started:.2f}s in all):"]
    for stage in reporter.stages:
        lines.append(f"  {stage.name:<16} {stage.seconds or 0:8.2f}s")
        lines.extend(f"    {step:<22} {seconds:8.2f}s" for step, seconds in stage.steps.items())
    for what, numbers in sorted(reporter.counts.items()):
        lines.append(f"cache: {what}: " + ", ".join(f"{v} {k}" for k, v in numbers.items()))
    return lines


def timings_json(reporter: Reporter) -> dict[str, Any]:
    """The timings of a run as plain data (timings.schema.json)."""
    return {
        "format": TIMINGS_FORMAT,
        "command": reporter.command,
        "started": reporter.started_at.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - reporter.started, 4),
        "stages": [{"name": s.name, "seconds": s.seconds if s.seconds is not None else 0.0, "done": s.done,
                    "total": s.total, "steps": [{"name": k, "seconds": v} for k, v in s.steps.items()]}
                   for s in reporter.stages],
        "cache": {what: dict(numbers) for what, numbers in sorted(reporter.counts.items())},
    }


def current() -> Reporter:
    """The reporter of the running command, else a silent one."""
    reporter = _current.get()
    if reporter is None:
        reporter = Reporter("library", Mode.QUIET, _NullStream(), live=False)
        _current.set(reporter)
    return reporter


def stage(name: str, total: int | None = None, detail: str = "") -> contextlib.AbstractContextManager[Stage]:
    """`with progress.stage("diagrams", total=n) as s: ... s.advance()`: a stage of the running command."""
    return current().stage(name, total, detail)


def info(message: str) -> None:
    current().info(message)


def warning(message: str) -> None:
    current().warning(message)


def count(what: str, **numbers: int) -> None:
    current().count(what, **numbers)


@contextlib.contextmanager
def mkdocs_log(stage: Stage) -> Iterator[None]:
    """Fold MkDocs' log into `stage`: each page it builds advances the stage, its information
    lines show only with --verbose, and nothing is printed raw (a warning fails the strict
    build, and the build's error line says it)."""
    handler = _MkDocsHandler(stage)
    logger = logging.getLogger("mkdocs.commands.build")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class _MkDocsHandler(logging.Handler):
    def __init__(self, stage: Stage) -> None:
        super().__init__(level=logging.DEBUG)
        self.stage = stage

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if record.levelno == logging.DEBUG:
            if message.startswith("Building page "):
                self.stage.advance()
        elif record.levelno == logging.INFO and current().mode is Mode.VERBOSE:
            current().info(f"mkdocs: {message}")


class _NullStream:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


_current: ContextVar[Reporter | None] = ContextVar("schemadocs_progress", default=None)
_lock = threading.Lock()


class WarningHandler(logging.Handler):
    """The `schemadocs` logger's warnings, as the running command's warning lines."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        current().warning(record.getMessage())
