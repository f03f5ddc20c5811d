"""图表: the charts the spec's ``county.charts`` defines, each over a small table of formulas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from ...contract import quote_sheet
from ...spec import Header, Table
from ...spec.county import Chart
from ...template.formulas import as_stored
from ..model import County
from .common import Formats, Words
from .detail import FIXED

GROUPS_HEIGHT = 22  # rows a groups chart takes before the next chart starts


def write_charts(
    wb: Any, ws: Any, fmt: Formats, words: Words, county: County, rows: dict[int, int], columns: list[str],
    positions: dict[str, str],
) -> None:  # fmt: skip
    """Every chart of the spec, one below the other."""
    top = 0
    for chart in county.spec.county.charts if county.spec.county else ():
        if chart.kind == "groups":
            _groups(wb, ws, fmt, words, county, chart, positions, top)
            top += GROUPS_HEIGHT
        else:
            top += _ranking(wb, ws, fmt, words, county, chart, rows, columns, top)


def _heading(ws: Any, fmt: Formats, words: Words, chart: Chart, top: int) -> None:
    ws.write_string(top, 0, chart.say("heading", words.lang, top=chart.top), fmt.title)
    ws.write_string(top + 1, 0, chart.say("category", words.lang), fmt.head)
    ws.write_string(top + 1, 1, chart.say("value", words.lang), fmt.head)


def _bar(wb: Any, ws: Any, words: Words, chart: Chart, top: int, n: int, y_scale: float) -> None:
    """A bar chart of the ``n`` rows below the heading at ``top``, largest (first) on top."""
    sheet = words.sheet("charts")
    bar = wb.add_chart({"type": "bar"})
    series: dict[str, object] = {
        "name": chart.say("value", words.lang),
        "categories": [sheet, top + 2, 0, top + 1 + n, 0],
        "values": [sheet, top + 2, 1, top + 1 + n, 1],
    }
    if chart.kind == "groups":
        series["data_labels"] = {"value": True}
    bar.add_series(series)
    bar.set_title({"name": chart.say("title", words.lang)})
    bar.set_legend({"none": True})
    bar.set_y_axis({"reverse": True})
    ws.insert_chart(top + 1, 3, bar, {"x_scale": 1.3, "y_scale": y_scale})


def _groups(
    wb: Any, ws: Any, fmt: Formats, words: Words, county: County, chart: Chart, positions: dict[str, str], top: int
) -> None:
    """The groups of a table's set (办理结果: 予以公开, 部分公开, 不予公开 …), each a sum of 汇总表 cells."""
    table = county.spec.tables.get(chart.table or "")
    summary = quote_sheet(words.sheet("summary"))
    _heading(ws, fmt, words, chart, top)
    groups = _set_groups(table, chart.set or "", words.lang) if table else []
    for k, (label, group_rows) in enumerate(groups, start=top + 2):
        ids = (f"{chart.table}.{r}.{chart.column}" for r in group_rows)
        cells = [c for c in ids if c in positions]
        ws.write_string(k, 0, label)
        value = sum((county.totals.get(c, Decimal(0)) for c in cells), Decimal(0))
        formula = "=" + "+".join(f"{summary}!{positions[c]}" for c in cells) if cells else "=0"
        ws.write_formula(k, 1, formula, None, as_stored(float(value)))
    if groups:
        _bar(wb, ws, words, chart, top, len(groups), 1.2)


def _ranking(
    wb: Any, ws: Any, fmt: Formats, words: Words, county: County, chart: Chart, rows: dict[int, int],
    columns: list[str], top: int,
) -> int:  # fmt: skip
    """The included agencies ranked by one cell (本年新收), largest first; returns the rows used."""
    _heading(ws, fmt, words, chart, top)
    ws.set_column(0, 0, 30)
    if chart.cell not in columns:
        return 2
    col = xl_col_to_name(len(FIXED) + columns.index(chart.cell))
    detail = quote_sheet(words.sheet("detail"))
    shown = sorted(county.ranked, key=lambda item: (-item[2], item[0]))[: chart.top]  # 明细 is in input order
    for k, (index, agency, count) in enumerate(shown, start=top + 2):
        ws.write_string(k, 0, agency)
        if index in rows:
            ws.write_formula(k, 1, f"={detail}!{col}{rows[index] + 1}", None, as_stored(float(count)))
        else:  # 明细 not written (too many returns): the figure itself
            ws.write_number(k, 1, float(count))
    if shown:
        _bar(wb, ws, words, chart, top, len(shown), max(1.0, len(shown) / 12))
    return len(shown) + 4


def _set_groups(table: Table, set_id: str, lang: str) -> list[tuple[str, list[str]]]:
    """The groups of a set: the children of the row group that holds every member of it."""
    members = set(table.sets.get(set_id, []))
    for block in table.blocks:
        for node in block.rows:
            found = _group_of(node, members, lang)
            if found:
                return found
    return []


def _group_of(node: Header, members: set[str], lang: str) -> list[tuple[str, list[str]]] | None:
    leaves = {leaf.id for leaf in node.leaves()}
    if not node.children or not members <= leaves:
        return None
    for child in node.children:
        deeper = _group_of(child, members, lang)
        if deeper:
            return deeper
    return [
        (child.label_en if lang == "en" and child.label_en else child.label, [leaf.id for leaf in child.leaves() if leaf.id in members])
        for child in node.children
        if any(leaf.id in members for leaf in child.leaves())
    ]
