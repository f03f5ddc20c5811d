"""Many published files at once: folders and zip archives expanded as ``compile`` does, audited in parallel.

Every input is accounted for: a file that cannot be opened (a damaged archive) still gets a result,
an unreadable one with a finding saying why.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..check.result import CheckResult
from ..findings import make
from ..read.intake import Intake
from ..read.sources import Source, expand, is_system_file
from .file import audit_file

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)
Task = tuple[Source, int | None, str | None, str]


def _audit(task: Task) -> CheckResult:
    source, year, spec, lang = task
    if source.problem:
        finding = make("audit-unsupported", lang, detail=source.problem).located(source.name)
        return CheckResult(source.name, Intake(source.name, "zip"), findings=[finding])
    try:
        data = source.read()
    except (OSError, KeyError, ValueError) as exc:
        finding = make("read-failed", lang, detail=f"{type(exc).__name__}: {exc}"[:200]).located(source.name)
        return CheckResult(source.name, Intake(source.name, "unknown"), findings=[finding])
    return audit_file(source.name, year=year, spec=spec, lang=lang, data=data)


def audit_files(
    inputs: Iterable[str | Path],
    *,
    year: int | None = None,
    spec: str | None = None,
    lang: str = "zh",
    jobs: int | None = None,
    progress: Progress | None = None,
    skip: Iterable[Path] = (),
) -> list[CheckResult]:
    """Audit every file under the inputs (in input order); ``jobs`` worker processes (default: CPU count)."""
    sources = [s for s in expand([Path(p) for p in inputs], skip) if not is_system_file(s.name)]
    tasks: list[Task] = [(s, year, spec, lang) for s in sources]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    results: list[CheckResult] = []
    if workers == 1:
        for task in tasks:
            results.append(_audit(task))
            if progress:
                progress(len(results), len(tasks))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_audit, tasks):
            results.append(result)
            if progress:
                progress(len(results), len(tasks))
    return results
