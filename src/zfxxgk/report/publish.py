"""Publishing a return's report as a library decision: whether it may be written, as what, and where.

A return with errors is refused unless ``force`` (then the report is a marked draft); so is a hand-made
workbook, which holds no text part. The output's suffix names its format; ``pdf`` adds a PDF beside it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..check import CheckResult, check_file
from ..findings import counts
from ..libreoffice import LibreOfficeError
from ..messages import text
from . import FORMATS, build_document, write_pdf, write_report

log = logging.getLogger(__name__)
DEFAULT_FORMAT = ".docx"


class PublishError(ValueError):
    """No report (or no PDF) was written; ``reason`` says why, ``result`` is the check when there was one.

    Reasons: ``format``, ``overwrite`` (usage errors), ``unreadable``, ``errors``, ``hand-made`` (the return
    is not fit to publish) and ``pdf`` (the report was written, its PDF could not be).
    """

    def __init__(self, reason: str, message: str, result: CheckResult | None = None) -> None:
        super().__init__(message)
        self.reason, self.result = reason, result

    @property
    def usage(self) -> bool:
        """A mistake in how publishing was asked for (or a file that cannot be read), not in the return."""
        return self.reason in ("format", "overwrite", "unreadable", "pdf")


@dataclass
class PublishResult:
    """What was published: the check it rests on, the files written, and whether it is a draft."""

    check: CheckResult
    written: list[Path] = field(default_factory=list)
    draft: bool = False


def default_output(workbook: Path) -> Path:
    """Where a report goes when no output is named: beside the workbook, as a DOCX of the same name."""
    return workbook.with_suffix(DEFAULT_FORMAT)


def publish(
    workbook: Path,
    out: Path | None = None,
    *,
    force: bool = False,
    fragment: bool = False,
    pdf: bool = False,
    year: int | None = None,
    spec: str | None = None,
    lang: str = "zh",
) -> PublishResult:
    """Check ``workbook`` and write its publishable report to ``out`` (.docx, .html/.htm or .md).

    Raises :class:`PublishError` when the report is refused or cannot be written as asked.
    """
    out = out or default_output(workbook)
    if out.suffix.lower() not in FORMATS:
        raise PublishError("format", text("jobs.report-format", lang, formats=" ".join(FORMATS)))
    if out.resolve() == workbook.resolve():
        raise PublishError("overwrite", text("jobs.report-overwrite", lang))
    result = check_file(workbook, year=year, spec=spec, lang=lang)
    draft = _draft(result, force, lang)
    assert result.spec is not None
    doc = build_document(result.spec, result.values, result.agency, result.year, draft=draft, lang=lang)
    write_report(doc, out, fragment=fragment)
    published = PublishResult(result, [out], draft)
    if pdf:
        target = out.with_suffix(".pdf")
        try:
            write_pdf(doc, target)
        except LibreOfficeError as exc:
            log.warning("PDF of %s failed: %s", out, exc)
            raise PublishError("pdf", text("jobs.pdf-failed", lang, detail=exc), result) from exc
        published.written.append(target)
    log.info("published %s%s", ", ".join(map(str, published.written)), " (draft)" if draft else "")
    return published


def _draft(result: CheckResult, force: bool, lang: str) -> bool:
    """Whether the report is a draft; raises when it is refused (errors, or a hand-made workbook)."""
    if not result.readable or result.spec is None:
        raise PublishError("unreadable", text("jobs.report-unreadable", lang), result)
    errors = counts(result.findings)["error"]
    if errors and not force:
        raise PublishError("errors", text("jobs.report-errors", lang, count=errors), result)
    hand_made = result.ret is not None and result.ret.source != "template"
    if hand_made and not force:
        raise PublishError("hand-made", text("jobs.report-hand-made", lang))
    return bool(errors) or hand_made
