"""汇总.xlsx: 报送情况, 问题清单, 汇总表 (formulas over 明细, with stored results), 明细 and 图表.

Written with XlsxWriter, every text from a file or the roster as a string (never a formula), and
atomically. 报送情况, 问题清单 and 明细 grow with the number of returns and are streamed (XlsxWriter's
``constant_memory`` mode, set per sheet: rows go to a temporary file in order, so memory stays flat);
汇总表 and 图表 are small and have multi-row merged headers, which that mode cannot write, so they are
built in memory. Past :data:`DETAIL_LIMIT` returns 明细 is a sheet pointing to the columnar results
(``cells.parquet``) and 汇总表 holds the totals as numbers. Each sheet is written by its own module in
``county/sheets``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter

from ..fileio import atomic_path
from ..spec import Spec
from .model import County, Row
from .sheets.charts import write_charts
from .sheets.common import SHEET_KEYS, Formats, Words
from .sheets.detail import (
    FIRST_ROW,
    FIXED,
    DetailRows,
    column_of,
    detail_columns,
    write_detail_head,
    write_detail_pointer,
)
from .sheets.findings import write_findings
from .sheets.status import write_status
from .sheets.summary import write_summary
from .store import Number

# 明细 stops here: 50,000 rows of ~200 figures (10 million cells, about 60 MB) is about what Excel or WPS on
# an office PC still opens; past it the figures are in the columnar results, one row per cell.
DETAIL_LIMIT = 50_000
FINDINGS_LIMIT = 1_000_000  # rows of 问题清单 (Excel holds 1,048,576); past them a row points to findings.parquet
STREAMED = ("status", "findings", "detail")  # the sheets with a row per agency, file or finding


class SummaryWorkbook:
    """汇总.xlsx, written in two steps: 明细 rows while the returns are being checked, the rest at the end.

    Use as a context manager; the file appears (atomically) only when :meth:`finish` has run.
    """

    def __init__(self, path: Path, spec: Spec, year: int, name: str = "", lang: str = "zh") -> None:
        self.path = path
        self.spec = spec
        self.words = Words(lang)
        self._atomic = atomic_path(path)
        tmp = self._atomic.__enter__()
        self.wb = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        self.wb.set_properties(
            {"title": self.words("county.book-title", name=name, year=year), "author": "zfxxgk", "created": datetime(year + 1, 1, 1)}
        )
        self.fmt = Formats(self.wb, lang)
        self.sheets = {}
        for key in SHEET_KEYS:
            self.wb.constant_memory = key in STREAMED  # read by add_worksheet: this sheet's mode
            self.sheets[key] = self.wb.add_worksheet(self.words.sheet(key))
        self.wb.constant_memory = False
        self.columns = detail_columns(spec)
        self.rows: dict[int, int] = {}  # outcome index -> row of 明细, for the returns a chart names

    def __enter__(self) -> SummaryWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            with contextlib.suppress(Exception):
                self.wb.close()  # removes the streamed sheets' temporary files
            self._atomic.__exit__(*exc)  # type: ignore[arg-type]

    def finish(
        self, county: County, detail: Iterable[tuple[Row, dict[str, Number | None]]], n_detail: int, results: Path | None
    ) -> None:
        """Write every sheet, 明细 from ``detail`` (its ``n_detail`` rows, in order), and move the file into place.

        Past :data:`DETAIL_LIMIT` rows 明细 points to the ``results`` folder instead.
        """
        fmt, words, ws = self.fmt, self.words, self.sheets
        write_status(ws["status"], fmt, words, county)
        write_findings(ws["findings"], fmt, words, county, FINDINGS_LIMIT, results)
        wanted = {index for index, _, _ in county.ranked}
        columns: dict[str, int] | None = column_of(self.columns)
        if n_detail > DETAIL_LIMIT:
            write_detail_pointer(ws["detail"], fmt, words, n_detail, DETAIL_LIMIT, results)
            columns = None
        else:
            write_detail_head(ws["detail"], fmt, words, self.spec, self.columns)
            n = 0
            rows = DetailRows(ws["detail"], words, county, self.columns)
            for n, (row, values) in enumerate(detail, start=1):
                r = rows.write(n, row, values)
                if row.outcome is not None and row.outcome.index in wanted:
                    self.rows[row.outcome.index] = r
            ws["detail"].autofilter(1, 0, max(FIRST_ROW + n - 1, 1), len(FIXED) + len(self.columns) - 1)
        positions = write_summary(ws["summary"], fmt, words, county, n_detail, columns)
        write_charts(self.wb, ws["charts"], fmt, words, county, self.rows, self.columns, positions)
        self.wb.close()
        self._atomic.__exit__(None, None, None)
