"""The per-file checks of a compile on an existing Dask distributed cluster (``compile --scheduler``).

Files travel in batches (one file per task is 2.5× slower). On the worker a batch goes through the
local pool (:mod:`.pool`) with one child process, so the per-file time limit, the memory cap and "a
crash costs one file" hold there exactly as they do here, and the log records come back with the
outcomes. A batch whose task raises, whose worker is lost for good or whose answer never comes gives
``read-failed`` for each of its files; the compile goes on. Retries are off (a task that raised is
not run again); the scheduler may still move a task off a worker that died before finishing it
(``distributed.scheduler.allowed-failures``), which gives the same outcomes. Before the first task the
zfxxgk version and spec hashes of every worker are compared with this process's; each batch checks
them again on its worker (for workers that join later). Outcomes come out in input order.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .. import __version__
from ..logs import PACKAGE_LOGGER
from ..messages import text
from ..spec import SpecError, load_spec
from ..spec.files import available_specs
from .checking import Checker, Limits, Task, _Capture, failed
from .compile import CompileError
from .store import Outcome

log = logging.getLogger(__name__)
BATCH = 25  # files per task: benchmarks/bench_cluster.py
CONNECT_SECONDS = 10.0  # to reach the scheduler, and to wait for its first worker
Stamp = dict[str, str]


def run(tasks: list[Task], checker: Checker, limits: Limits, batch: int = BATCH) -> Iterator[Outcome]:
    """Every task's outcome, in input order, from the workers of the scheduler at ``limits.scheduler``."""
    if not tasks:
        return
    lang = tasks[0][4]
    address = limits.scheduler or ""
    client = connect(address, lang)
    try:
        expected = refuse_mismatch(client, tasks, lang)
        yield from _stream(client, tasks, checker, limits, batch, expected)
    finally:
        client.close()


def connect(address: str, lang: str) -> Any:
    """A client of the scheduler at ``address`` with at least one worker, or a :class:`CompileError`."""
    try:
        distributed = _distributed()
    except ImportError as exc:
        raise CompileError(text("county.cluster-not-installed", lang)) from exc
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise CompileError(text("county.scheduler-unreachable", lang, address=address, error=exc)) from exc
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise CompileError(text("county.cluster-no-workers", lang, address=address)) from exc
    log.info("checking on the Dask cluster at %s (%d workers)", address, len(client.nthreads()))
    return client


def _distributed() -> Any:
    """``dask.distributed`` (the ``cluster`` extra), imported when a scheduler is named; it has no type hints."""
    return importlib.import_module("distributed")


def stamp(refs: tuple[str, ...]) -> Stamp:
    """What must be the same here and on every worker: the zfxxgk version and the hash of each spec."""
    found = {"zfxxgk": __version__}
    for ref in sorted({*available_specs(), *refs}):
        try:
            found[f"spec {ref}"] = load_spec(ref).hash
        except SpecError as exc:
            found[f"spec {ref}"] = f"unloadable: {exc}"[:120]
    return found


@lru_cache(maxsize=8)
def worker_stamp(refs: tuple[str, ...]) -> Stamp:
    """:func:`stamp`, worked out once per worker process."""
    return stamp(refs)


def refuse_mismatch(client: Any, tasks: list[Task], lang: str) -> Stamp:
    """This process's stamp, after making sure each worker has the same (a :class:`CompileError` if not)."""
    refs = _refs(tasks)
    expected = stamp(refs)
    try:
        stamps: dict[str, Stamp] = client.run(worker_stamp, refs)
    except Exception as exc:  # zfxxgk missing or broken on a worker: its unpickling fails there
        raise CompileError(text("county.cluster-cannot-run", lang, error=f"{type(exc).__name__}: {exc}"[:300])) from exc
    for worker, got in sorted(stamps.items()):
        if got != expected:
            raise CompileError(text("county.cluster-mismatch", lang, worker=worker, detail=_differences(got, expected)))
    return expected


def _differences(got: Stamp, expected: Stamp) -> str:
    """Each item that differs: the worker's value, then this process's."""
    differs = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    return "; ".join(f"{k}: {got.get(k, '-')} ≠ {expected.get(k, '-')}" for k in differs)


def _refs(tasks: list[Task]) -> tuple[str, ...]:
    return tuple(sorted({t[3] for t in tasks if t[3]}))


def check_batch(batch: list[Task], checker: Checker, limits: Limits, level: int, expected: Stamp) -> list[Outcome]:
    """Run on a worker: the batch's outcomes from one child process, with the records logged meanwhile."""
    from .pool import run as pool_run

    found = worker_stamp(_refs(batch))
    if found != expected:  # a worker that joined after the check at the start
        worker = _distributed().get_worker().address
        raise RuntimeError(
            text("county.cluster-mismatch", batch[0][4], worker=worker, detail=_differences(found, expected))
        )
    # A Dask nanny starts its worker as a daemonic process, which multiprocessing forbids children.
    # The pool's children end by themselves when their pipe closes, so that guard is not needed here.
    # They are forked (Dask makes spawn the default: a spawned child would import zfxxgk for each batch).
    multiprocessing.current_process().daemon = False
    capture = _ThreadCapture()
    logger = logging.getLogger(PACKAGE_LOGGER)
    logger.addHandler(capture)
    logger.setLevel(level)
    try:
        outcomes = []
        for outcome in pool_run(batch, 1, checker, replace(limits, scheduler=None), "fork"):
            outcome.log = capture.drain() + outcome.log
            outcomes.append(outcome)
        return outcomes
    finally:
        logger.removeHandler(capture)


class _ThreadCapture(_Capture):
    """The records of this thread only (a worker may run several batches at once, one per thread)."""

    def __init__(self) -> None:
        super().__init__()
        ident = threading.get_ident()
        self.addFilter(lambda record: record.thread == ident)


def _stream(
    client: Any, tasks: list[Task], checker: Checker, limits: Limits, size: int, expected: Stamp
) -> Iterator[Outcome]:
    """Batches handed out a few per worker thread at a time; outcomes yielded as the oldest arrive."""
    threads = sum(client.nthreads().values())
    size = max(1, min(size, -(-len(tasks) // (2 * threads))))  # a small compile still spreads over the workers
    todo = deque(tasks[i : i + size] for i in range(0, len(tasks), size))
    ahead = max(4, 2 * threads)
    stall = size * (limits.timeout + 5) + 60  # no batch finishing in this long: the cluster is stuck
    level = logging.getLogger(PACKAGE_LOGGER).getEffectiveLevel()
    executor = client.get_executor(retries=0, pure=False)
    pending: dict[Future[list[Outcome]], list[Task]] = {}
    done: dict[int, Outcome] = {}
    next_index, end = tasks[0][1], tasks[0][1] + len(tasks)
    while next_index < end:
        while todo and len(pending) < ahead:
            batch = todo.popleft()
            try:
                pending[executor.submit(check_batch, batch, checker, limits, level, expected)] = batch
            except Exception as exc:  # the client lost its scheduler for good
                done.update(_failed_batch(batch, exc))
        finished = wait(pending, timeout=stall, return_when=FIRST_COMPLETED).done if pending else set()
        if pending and not finished:
            for future, batch in pending.items():
                future.cancel()
                done.update(_failed_batch(batch, stalled=stall))
            pending.clear()
        for future in finished:
            done.update(_collect(future, pending.pop(future)))
        while next_index in done:
            yield done.pop(next_index)
            next_index += 1


def _collect(future: Future[list[Outcome]], batch: list[Task]) -> dict[int, Outcome]:
    """The batch's outcomes by index; ``read-failed`` for each file whose outcome did not come back."""
    try:
        got = {o.index: o for o in future.result()}
    except BaseException as exc:  # the task raised, its worker was lost, it was cancelled
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return _failed_batch(batch, exc)
    missing = [t for t in batch if t[1] not in got]
    return {**got, **_failed_batch(missing, RuntimeError("no outcome"))} if missing else got


def _failed_batch(batch: list[Task], exc: BaseException | None = None, stalled: float = 0) -> dict[int, Outcome]:
    if not batch:
        return {}
    lang = batch[0][4]
    if exc is None:
        detail = text("county.cluster-stalled", lang, seconds=f"{stalled:g}")
    else:
        detail = text("county.cluster-task-failed", lang, error=_describe(exc))
    log.error("a batch of %d files from %s failed on the cluster: %s", len(batch), batch[0][0].name, detail)
    return {t[1]: failed(t, detail) for t in batch}


def _describe(exc: BaseException) -> str:
    """The error and what caused it, a line each at most (a worker's unpickling error names the missing module)."""
    parts: list[str] = []
    cause: BaseException | None = exc
    while cause is not None and len(parts) < 3:
        first = (str(cause).splitlines() or [""])[0]
        parts.append(f"{type(cause).__name__}: {first}"[:160])
        cause = cause.__cause__ or cause.__context__
    return " ← ".join(parts)
