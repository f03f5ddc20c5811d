"""Every source of a compile checked (in worker processes) into the store, log records included.

A worker's log records (an unexpected exception's traceback among them) travel back with its
outcome and are handled again in the parent, so they reach the parent's log file and ``--verbose``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..check.file import check_file
from ..findings import counts, make
from ..logs import PACKAGE_LOGGER
from ..messages import text
from ..read.sources import Source, expand, is_system_file
from ..spec import TEXT_TABLE
from .cache import Cache
from .lazy import Lazy
from .store import Outcome, Store
from .versions import saved_stamp

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
Task = tuple[Source, int, int | None, str | None, str]
Checker = Callable[[Task], Outcome]


DEFAULT_TIMEOUT = 60.0  # seconds per file
DEFAULT_MEMORY = 2 << 30  # bytes of address space per worker, beyond its own at start


@dataclass(frozen=True)
class Limits:
    """What one file may cost its worker: seconds, and bytes of address space beyond the worker's own.

    ``scheduler`` (``tcp://host:port``) runs the checks on that Dask cluster's workers instead of here.
    """

    timeout: float = DEFAULT_TIMEOUT
    memory: int | None = DEFAULT_MEMORY
    scheduler: str | None = None


class _Capture(logging.Handler):
    """A worker's log records, made picklable (message and traceback formatted, as QueueHandler does)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.args, record.exc_info = None, None
        self.records.append(record)

    def drain(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


_capture: _Capture | None = None  # set in worker processes only


def worker_init(level: int = logging.DEBUG) -> None:
    """Run in each worker process: the package's records are kept for the parent instead of printed."""
    global _capture
    _capture = _Capture()
    logger = logging.getLogger(PACKAGE_LOGGER)
    logger.handlers = [_capture]
    logger.setLevel(level)
    logger.propagate = False


def check_source(task: Task) -> Outcome:
    """Check one source (in a worker process or in this one); never raises."""
    return guarded(check_one, task)


def check_one(task: Task) -> Outcome:
    """The real check of one source (what workers run unless told otherwise); may raise."""
    return _check_source(*task)


def guarded(checker: Callable[[Task], Outcome], task: Task) -> Outcome:
    """``checker(task)``, with any exception turned into a ``read-failed`` outcome (the batch goes on)."""
    try:
        outcome = checker(task)
    except MemoryError:
        log.error("checking %s ran out of memory", task[0].name)
        outcome = failed(task, text("county.worker-memory", task[4]))
    except Exception as exc:  # the file is listed with what went wrong
        log.exception("checking %s failed", task[0].name)
        outcome = failed(task, f"{type(exc).__name__}: {exc}"[:200])
    if _capture is not None:
        outcome.log = _capture.drain()
    return outcome


def failed(task: Task, detail: str) -> Outcome:
    """The outcome of a file whose check did not finish: ``read-failed``, saying why."""
    source, index, lang = task[0], task[1], task[4]
    outcome = Outcome(index=index, name=source.name, file_name=source.file_name, errors=1)
    outcome.findings = [make("read-failed", lang, detail=detail).located(source.name)]
    return outcome


def replay(outcome: Outcome) -> None:
    """Hand a worker's log records to this process's loggers (its log file, the console with --verbose)."""
    for record in outcome.log:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)
    outcome.log = []


def _check_source(source: Source, index: int, year: int | None, spec_ref: str | None, lang: str) -> Outcome:
    o = Outcome(index=index, name=source.name, file_name=source.file_name, modified=source.modified)
    if source.problem:
        o.kind = "archive"
        o.findings = [make("file-corrupt", lang, detail=source.problem).located(source.name)]
        o.errors = 1
        return o
    try:
        data = source.read()
    except (OSError, KeyError, ValueError, EOFError) as exc:
        log.debug("cannot read %s", source.name, exc_info=True)
        o.findings = [make("file-unreadable", lang, detail=str(exc)).located(source.name)]
        o.errors = 1
        return o
    result = check_file(source.name, year=year, spec=spec_ref, lang=lang, data=data)
    findings = list(result.findings)
    if is_system_file(source.name):
        findings.insert(0, make("file-system", lang).located(source.name))
    c = counts(findings)
    o.sha256, o.kind, o.status = result.intake.sha256, result.intake.kind, result.status
    o.errors, o.warnings, o.infos = c["error"], c["warning"], c["info"]
    o.findings = findings
    ret = result.ret
    if ret is not None:
        o.source = ret.source
        o.spec_id = result.spec.id if result.spec else ""
        o.year = ret.year  # the year the file states: never the compile's year assumed (year-unread says so)
        o.agency = ret.agency
        o.meta_agency = ret.meta.get("agency", "")
        o.meta_code = ret.meta.get("agency_code", "")
        o.application = ret.application
        o.saved, o.revision = saved_stamp(getattr(ret.package, "zip", None))
        o.tables = {t: part.spec.id for part in ret.parts for t in part.tables}
        if ret.source == "template":
            o.tables[TEXT_TABLE] = o.spec_id
        o.values = {k: v for k, v in result.values.items() if not isinstance(v, str)}
        if ret.source != "template":  # a template's places are its spec's plan
            o.places = {k: f"{c.sheet}!{c.a1}" for k, c in ret.cells.items()}
    return o


def release_memory() -> None:
    """Free garbage now and hand freed heap pages back to the system (glibc), before workers are forked."""
    gc.collect()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


class Sources(Lazy[Source]):
    """The sources of a compile, compact: a plain file's name as UTF-8 in one buffer, its folder once (a province
    has 200,000 files).

    No Python object per file stays in the parent, whose memory every worker forked later maps too.
    """

    def __init__(self, sources: Iterable[Source]) -> None:
        self._blob = bytearray()  # each path's file name (what follows its last "/" or "\\")
        self._ends = array("q")  # where each source's name ends in _blob
        self._folder = array("l")  # each source's folder (the rest of its path), an index into _folders
        self._folders: list[str] = []
        folders: dict[str, int] = {}
        self._other: dict[int, Source] = {}  # the sources that are more than a path (an archive's entry)
        for n, s in enumerate(sources):
            if s.entry is None and s.problem is None and s.name == s.path:
                cut = max(s.path.rfind("/"), s.path.rfind("\\")) + 1
                folder = folders.setdefault(s.path[:cut], len(folders))
                if folder == len(self._folders):
                    self._folders.append(s.path[:cut])
                self._folder.append(folder)
                self._blob += s.path[cut:].encode("utf-8", "surrogatepass")
            else:
                self._other[n] = s
                self._folder.append(-1)
            self._ends.append(len(self._blob))

    def __len__(self) -> int:
        return len(self._ends)

    def _item(self, k: int) -> Source:
        other = self._other.get(k)
        if other is not None:
            return other
        name = self._blob[self._ends[k - 1] if k else 0 : self._ends[k]].decode("utf-8", "surrogatepass")
        path = self._folders[self._folder[k]] + name
        return Source(path, path)


class Tasks(Lazy[Task]):
    """The tasks of a compile, made when asked for, numbered 0.. (``which``: the sources to check, else all)."""

    def __init__(
        self, sources: Sources, year: int | None, spec_ref: str | None, lang: str, which: array[int] | None = None
    ) -> None:
        self.sources, self.which, self.rest = sources, which, (year, spec_ref, lang)

    def __len__(self) -> int:
        return len(self.sources) if self.which is None else len(self.which)

    def _item(self, k: int) -> Task:
        source = self.sources[k if self.which is None else self.which[k]]
        return (source, k, *self.rest)


class Keys:
    """The sources' cache keys (SHA-256, hex), 32 bytes each in one buffer; ``None`` for a source not cached."""

    def __init__(self, keys: Iterable[str | None] = ()) -> None:
        self._blob = bytearray()
        self._none = bytearray()
        for k in keys:
            self._none.append(k is None)
            self._blob += bytes(32) if k is None else bytes.fromhex(k)

    def __len__(self) -> int:
        return len(self._none)

    def __getitem__(self, n: int) -> str | None:
        return None if self._none[n] else self._blob[32 * n : 32 * n + 32].hex()

    def __iter__(self) -> Iterator[str | None]:
        return (self[n] for n in range(len(self)))


def _outcomes(
    tasks: Sequence[Task], jobs: int, checker: Checker | None = None, limits: Limits | None = None
) -> Iterator[Outcome]:
    from .pool import run  # the pool imports this module

    limits = limits or Limits()
    if limits.scheduler:
        from . import cluster

        yield from cluster.run(list(tasks), checker or check_one, limits)
        return
    yield from run(tasks, max(1, jobs), checker or check_one, limits)


def check_all(
    inputs: Iterable[Path | str],
    year: int | None,
    spec_ref: str | None,
    lang: str,
    jobs: int,
    store: Store,
    progress: Progress | None = None,
    each: Callable[[Outcome], None] | None = None,
    skip: Iterable[Path] = (),
    checker: Checker | None = None,
    limits: Limits | None = None,
    cache: Path | None = None,
) -> int:
    """Check every source into the store, in input order; returns the number of sources.

    ``each`` sees every outcome as it arrives (the running sums are kept from it while checking goes on).
    Files are checked in worker processes (``jobs`` of them, at least one) within ``limits``; ``checker``
    replaces the per-file check (a top-level function; tests give one that crashes or hangs). With a
    ``cache`` file, a source checked before (same bytes, name, specs and tool version) is not checked again.
    """
    sources = Sources(expand(list(inputs), skip))
    release_memory()  # listing 200,000 files leaves garbage (cycles) that the forked workers would map too
    known = Cache(cache, spec_ref, year, lang)
    try:
        keys = Keys(known.key(s) for s in sources) if known.db is not None else Keys()
        arrived = _arrivals(sources, keys, known, year, spec_ref, lang, jobs, checker, limits)
        for done, outcome in enumerate(arrived, start=1):
            replay(outcome)
            store.add(outcome)
            if each:
                each(outcome)
            if progress:
                progress(done, len(sources))
    finally:
        known.close()
    store.commit()
    log.info("checked %d files (%d from the cache) with %d processes", len(sources), known.hits, jobs)
    return len(sources)


def _arrivals(
    sources: Sources,
    keys: Keys,
    known: Cache,
    year: int | None,
    spec_ref: str | None,
    lang: str,
    jobs: int,
    checker: Checker | None,
    limits: Limits | None,
) -> Iterator[Outcome]:
    """Every source's outcome in input order: from the cache when it has it, else checked (and then cached)."""
    if not keys:
        yield from _outcomes(Tasks(sources, year, spec_ref, lang), jobs, checker, limits)
        return
    hit = bytearray(known.has(k) for k in keys)
    todo = array("q", (n for n in range(len(sources)) if not hit[n]))
    # The checked ones are numbered 0.. among themselves (the pool wants consecutive numbers), then placed.
    checked = _outcomes(Tasks(sources, year, spec_ref, lang, todo), jobs, checker, limits)
    for n in range(len(sources)):
        source = sources[n]
        outcome = known.get(keys[n], source, n) if hit[n] else None
        if outcome is None and hit[n]:  # a damaged entry: checked now, in a worker like any other file
            (outcome,) = _outcomes([(source, 0, year, spec_ref, lang)], 1, checker, limits)
            outcome.index = n
        if outcome is None:
            outcome = next(checked)
            outcome.index = n
            known.put(keys[n], outcome)
        yield outcome
