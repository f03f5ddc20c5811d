"""Which match of a table to read when a workbook holds it more than once.

A hand-made workbook may hold a table on several sheets (a hidden sheet, a draft copy "表三（草稿）",
last year's sheet "2024年") or twice on one sheet (a copy below, or last year's beside). Every copy is
matched on its own, so rows of two copies are never mixed; the visible, current, best-matching one
is read, and the others are kept on it (``passed_over``) so the reader can say what it chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any, Protocol

from ..spec import Spec, Table
from ..spec.compiled import forest_leaves
from .labels import SheetText, TableMatch, match_table


class _Read(Protocol):
    @property
    def quality(self) -> Any: ...
    @property
    def spec(self) -> Spec: ...


def spec_votes(reads_per_table: Iterable[Sequence[_Read]]) -> dict[str, int]:
    """Spec id -> for how many tables one of its reads is among the best: a tie between specs goes to
    the one that explains the other tables best (workbooks here, text layers in the audit)."""
    score: dict[str, int] = {}
    for reads in reads_per_table:
        top = max(r.quality for r in reads)
        for r in reads:
            if r.quality == top:
                score[r.spec.id] = score.get(r.spec.id, 0) + 1
    return score


def best_matches(specs: Iterable[Spec], sheets: list[SheetText], year: int | None = None) -> dict[str, TableMatch]:
    """For each table number (二, 三, 四 …): the best match over all specs and sheets, if any is good enough.

    Where specs share a table (table 四 is the same in 2019 and 2021), a tie goes to the spec that
    explains the other tables best, so an unchanged table does not make a report look mixed. Where
    several sheets hold the table, see :func:`_sheet_rank`; the others are kept in ``passed_over``.
    """
    found: dict[str, list[TableMatch]] = {}
    for spec in specs:
        for table in spec.grid_tables:
            for sheet in sheets:
                found.setdefault(table.number, []).extend(_candidates(spec, table, sheet))
    found = {number: matches for number, matches in found.items() if matches}
    if not found:
        return {}
    score = spec_votes(found.values())
    preferred = sorted(score, key=lambda sid: -score[sid])
    order = {s.name: n for n, s in enumerate(sheets)}
    best: dict[str, TableMatch] = {}
    for number, matches in found.items():
        names = [m.sheet for m in matches]
        chosen = max(
            matches,
            key=lambda m: (
                *_sheet_rank(m, names, year),
                -preferred.index(m.spec.id) if m.spec.id in preferred else -99,
                -order[m.sheet],
                -m.top,
                -m.left,
            ),
        )
        others: dict[tuple[str, int, int], TableMatch] = {}
        for m in sorted(matches, key=lambda m: (order[m.sheet], m.top, m.left)):
            if m.sheet != chosen.sheet or (m.block and (m.top, m.left) != (chosen.top, chosen.left)):
                others.setdefault((m.sheet, m.top, m.left) if m.block else (m.sheet, 0, 0), m)
        chosen.passed_over = list(others.values())
        best[number] = chosen
    return best


HEAD_ROWS = 8  # rows above a table's first row label that may hold its headers


def _candidates(spec: Spec, table: Table, sheet: SheetText) -> list[TableMatch]:
    """The good enough matches of a table on a sheet: one, or one per copy when the sheet holds several."""
    copies = [m for m in (match_table(spec, table, view) for view in _copies(table, sheet)) if m.quality[0] >= 0.6]
    if len(copies) >= 2:
        return copies
    whole = match_table(spec, table, sheet)
    return [whole] if whole.quality[0] >= 0.6 else []


def _copies(table: Table, sheet: SheetText) -> list[SheetText]:
    """The parts of a sheet that each begin with the table's first label, when it is there several times.

    Aligning the labels over the whole sheet would take some rows from one copy and some from the
    other; each copy is matched alone instead.
    """
    first = table.blocks[0]
    anchor = (forest_leaves(first.rows) if first.row_header else list(first.columns))[:1]
    if not anchor:
        return []
    hits = [h for h in sheet.find(anchor[0].label) if h.score >= 0.93]
    rows = sorted({h.row for h in hits})
    starts = [r for n, r in enumerate(rows) if n == 0 or r - rows[n - 1] > HEAD_ROWS]
    if len(starts) >= 2:  # copies one below the other
        bounds = [0, *(max(r - HEAD_ROWS, prev + 1) for prev, r in pairwise(starts)), len(sheet.grid)]
        return [sheet.part(range(lo, hi)) for lo, hi in pairwise(bounds)]
    cols = sorted({h.col for h in hits})
    if first.row_header and len(cols) >= 2:  # side by side, each starting at its row labels
        width = max((len(row) for row in sheet.grid), default=0)
        everywhere = range(len(sheet.grid))
        return [sheet.part(everywhere, range(lo, hi)) for lo, hi in pairwise([0, *cols[1:], width])]
    return []


SHEET_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _sheet_rank(m: TableMatch, names: list[str], year: int | None) -> tuple[object, ...]:
    """How likely a sheet holding a table is the one to read: visible first; then not named for an
    earlier year than the report's (last year's sheet "2024年"); then the best match; then not a copy
    of another candidate (a name that extends another's, as "表三（草稿）" extends "表三")."""
    years = [int(y) for n in names for y in SHEET_YEAR.findall(n)]
    target = year or max(years, default=None)
    own = [int(y) for y in SHEET_YEAR.findall(m.sheet)]
    earlier = bool(own) and target is not None and max(own) < target
    copy = any(n != m.sheet and m.sheet.startswith(n) for n in names)
    return (not m.hidden, not earlier, m.quality, not copy)
