"""``审查结果.xlsx``: one row per published report audited, and every finding with where it is.

Written with XlsxWriter; every text (file names, agencies, messages) is written as a string, never as a
formula, and the file replaces the target atomically once complete.
"""

from __future__ import annotations

import logging
from pathlib import Path

import xlsxwriter

from ..check.result import STATUS_LABEL, CheckResult
from ..fileio import atomic_path
from ..findings import COLUMN_HEADS, counts
from ..messages import text

log = logging.getLogger(__name__)

REPORT_HEADS = ("file", "agency", "year", "format", "kind", "status", "errors", "warnings", "info", "unverifiable")
KINDS = ("html", "md", "docx", "doc", "pdf", "txt")


def kind_label(kind: str, lang: str) -> str:
    """What the file was, in words (``html`` -> 网页); an unknown kind as it is."""
    return text(f"audit.kind-{kind}", lang) if kind in KINDS else kind


def report_row(r: CheckResult, lang: str) -> list[object]:
    """The row of one report on the reports sheet (headings: :data:`REPORT_HEADS`)."""
    c = counts(r.findings)
    unverifiable = sum(1 for f in r.findings if f.code == "extraction-ambiguous")
    spec = r.spec.id if r.spec else ""
    year = r.year if r.year is not None else ""
    status = STATUS_LABEL[lang][r.status]
    return [
        r.path,
        r.agency,
        year,
        spec,
        kind_label(r.intake.kind, lang),
        status,
        c["error"],
        c["warning"],
        c["info"],
        unverifiable,
    ]


def write_audit(results: list[CheckResult], target: str | Path, lang: str = "zh") -> Path:
    """Write the audit workbook; returns its path."""
    target = Path(target)
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        _reports(book, head, results, lang)
        _findings(book, head, results, lang)
        book.close()
    return target


def _reports(book: xlsxwriter.Workbook, head: object, results: list[CheckResult], lang: str) -> None:
    sheet = book.add_worksheet(text("audit.sheet-reports", lang))
    heads = [text(f"audit.column-{h}", lang) for h in REPORT_HEADS]
    sheet.write_row(0, 0, heads, head)
    for n, r in enumerate(results, 1):
        for c, value in enumerate(report_row(r, lang)):
            _write(sheet, n, c, value)
    sheet.autofilter(0, 0, max(len(results), 1), len(heads) - 1)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 36)
    sheet.set_column(2, len(heads) - 1, 12)


def _findings(book: xlsxwriter.Workbook, head: object, results: list[CheckResult], lang: str) -> None:
    sheet = book.add_worksheet(text("audit.sheet-findings", lang))
    heads = [text("audit.column-file", lang), text("audit.column-agency", lang), *COLUMN_HEADS[lang]]
    sheet.write_row(0, 0, heads, head)
    n = 0
    for r in results:
        for f in r.findings:
            n += 1
            for c, value in enumerate([r.path, r.agency, *f.columns(lang)]):
                _write(sheet, n, c, value)
    sheet.autofilter(0, 0, max(n, 1), len(heads) - 1)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, len(heads) - 1, 16)
    sheet.set_column(8, 9, 50)


def _write(sheet: object, r: int, c: int, value: object) -> None:
    if isinstance(value, bool) or value is None or value == "":
        return
    if isinstance(value, int | float):
        sheet.write_number(r, c, value)  # type: ignore[attr-defined]
    else:
        sheet.write_string(r, c, str(value))  # type: ignore[attr-defined]
