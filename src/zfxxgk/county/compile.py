"""``compile`` as one library call: check a county's returns and write 汇总.xlsx, the report, the CSV and a log.

This is the call the command line and any other front end (a web intake server) use::

    result = compile_county([Path("returns")], Path("roster.csv"), 2025, Path("out/汇总.xlsx"))
    result.tally        # {"ok": 9, "warnings": 2, …}
    result.written      # [out/汇总.xlsx, …]; the log is result.log_path
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..logs import PACKAGE_LOGGER
from ..messages import text
from ..read.sources import is_url, url_exists
from ..report import FORMATS as REPORT_FORMATS
from ..report import write_report
from ..spec import load_spec
from .checking import DEFAULT_MEMORY, DEFAULT_TIMEOUT, Checker, Limits
from .decisions import Decisions
from .gather import gather
from .longtable import write_csv
from .model import STATUS_KEYS, County
from .report import county_document
from .workbook import DETAIL_LIMIT, FINDINGS_LIMIT, SummaryWorkbook

log = logging.getLogger(__name__)
# progress(stage, done, total): stage "check" while files are checked (total None until known), then "write".
Progress = Callable[[str, int, int | None], None]
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
RESULTS_SUFFIX = "-results"  # 汇总.xlsx -> 汇总-results/, when 明细 is too long for the workbook
CACHE_SUFFIX = ".cache.sqlite"  # the command line's cache beside the output: 汇总.xlsx -> .汇总.cache.sqlite


class CompileError(ValueError):
    """The compile cannot start (an output name or an input is wrong); the message is for the user."""


@dataclass
class CompileResult:
    """What a compile did: the county (its store already closed), what it counted and what it wrote."""

    county: County
    written: list[Path] = field(default_factory=list)
    log_path: Path | None = None

    @property
    def tally(self) -> dict[str, int]:
        """Rows of 报送情况 by status, in the order of :data:`STATUS_KEYS` (absent statuses left out)."""
        counted = self.county.rows.tally
        return {k: counted[k] for k in STATUS_KEYS if k in counted}

    @property
    def sources(self) -> int:
        return self.county.sources

    @property
    def failing_checks(self) -> int:
        """Identities that fail on the county totals (listed first on 问题清单)."""
        return len(self.county.checks)


def compile_county(
    inputs: Sequence[Path | str],
    roster: Path,
    year: int,
    out: Path,
    *,
    report: Path | None = None,
    csv: Path | None = None,
    previous: Path | None = None,
    jobs: int | None = None,
    name: str = "",
    spec: str | None = None,
    lang: str = "zh",
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    checker: Checker | None = None,
    scheduler: str | None = None,
    decisions: Decisions | None = None,
    results: Path | None = None,
    cache: Path | None = None,
) -> CompileResult:
    """Check every return in ``inputs`` against ``roster`` and write ``out`` (汇总.xlsx) and its log.

    ``report`` (.docx/.html/.md) and ``csv`` are written too when given. Raises :class:`CompileError`
    for a wrong output name or a missing input, :class:`~zfxxgk.roster.RosterError` for a bad roster
    and :class:`~zfxxgk.spec.SpecError` for a bad spec, before anything is written.

    Each file is checked in a worker process given ``timeout`` seconds and ``memory`` bytes of
    address space (Linux; ``None``: no cap); a file that crashes its worker, hangs or runs out of
    memory is listed as ``read-failed`` and the compile goes on. ``checker`` replaces the per-file
    check (a top-level function taking a task; tests use it to crash, hang or exhaust a worker).
    An input given as a string with ``://`` is an fsspec URL. ``scheduler`` (``tcp://host:port``) runs
    the checks on that Dask cluster's workers (same limits per file; :mod:`.cluster`).
    ``decisions`` (the county's reviews, :mod:`zfxxgk.county.decisions`) add review columns to 报送情况
    and the explanations with their verdicts to 问题清单.

    ``results`` is a folder for the columnar results (Parquet; :func:`~zfxxgk.county.read_results` reads
    it); past :data:`~zfxxgk.county.workbook.DETAIL_LIMIT` returns it is written anyway (beside ``out``
    when not given) and 明细 points to it. ``cache`` is a compile cache file (:mod:`zfxxgk.county.cache`):
    a file checked before with the same bytes, name, specs and tool version is not checked again.
    """
    inputs = [p if is_url(p) else Path(p) for p in inputs]
    _refuse_bad_paths(inputs, out, report, lang)
    county_spec = load_spec(spec)
    log_path = out.with_suffix(".log")
    outputs = [p for p in (out, report, csv, log_path, results, cache) if p]
    with _log_to(log_path), tempfile.TemporaryDirectory(prefix="zfxxgk-compile-") as tmp:
        log.info("compile %s for %d with %s into %s", ", ".join(map(str, inputs)), year, spec, out)
        with SummaryWorkbook(out, county_spec, year, name, lang) as book:
            county = gather(
                list(inputs),
                roster,
                year,
                spec_ref=county_spec.id if spec is None else spec,
                previous=previous,
                jobs=jobs,
                lang=lang,
                name=name,
                workdir=Path(tmp),
                skip=[*outputs, default_results(out)],
                progress=(lambda done, total: progress("check", done, total)) if progress else None,
                checker=checker,
                limits=Limits(timeout, memory, scheduler),
                cache=cache,
            )
            county.decisions = decisions
            try:
                written = _write(county, book, out, report, csv, results, progress)
            finally:
                county.store.close()
        log.info("wrote %s", ", ".join(map(str, written)))
    return CompileResult(county, written, log_path)


def default_results(out: Path) -> Path:
    """Where the results folder goes when 明细 is too long and ``results`` was not given: beside ``out``."""
    return out.with_name(f"{out.stem}{RESULTS_SUFFIX}")


def _write(
    county: County, book: SummaryWorkbook, out: Path, report: Path | None, csv: Path | None, results: Path | None,
    progress: Progress | None,
) -> list[Path]:  # fmt: skip
    if progress:
        progress("write", county.sources, county.sources)
    n_detail = county.detail_count()
    if results is None and (n_detail > DETAIL_LIMIT or county.finding_count() > FINDINGS_LIMIT):
        results = default_results(out)
        log.info("%d returns, %d findings: more than the detail sheet (%d) or the findings sheet (%d) holds; "
                 "the figures and findings go to %s", n_detail, county.finding_count(), DETAIL_LIMIT, FINDINGS_LIMIT,
                 results)  # fmt: skip
    timer = _Timer()
    if results:
        from .export import write_results  # pyarrow: loaded only now, not into the workers forked before

        write_results(county, results)
        timer.lap("results")
    book.finish(county, county.detail(), n_detail, results)
    timer.lap("workbook")
    written = [out]
    if report:
        write_report(county_document(county), report)
        written.append(report)
        timer.lap("report")
    if csv:
        write_csv(county, csv)
        written.append(csv)
        timer.lap("csv")
    if results:
        written.append(results)
    timer.done()
    return written


class _Timer:
    """Where the writing time goes, and the CPU time of this process and of its workers, for the log."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[str] = []

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        self.laps.append(f"{what} {now - self.last:.2f} s")
        self.last = now

    def done(self) -> None:
        log.info("time: writing %s", ", ".join(self.laps))
        if sys.platform != "win32":
            import resource

            me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            log.info(
                "cpu: this process %.2f s, its workers %.2f s",
                me.ru_utime + me.ru_stime,
                workers.ru_utime + workers.ru_stime,
            )


def _refuse_bad_paths(inputs: list[Path | str], out: Path, report: Path | None, lang: str) -> None:
    if out.suffix.lower() != ".xlsx":
        raise CompileError(text("county.out-not-xlsx", lang))
    if report and report.suffix.lower() not in REPORT_FORMATS:
        raise CompileError(text("county.report-format", lang, formats=" ".join(REPORT_FORMATS)))
    missing = [str(p) for p in inputs if not (url_exists(p) if isinstance(p, str) else p.exists())]
    if missing:
        raise CompileError(text("county.inputs-missing", lang, paths=text("common.list-separator", lang).join(missing)))


@contextmanager
def _log_to(path: Path) -> Iterator[None]:
    """Append the package's records (info and up, tracebacks included) to ``path`` while compiling.

    Info, not debug: a compile of ten thousand files keeps its log short; ``--verbose`` shows debug on stderr.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="a", encoding="utf-8", delay=True)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger(PACKAGE_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    if level == logging.NOTSET or level > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    except Exception:
        log.exception("compile failed")
        raise
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()
