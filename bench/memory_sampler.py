"""Peak memory of a process and all its descendants together, sampled over time.

In: the pid of a running process (a benchmark's build child). Out, once it has been stopped:
`MemoryPeaks`, the peak of the SUM of the resident memory of every process of the tree alive at
the same moment (RSS, and PSS, which splits pages shared between processes among them, so a
page mapped by two processes is counted once), the peak of the root alone, the peak of each
other process (labelled: `mkdocs share` for `schemadocs.mkdocs_parallel`, else the program's
name), and a coarse timeline (time, root RSS, the others' RSS).

This is the honest figure for "the build and its child processes together": adding the
root's peak to its largest child's (what `getrusage(RUSAGE_CHILDREN)` gives) over-counts when
they peak at different moments and under-counts when several children run at once.
Linux only (`/proc`). Sampling every `interval` seconds can miss a peak shorter than that.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class MemoryPeaks:
    sum_rss: int = 0  # bytes: the largest sum of RSS over the tree at one sample
    sum_pss: int = 0  # bytes: the largest sum of PSS over the tree at one sample
    at: float = 0.0  # time.time() of the largest RSS sum
    root: int = 0  # the root process's own peak RSS
    others: dict[str, int] = field(default_factory=dict)  # label → the largest RSS of one such process
    at_peak: dict[str, int] = field(default_factory=dict)  # label → RSS summed at the largest RSS sum
    most_at_once: dict[str, int] = field(default_factory=dict)  # label → most such processes alive at once
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (time, root RSS, others' RSS)
    samples: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"sum_rss": self.sum_rss, "sum_pss": self.sum_pss, "at": self.at, "root": self.root,
                "others": self.others, "at_peak": self.at_peak, "most_at_once": self.most_at_once,
                "timeline": self.timeline, "samples": self.samples}


def sample_tree(root: int, interval: float = 0.2) -> tuple[threading.Event, threading.Thread, MemoryPeaks]:
    """Start sampling `root`'s process tree in a thread; set the event to stop, then join the thread."""
    stop = threading.Event()
    peaks = MemoryPeaks()
    thread = threading.Thread(target=_run, args=(root, interval, stop, peaks), daemon=True)
    thread.start()
    return stop, thread, peaks


def _run(root: int, interval: float, stop: threading.Event, peaks: MemoryPeaks) -> None:
    last_timeline = 0.0
    while not stop.is_set():
        tree = _tree(root)
        sizes = {pid: _rss(pid) for pid in tree}
        if sizes.get(root) is None:
            stop.wait(interval)
            continue
        total = sum(v for v in sizes.values() if v)
        labels = {pid: _label(pid) for pid in tree if pid != root}
        now = time.time()
        peaks.samples += 1
        peaks.root = max(peaks.root, sizes[root] or 0)
        counts: dict[str, int] = {}
        for pid, label in labels.items():
            peaks.others[label] = max(peaks.others.get(label, 0), sizes.get(pid) or 0)
            counts[label] = counts.get(label, 0) + 1
        for label, n in counts.items():
            peaks.most_at_once[label] = max(peaks.most_at_once.get(label, 0), n)
        if total > peaks.sum_rss:
            peaks.sum_rss, peaks.at = total, now
            peaks.at_peak = {"build": sizes[root] or 0}
            for pid, label in labels.items():
                peaks.at_peak[label] = peaks.at_peak.get(label, 0) + (sizes.get(pid) or 0)
        if total > peaks.sum_pss * 0.9:  # PSS costs more to read: only near the peak
            peaks.sum_pss = max(peaks.sum_pss, sum(_pss(pid) for pid in tree))
        if now - last_timeline >= 2.0:
            peaks.timeline.append((round(now, 1), sizes[root] or 0, total - (sizes[root] or 0)))
            last_timeline = now
        stop.wait(interval)


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from every process's parent in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return None


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _label(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    if b"schemadocs.mkdocs_parallel" in args:
        return "mkdocs share"
    return os.path.basename(args[0].decode(errors="replace")) if args and args[0] else "other"
