"""Worker processes that can die, hang or run out of memory without taking the batch with them.

Each worker takes a small batch of files and answers one outcome per file as it finishes, so the
parent always knows which file a worker is on. A worker that exits (a crash in a native library,
``os._exit``, the kernel's OOM killer) or passes the per-file time limit is replaced; its current
file becomes ``read-failed`` with the reason, the rest of its batch goes back to the queue. On Linux
a worker's address space is capped (``RLIMIT_AS``), so a file that needs too much memory raises
``MemoryError`` in that worker only. Outcomes come out in input order whatever the timing. A worker
is replaced after :data:`RECYCLE` files, so what a check keeps in per-process caches cannot grow with
the number of files (memory stays flat at province scale).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from ..logs import PACKAGE_LOGGER
from ..messages import text
from .checking import Checker, Limits, Task, failed, guarded, worker_init
from .store import Outcome

log = logging.getLogger(__name__)
RECYCLE = 400  # files a worker checks before it is replaced by a fresh one


def _cap_memory(extra: int | None) -> None:
    """Cap this process's address space at its present size plus ``extra`` bytes (Linux only)."""
    if extra is None or sys.platform != "linux":
        return
    import resource

    with open("/proc/self/statm", encoding="ascii") as fh:
        present = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = present + extra if hard == resource.RLIM_INFINITY else min(present + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, checker: Checker, level: int, memory: int | None) -> None:
    """A worker's life: batches in, one outcome out per file, until told to stop."""
    worker_init(level)
    _cap_memory(memory)
    while True:
        try:
            batch = conn.recv()
        except EOFError:
            return
        if batch is None:
            return
        for task in batch:
            conn.send(guarded(checker, task))


class _Worker:
    def __init__(self, checker: Checker, level: int, memory: int | None, method: str | None = None) -> None:
        ctx: Any = multiprocessing.get_context(method)
        self.method = method
        self.conn, child = ctx.Pipe()
        self.proc: Any = ctx.Process(target=_serve, args=(child, checker, level, memory), daemon=True)
        self.proc.start()
        child.close()
        self.batch: deque[Task] = deque()
        self.since = time.monotonic()  # when the current file was started
        self.given = 0  # files handed to it so far

    def give(self, batch: list[Task]) -> None:
        self.given += len(batch)
        self.batch.extend(batch)
        self.since = time.monotonic()
        self.conn.send(batch)

    def answers(self) -> tuple[list[Outcome], bool]:
        """The outcomes waiting in the pipe, and whether the worker is gone with files unanswered."""
        got: list[Outcome] = []
        if self._drain(got):
            return got, True
        if self.batch and not self.proc.is_alive():
            self._drain(got)  # what it sent just before it died
            return got, bool(self.batch)
        return got, False

    def _drain(self, got: list[Outcome]) -> bool:
        try:
            while self.batch and self.conn.poll():
                got.append(self.conn.recv())
                self.batch.popleft()
                self.since = time.monotonic()
        except Exception:  # EOF, a message cut off by the worker's death
            return True
        return False

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class _Queue:
    """The tasks not yet handed out: those handed back (a dead worker's rest) first, then the next ones in order.

    Tasks are taken from ``tasks`` only as they are handed out (a province's are not all made at once).
    """

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.tasks, self.next, self.back = tasks, 0, deque[Task]()

    def __len__(self) -> int:
        return len(self.back) + len(self.tasks) - self.next

    def first(self) -> Task:
        return self.back[0] if self.back else self.tasks[self.next]

    def popleft(self) -> Task:
        if self.back:
            return self.back.popleft()
        self.next += 1
        return self.tasks[self.next - 1]

    def extendleft(self, tasks: Iterable[Task]) -> None:
        self.back.extendleft(tasks)


def run(
    tasks: Sequence[Task], jobs: int, checker: Checker, limits: Limits, method: str | None = None
) -> Iterator[Outcome]:
    """Every task's outcome, in input order, from ``jobs`` worker processes (started by ``method``, e.g. fork)."""
    if not tasks:
        return
    level = logging.getLogger(PACKAGE_LOGGER).getEffectiveLevel()
    queue = _Queue(tasks)
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    window = max(64, jobs * chunk * 4)  # how far ahead of the oldest unfinished file work is handed out
    workers = [_Worker(checker, level, limits.memory, method) for _ in range(min(jobs, len(tasks)))]
    done: dict[int, Outcome] = {}
    first = tasks[0][1]
    next_index = first
    try:
        while next_index < first + len(tasks):
            for n, w in enumerate(workers):
                if not w.batch and queue and w.given >= RECYCLE:
                    w.stop()
                    workers[n] = w = _Worker(checker, level, limits.memory, w.method)
                if not w.batch and queue and queue.first()[1] < next_index + window:
                    w.give([queue.popleft() for _ in range(min(chunk, len(queue)))])
            busy = [w for w in workers if w.batch]
            wait([x for w in busy for x in (w.conn, w.proc.sentinel)], timeout=_wait_for(busy, limits))
            for n, w in enumerate(workers):
                got, gone = w.answers()
                done.update((o.index, o) for o in got)
                late = bool(w.batch) and time.monotonic() - w.since > limits.timeout
                if gone or late:
                    workers[n] = _replace(w, gone, limits, done, queue, checker, level)
            while next_index in done:
                yield done.pop(next_index)
                next_index += 1
    finally:
        for w in workers:
            w.stop()


def _wait_for(busy: list[_Worker], limits: Limits) -> float:
    now = time.monotonic()
    return max(0.01, min((w.since + limits.timeout - now for w in busy), default=1.0))


def _replace(
    w: _Worker, gone: bool, limits: Limits, done: dict[int, Outcome], queue: _Queue, checker: Checker, level: int
) -> _Worker:
    """The worker's current file failed (it died or took too long); the rest of its batch goes back."""
    task = w.batch.popleft()
    w.stop(kill=True)
    if gone:
        detail = text("county.worker-died", task[4], code=w.proc.exitcode)
        log.error("the worker checking %s exited (code %s)", task[0].name, w.proc.exitcode)
    else:
        detail = text("county.worker-timeout", task[4], seconds=f"{limits.timeout:g}")
        log.error("checking %s took longer than %gs; its worker was stopped", task[0].name, limits.timeout)
    done[task[1]] = failed(task, detail)
    queue.extendleft(reversed(w.batch))
    return _Worker(checker, level, limits.memory, w.method)
