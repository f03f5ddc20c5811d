"""A roll-up's 汇总.xlsx: 完整性, 问题清单, 汇总表 (the county's sheet, over the units) and 明细 (the drill-down).

明细 lists first one row per unit, its totals per cell (the rows 汇总表's SUMIFS formulas sum:
the units at the agencies' level are 是, the units above them 小计), then the agency rows behind
each unit, up to the roll-up's limit, and past it a pointer to the results folder. Written with
XlsxWriter, atomically; every name is written as a string, never a formula.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from ..fileio import atomic_path
from ..findings import COLUMN_HEADS
from .rollup_tally import Node, Rollup
from .sheets.common import Formats, Words, heads, print_setup, write_row
from .sheets.detail import FIRST_ROW, INCLUDE_COL, column_of, write_detail_head
from .sheets.summary import write_summary

COMPLETENESS = (
    *("no", "level", "unit", "listed", "returned", "included", "missing", "files", "rate"),
    *("included-rate", "source", "note"),
)
WIDTHS = (6, 6, 30, 10, 10, 10, 10, 10, 10, 10, 40, 50)
FINDING_WIDTHS = [6, 24, 36, 9, 6, 16, 14, 8, 30, 14, 60, 50, 8, 8, 8, 16, 18]
TOP = 3  # the heading row of 完整性


def write_book(roll: Rollup, path: Path) -> None:
    """Write the roll-up's 汇总.xlsx at ``path``, atomically."""
    words = Words(roll.lang)
    with atomic_path(path) as tmp:
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        wb = xlsxwriter.Workbook(str(tmp), options)
        title = words("rollup.book-title", name=roll.name, year=roll.year)
        wb.set_properties({"title": title, "author": "zfxxgk", "created": datetime(roll.year + 1, 1, 1)})
        fmt = Formats(wb, roll.lang)
        names = ("rollup.sheet-completeness", "county.sheet-findings", "county.sheet-summary", "county.sheet-detail")
        sheets = [wb.add_worksheet(words(key)) for key in names]
        _completeness(sheets[0], wb, fmt, words, roll)
        _findings(sheets[1], fmt, words, roll)
        n_units = _detail(sheets[3], fmt, words, roll)
        write_summary(sheets[2], fmt, words, roll, n_units, column_of(roll.columns))
        wb.close()


def chain_text(words: Words, chain: tuple[str, ...]) -> str:
    return words("rollup.unit-separator").join(chain) if chain else words("rollup.total")


def _completeness(ws: Any, wb: Any, fmt: Formats, words: Words, roll: Rollup) -> None:
    """Per unit at every level, then the total: roster, returned, included, missing, reporting rates."""
    total = roll.node(())
    rate = total.rate(total.returned)
    ws.write_string(0, 0, words("rollup.completeness-title", name=roll.name, year=roll.year), fmt.title)
    note = words(
        "rollup.completeness-note", units=len(roll.units), accepted=sum(u.usable for u in roll.units),
        listed=total.listed, returned=total.returned, rate=f"{rate}%" if rate is not None else "—",
        included=total.included, missing=total.missing,
    )  # fmt: skip
    ws.write_string(1, 0, note, fmt.note)
    heads(ws, fmt, TOP, _titles(words), list(WIDTHS))
    percent = wb.add_format({"font_size": 10, "border": 1, "num_format": "0.0%"})
    sources = {(u.name,): str(u.path) for u in roll.units if u.usable}
    r = TOP
    for n, chain in enumerate([*roll.tree(), ()], start=1):
        r += 1
        node = roll.node(chain)
        line: list[object] = [n, len(chain) or "", chain_text(words, chain), *_counts(node)]
        write_row(ws, r, line, fmt.total if not chain else fmt.text)
        for c, part in ((8, node.returned), (9, node.included)):
            share = node.rate(part)
            if share is not None:
                ws.write_number(r, c, float(share) / 100, percent)
        if chain in sources:
            ws.write_string(r, 10, sources[chain])
    for unit in roll.units:
        if unit.problem is not None:
            r += 1
            line = [r - TOP, 1, unit.name, "", "", "", "", "", "", "", str(unit.path), unit.problem.message]
            write_row(ws, r, line, fmt.text)
    ws.autofilter(TOP, 0, max(r, TOP), len(COMPLETENESS) - 1)
    ws.freeze_panes(TOP + 1, 3)
    print_setup(ws, words, landscape=True, repeat=(TOP, TOP))


def _titles(words: Words) -> list[str]:
    own = {"no": "county.head-no"}
    return [words(own.get(k, f"rollup.head-{k}")) for k in COMPLETENESS]


def _counts(node: Node) -> list[object]:
    return [node.listed, node.returned, node.included, node.missing, node.files]


def _findings(ws: Any, fmt: Formats, words: Words, roll: Rollup) -> None:
    """The inputs that are not summed and why, then the identities failing on a unit's totals or the total."""
    lang = words.lang
    titles = [words("county.head-no"), words("rollup.head-unit"), words("rollup.head-source")]
    heads(ws, fmt, 0, [*titles, *COLUMN_HEADS[lang], words("county.head-fingerprint")], FINDING_WIDTHS[:16])
    n = 0
    for unit in roll.units:
        if unit.problem is not None:
            n += 1
            write_row(ws, n, [n, unit.name, str(unit.path), *unit.problem.columns(lang), unit.problem.fingerprint], fmt.text)
    for chain, f in sorted(roll.checks, key=lambda item: (len(item[0]) > 0, item[0])):
        n += 1
        write_row(ws, n, [n, chain_text(words, chain), "", *f.columns(lang), f.fingerprint], fmt.text)
    ws.autofilter(0, 0, max(n, 1), len(titles) + len(COLUMN_HEADS[lang]))
    ws.freeze_panes(1, 2)
    print_setup(ws, words, landscape=True, repeat=(0, 0))


def _detail(ws: Any, fmt: Formats, words: Words, roll: Rollup) -> int:
    """The drill-down; returns the number of unit rows (the rows 汇总表's formulas sum over)."""
    columns = roll.columns
    write_detail_head(ws, fmt, words, roll.spec, columns)
    ws.write_string(0, 1, words("rollup.head-unit"), fmt.head)
    ws.write_string(0, 2, words("county.head-agency"), fmt.head)
    tree = roll.tree()
    r = FIRST_ROW
    for n, chain in enumerate(tree, start=1):
        leaf = chain in roll.counts
        mark = words.yes_no(True) if leaf else words("rollup.subtotal")
        line: list[object] = [n, chain_text(words, chain), "", words("rollup.unit-total"), mark]
        write_row(ws, r, line, None)
        _figures(ws, r, columns, roll.totals_of(chain))
        r += 1
    r += 1
    ws.write_string(r, 0, words("rollup.detail-agencies"), fmt.note)
    for n, row in enumerate(roll.drill, start=1):
        r += 1
        write_row(ws, r, [n, chain_text(words, row.chain), row.agency, words.status(row.status)], None)
        ws.write_string(r, INCLUDE_COL, words.yes_no(row.included))
        _figures(ws, r, columns, row.values)
    if roll.drill_rest:
        folder = str(roll.out_dir) if roll.out_dir else ""
        key = "rollup.detail-pointer" if folder else "rollup.detail-pointer-none"
        ws.write_string(r + 1, 0, words(key, limit=roll.limit, rest=roll.drill_rest, folder=folder), fmt.note)
    return len(tree)


def _figures(ws: Any, r: int, columns: list[str], values: dict[str, Decimal]) -> None:
    for k, cell_id in enumerate(columns, start=INCLUDE_COL + 1):
        v = values.get(cell_id)
        if v is not None:
            ws.write_number(r, k, float(v))
