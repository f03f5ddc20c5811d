"""汇总.xlsx: 报送情况, 问题清单, 汇总表 (formulas over 明细, with stored results), 明细 and 图表.

Written with XlsxWriter, every text from a file or the roster as a string (never a formula), and
atomically. XlsxWriter's constant_memory mode cannot write the merged headers of the official tables
(multi-row merges need rows written out of order; its maintainer documents this), so the workbook is
built in memory: about 25 KB per row of 明细. Everything else is streamed from the store. Each sheet
is written by its own module in ``county/sheets``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from ..fileio import atomic_path
from ..spec import Spec
from .model import County, summable
from .sheets.charts import write_charts
from .sheets.common import SHEET_KEYS, Formats, Words
from .sheets.detail import FIRST_ROW, FIXED, column_of, detail_columns, write_detail_fixed, write_detail_head
from .sheets.findings import write_findings
from .sheets.status import write_status
from .sheets.summary import write_summary
from .store import Outcome


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
        self.sheets = {key: self.wb.add_worksheet(self.words.sheet(key)) for key in SHEET_KEYS}
        self.columns = detail_columns(spec)
        self._column_tables = [spec.cells[c].table for c in self.columns]
        self._tables = sorted(set(self._column_tables))
        self.rows: dict[int, int] = {}  # outcome index -> row of 明细
        write_detail_head(self.sheets["detail"], self.fmt, self.words, spec, self.columns)

    def __enter__(self) -> SummaryWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self._atomic.__exit__(*exc)  # type: ignore[arg-type]

    def add(self, o: Outcome) -> None:
        """Write a return's figures into 明细 (as soon as it has been checked)."""
        if o.status == "unreadable" or not o.values:
            return
        r = FIRST_ROW + len(self.rows)
        self.rows[o.index] = r
        write = self.sheets["detail"].write_number
        ok = {t: summable(self.spec, o, t) for t in self._tables}
        values = o.values
        for k, (cell_id, table) in enumerate(zip(self.columns, self._column_tables, strict=True), start=len(FIXED)):
            v = values.get(cell_id)
            if v is not None and ok[table]:
                write(r, k, float(v) if isinstance(v, Decimal) else v)

    def finish(self, county: County) -> None:
        """Write everything else and move the file into place."""
        fmt, words, ws = self.fmt, self.words, self.sheets
        write_status(ws["status"], fmt, words, county)
        write_findings(ws["findings"], fmt, words, county)
        write_detail_fixed(ws["detail"], words, county, self.rows, len(self.columns))
        positions = write_summary(ws["summary"], fmt, words, county, len(self.rows), column_of(self.columns))
        write_charts(self.wb, ws["charts"], fmt, words, county, self.rows, self.columns, positions)
        self.wb.close()
        self._atomic.__exit__(None, None, None)
