"""Write-back: a copy of a checked workbook with every offending cell highlighted and commented.

The input file is never touched: the copy is made from the bytes read at intake and written
atomically. It is saved by openpyxl, which keeps formulas but not their stored results (Excel and
LibreOffice recalculate them on opening) and never keeps macros. The bytes are screened for DTDs
before openpyxl parses them (:func:`~zfxxgk.read.package.screen_bytes`), as every reader's are: openpyxl
is defused only while defusedxml is installed and not switched off by ``OPENPYXL_DEFUSEDXML``.
"""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import chain, count
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..fileio import atomic_path, first_free
from ..findings import COLUMN_HEADS, SEVERITY_LABEL, SEVERITY_ORDER, Finding
from ..messages import MessageError, text
from ..read.package import screen_bytes
from .result import CheckResult

FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
HEAD = {lang: [text("common.column-number", lang), *heads] for lang, heads in COLUMN_HEADS.items()}


class AnnotateError(MessageError, ValueError):
    """The file cannot be annotated (it could not be read as a workbook); :meth:`text` in either language."""


def annotate(result: CheckResult, out: str | Path, lang: str = "zh") -> None:
    """Write ``out``: the checked workbook with findings marked on its cells and listed on a new sheet."""
    if result.intake.data is None or result.ret is None:
        raise AnnotateError("check.annotate-unreadable")
    screen_bytes(result.intake.data)  # raises PackageError (file-unsafe-xml) before openpyxl parses anything
    wb = openpyxl.load_workbook(io.BytesIO(result.intake.data), keep_vba=False, keep_links=False)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in result.findings:
        for ref in f.cells or ((f"{f.sheet}!{f.cell}",) if f.sheet and f.cell else ()):
            sheet, _, a1 = ref.rpartition("!")
            if sheet in wb.sheetnames:
                by_cell[(sheet, a1)].append(f)
    labels = SEVERITY_LABEL[lang]
    for (sheet, a1), found in by_cell.items():
        cell = wb[sheet][a1]
        worst = min(found, key=lambda f: SEVERITY_ORDER[f.severity])
        cell.fill = FILLS[worst.severity]
        note = "\n".join(text("check.annotate-comment", lang, severity=labels[f.severity], message=f.message) for f in found)
        cell.comment = Comment(note[:30000], "zfxxgk", width=320, height=160)
    _findings_sheet(wb, result.findings, lang)
    wb.calculation.fullCalcOnLoad = True
    with atomic_path(out) as tmp:
        wb.save(tmp)


def _findings_sheet(wb: openpyxl.Workbook, findings: list[Finding], lang: str) -> None:
    base = text("check.annotate-sheet", lang)
    taken = {name.casefold() for name in wb.sheetnames}
    ws = wb.create_sheet(first_free(chain([base], (f"{base}{n}" for n in count(2))), taken), 0)
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    ws.append(HEAD[lang])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for k, f in enumerate(findings, start=1):
        row = [k, *f.columns(lang)]
        ws.append([None] * len(row))
        for col, value in enumerate(row, start=1):
            cell = ws.cell(ws.max_row, col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text from a file is never a formula
            cell.alignment = Alignment(wrap_text=col in (6, 7, 8, 9), vertical="top")
            if col == 2:
                cell.fill = FILLS[f.severity]
    for col, width in enumerate((6, 8, 16, 16, 8, 30, 14, 60, 50, 10, 10, 10, 18), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEAD[lang]))}{max(ws.max_row, 1)}"
