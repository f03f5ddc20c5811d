"""Checking one returned file: intake -> read -> the registered checks (:mod:`.registry`) -> findings.

:func:`check_file` never raises for a bad file and never writes to it; every problem becomes a
:class:`~zfxxgk.findings.Finding`. The library returns a :class:`~.result.CheckResult`; the CLI prints it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ..findings import Finding, make, sort_key
from ..normalize import with_agency
from ..read.intake import take
from ..read.package import Package, PackageError
from ..read.values import Number
from ..read.workbook import read_workbook
from . import registry
from .inputs import numbers
from .result import CheckResult

log = logging.getLogger(__name__)


def check_file(
    path: str | Path,
    *,
    year: int | None = None,
    spec: str | None = None,
    previous: str | Path | None = None,
    lang: str = "zh",
    data: bytes | None = None,
) -> CheckResult:
    """Check one file (or ``data`` that came from an archive, named ``path``)."""
    intake = take(path, lang, data=data)
    result = CheckResult(str(path), intake)
    found: list[Finding] = []
    if intake.finding is not None:
        found.append(intake.finding)
    if intake.data is not None:
        try:
            pkg = Package(intake.data)
            ret = read_workbook(pkg, spec, lang)
            ret.findings += pkg.notes(lang)  # content left out because it lies far outside any table
            prev = _previous_numbers(previous, lang, found) if previous else None
            ctx = registry.Context(ret, lang, year, prev)
            checked = ret.findings + registry.run(ctx)
        except PackageError as exc:
            found.append(make(exc.code, lang, detail=exc.detail))
        except Exception as exc:  # a file no rule foresaw: tell the user, keep the batch going
            log.exception("reading %s failed", path)
            found.append(make("read-failed", lang, detail=f"{type(exc).__name__}: {exc}"[:200]))
        else:
            result.ret, result.values, result.year = ret, ctx.values, ctx.year if ret.parts else None
            found += checked
    result.findings = sorted((_named(f, result.agency, lang).located(result.path) for f in found), key=sort_key)
    return result


def _named(f: Finding, agency: str, lang: str) -> Finding:
    """Labels that name the agency (a local table's column "{agency}") say its name."""
    if "{agency}" not in f.row_label + f.column_label:
        return f
    return replace(
        f, row_label=with_agency(f.row_label, agency, lang), column_label=with_agency(f.column_label, agency, lang)
    )


def _previous_numbers(path: str | Path, lang: str, found: list[Finding]) -> dict[str, Number | None] | None:
    """Last year's numbers, or None (with a previous-unreadable finding) when its file cannot be used."""
    prev = check_file(path, lang=lang)
    if not prev.readable or not prev.values:
        why = next((f.message for f in prev.findings if f.severity == "error"), str(path))
        found.append(make("previous-unreadable", lang, detail=why))
        return None
    return numbers(prev.values)
