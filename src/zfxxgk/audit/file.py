"""Auditing one published report: identify -> extract -> read as a return -> the same checks as ``check``.

:func:`audit_file` never raises for a bad file: every problem (an encrypted PDF, a page too large, a
kind that is not a report) becomes a finding. The result is the :class:`~zfxxgk.check.CheckResult`
that ``check`` gives a workbook, with ``intake.kind`` saying what the file was (html, pdf, docx, doc, txt).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from ..check import era, registry
from ..check.narrative import section_findings
from ..check.result import CheckResult
from ..findings import Finding, make, sort_key
from ..read.intake import Intake, file_bytes
from ..read.values import Value
from .extract import MAX_BYTES, Extracted
from .read import Read, read_extracted
from .sniff import AuditError, extract
from .verify import unverifiable_findings

log = logging.getLogger(__name__)


def audit_file(
    path: str | Path,
    *,
    year: int | None = None,
    spec: str | None = None,
    lang: str = "zh",
    data: bytes | None = None,
) -> CheckResult:
    """Audit one published report (or ``data`` that came from an archive, named ``path``)."""
    name = str(path)
    found: list[Finding] = []
    try:
        if data is None:
            opened = file_bytes(path, lang, MAX_BYTES, "audit-too-large")
            if isinstance(opened, Intake):
                return CheckResult(name, opened, findings=[f.located(name) for f in [opened.finding] if f])
            data = opened
        intake = Intake(name, "unknown", len(data), hashlib.sha256(data).hexdigest())
        if len(data) > MAX_BYTES:
            return _unreadable(name, "too-large", make("audit-too-large", lang, detail=f"{len(data)} B"), intake)
        ex = extract(data, name, lang)
        intake.kind = ex.kind
        result = CheckResult(name, intake)
        found += ex.findings
        _check(result, ex, year, spec, lang, found)
    except AuditError as exc:
        return _unreadable(name, exc.kind, exc.finding)
    except Exception as exc:  # a file no extractor foresaw: tell the user, keep the batch going
        log.exception("auditing %s failed", path)
        found.append(make("read-failed", lang, detail=f"{type(exc).__name__}: {exc}"[:200]))
        result = CheckResult(name, Intake(name, "unknown"))
    result.findings = sorted((f.located(name) for f in found), key=sort_key)
    return result


def _unreadable(name: str, kind: str, finding: Finding, intake: Intake | None = None) -> CheckResult:
    intake = intake or Intake(name, kind)
    intake.kind = kind
    return CheckResult(name, intake, findings=[finding.located(name)])


def _check(
    result: CheckResult, ex: Extracted, year: int | None, spec: str | None, lang: str, out: list[Finding]
) -> None:
    read = read_extracted(ex, spec, lang)
    out += read.ret.findings
    if not read.ret.parts:
        return
    ctx = registry.Context(read.ret, lang, year)
    out += registry.year(ctx) + registry.values(ctx)
    ctx.values.update(read.prose)
    out += registry.rules(ctx)
    out += unverifiable_findings(ctx, read.unverifiable)
    out += section_findings(read.ret.spec, ctx.values, read.ret.locate, lang)
    out += [f for f in era.label_facts(read.ret, ctx.year, lang) if f.code != "read-by-labels"]
    out += registry.narrative(ctx) + registry.format_mixed(ctx) + registry.format_outdated(ctx)
    result.ret, result.year = read.ret, ctx.year
    result.values = _table_values(ctx.values, read)


def _table_values(values: dict[str, Value], read: Read) -> dict[str, Value]:
    """The figures read with certainty (the prose is not a figure)."""
    return {k: v for k, v in values.items() if k not in read.prose and not isinstance(v, str)}
