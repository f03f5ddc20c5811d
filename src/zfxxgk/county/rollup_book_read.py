"""A county's 汇总.xlsx as a roll-up unit: its 报送情况 and 明细 sheets read back into the results schema.

Read with python-calamine after the intake's checks (size, zip bombs). The sheet names, the
titles and the status words come from the message catalogue in either language; the county's
name, year and roster size from the 报送情况 title and summary line. 明细 has two header rows, the
cell ids in the second; its figures are those the county summed (a table that is not summed has
no figures there), so the values read back sum to the county's 汇总表.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from python_calamine import CalamineWorkbook

from ..messages import LANGS, text
from ..read.intake import take
from ..spec import Spec
from .model import STATUS_KEYS, status_labels
from .results import CELLS, FINDINGS, RETURNS, SCHEMAS
from .rollup_sources import Unit, UnitError
from .sheets.detail import FIRST_ROW, FIXED, detail_columns
from .sheets.status import HEADS, TOP

_FIELDS = (
    *("listed", "returned", "ok", "warnings", "errors", "unreadable", "missing", "files", "duplicate"),
    *("outsider", "unknown", "included"),
)  # the fields of the 报送情况 summary line


def read_book(path: Path, spec: Spec, lang: str) -> Unit:
    """The unit a county's 汇总.xlsx holds; :class:`UnitError` when it is not one."""
    intake = take(path, lang)
    if intake.data is None:
        raise UnitError(intake.finding.message if intake.finding else str(path))
    book = CalamineWorkbook.from_filelike(io.BytesIO(intake.data))
    book_lang = _language(book.sheet_names, lang)
    status = _grid(book, "county.sheet-status", book_lang)
    detail = _grid(book, "county.sheet-detail", book_lang)
    name, year = _title(status, book_lang, lang)
    ids = [str(c) for c in (detail[1][len(FIXED) :] if len(detail) > 1 else []) if c != ""]
    if not ids:
        raise UnitError(text("rollup.no-detail", lang))
    returns = _returns(status, book_lang)
    cells = _cells(detail, ids, spec, returns, book_lang)
    same = ids == detail_columns(spec)
    tables = {RETURNS: pa.Table.from_pylist(returns, SCHEMAS[RETURNS]), CELLS: cells}
    tables[FINDINGS] = SCHEMAS[FINDINGS].empty_table()

    def batches(name: str) -> Iterator[pa.RecordBatch]:
        yield from tables[name].to_batches()

    listed = _listed(status, book_lang)
    return Unit(path, name=name, year=year, spec_id=spec.id if same else "", rosters={(): listed}, batches=batches)


def _language(sheets: list[str], lang: str) -> str:
    """The language the workbook was written in (its sheet names tell)."""
    for candidate in (lang, *LANGS):
        if text("county.sheet-status", candidate) in sheets and text("county.sheet-detail", candidate) in sheets:
            return candidate
    if any(text("rollup.sheet-completeness", candidate) in sheets for candidate in LANGS):
        raise UnitError(text("rollup.rollup-book", lang))
    raise UnitError(text("rollup.no-sheet", lang, sheet=text("county.sheet-status", lang)))


def _grid(book: Any, key: str, lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = book.get_sheet_by_name(text(key, lang)).to_python(skip_empty_area=False)
    return rows


def _pattern(key: str, lang: str, **groups: str) -> re.Pattern[str]:
    """A catalogue text as a regular expression, its ``{fields}`` captured by ``groups``."""
    marks = {k: f"\x00{k}\x00" for k in groups}
    said = re.escape(text(key, lang, **marks))
    for k, group in groups.items():
        said = said.replace(re.escape(marks[k]), f"(?P<{k}>{group})")
    return re.compile(said)


def _title(status: list[list[Any]], book_lang: str, lang: str) -> tuple[str, int]:
    head = str(status[0][0]) if status and status[0] else ""
    m = _pattern("county.status-title", book_lang, name=".*?", year=r"\d{4}").fullmatch(head)
    if m is None:
        raise UnitError(text("rollup.no-title", lang))
    return m.group("name"), int(m.group("year"))


def _listed(status: list[list[Any]], book_lang: str) -> int:
    """The roster size the summary line under the title states."""
    line = str(status[1][0]) if len(status) > 1 and status[1] else ""
    m = _pattern("county.status-summary", book_lang, **dict.fromkeys(_FIELDS, r"\d+")).fullmatch(line)
    if m is None:
        raise UnitError(text("rollup.no-sheet", book_lang, sheet=text("county.sheet-status", book_lang)))
    return int(m.group("listed"))


def _keys(book_lang: str) -> dict[str, str]:
    """Status word -> status key."""
    return {label: key for key, label in status_labels(book_lang).items() if key in STATUS_KEYS}


def _returns(status: list[list[Any]], book_lang: str) -> list[dict[str, Any]]:
    """The rows of 报送情况 under its heading row, as rows of returns.parquet."""
    keys = _keys(book_lang)
    no = text("county.included-no", book_lang)
    out: list[dict[str, Any]] = []
    for raw in status[TOP + 1 :]:
        line = dict(zip((k for k, _ in HEADS), [*raw, *[""] * len(HEADS)], strict=False))
        if not str(line["agency"]) and not str(line["file"]):
            continue
        out.append(
            {
                "units": [],
                "agency": str(line["agency"]),
                "code": str(line["code"]),
                "file": str(line["file"]),
                "status": keys[str(line["status"])],
                "included": str(line["included"]) not in (no, ""),
                "how": str(line["how"]),
                "spec_id": str(line["spec"]),
                "year": _int(line["year"]),
                "errors": _int(line["errors"]),
                "warnings": _int(line["warnings"]),
                "infos": _int(line["infos"]),
                "note": str(line["note"]),
                "sha256": str(line["sha256"]),
            }
        )
    return out


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _cells(
    detail: list[list[Any]], ids: list[str], spec: Spec, returns: list[dict[str, Any]], book_lang: str
) -> pa.Table:
    """The figures of 明细, one row per (return, cell with a figure), as cells.parquet holds them."""
    keys = _keys(book_lang)
    yes = text("county.included-yes", book_lang)
    codes = {(r["agency"], r["file"]): r["code"] for r in returns}
    known = [(k, c) for k, c in enumerate(ids, start=len(FIXED)) if c in spec.cells]
    rows: list[dict[str, Any]] = []
    for raw in detail[FIRST_ROW:]:
        if len(raw) < len(FIXED) or (not str(raw[1]) and not str(raw[2])):
            continue
        who = {"units": [], "agency": str(raw[1]), "file": str(raw[2]), "status": keys[str(raw[3])]}
        who["code"] = codes.get((who["agency"], who["file"]), "")
        included = str(raw[4]) == yes
        for k, cell_id in known:
            v = raw[k] if k < len(raw) else ""
            if isinstance(v, int | float) and not isinstance(v, bool):
                rows.append({**who, "included": included, **_labels(spec, cell_id, book_lang), "value": _decimal(v)})
    return pa.Table.from_pylist(rows, SCHEMAS[CELLS])


def _labels(spec: Spec, cell_id: str, lang: str) -> dict[str, str]:
    cell = spec.cells[cell_id]
    row, column = cell.labels(lang)
    return {"cell_id": cell_id, "table": spec.tables[cell.table].number, "row": row, "column": column}


def _decimal(v: float) -> Decimal:
    """A figure as Excel stores it (a double), as the exact decimal it was written from."""
    return Decimal(int(v)) if float(v).is_integer() else Decimal(repr(float(v)))
