"""Checking one returned file: intake -> read -> the registered checks (:mod:`.registry`) -> findings.

:func:`check_file` never raises for a bad file and never writes to it; every problem becomes a
:class:`~zfxxgk.findings.Finding`. The library returns a :class:`~.result.CheckResult`; the CLI prints it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..findings import Finding, make, sort_key
from ..normalize import with_agency
from ..read.intake import take
from ..read.package import Package, PackageError
from ..read.workbook import read_workbook
from . import registry
from .previous import Paths, Prior, load_priors, pair
from .result import CheckResult

log = logging.getLogger(__name__)


def check_file(
    path: str | Path,
    *,
    year: int | None = None,
    spec: str | None = None,
    previous: Paths | None = None,
    lang: str = "zh",
    data: bytes | None = None,
    priors: Sequence[Prior] | None = None,
    single: bool = True,
) -> CheckResult:
    """Check one file (or ``data`` that came from an archive, named ``path``).

    ``previous`` (files, folders or archives of last year's returns) or ``priors`` (already loaded by
    :func:`~.previous.load_priors`, for a batch) give the cross-year checks; the return is paired with
    its own agency's return of the year before, or the rules on last year are skipped with a finding.
    ``single``: this is the only return checked, so a single previous file is its pair, verified.
    """
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
            ctx = registry.Context(ret, lang, year)
            if priors is None and previous:
                priors = load_priors(previous, lang)
            if priors is not None and ret.parts:
                ctx.previous, paired = pair(ret, ctx.year, priors, lang, single=single)
                found += paired
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
