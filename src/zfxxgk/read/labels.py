"""Finding the official tables in a workbook this project did not make, by their row and column labels.

An agency's own Excel file holds the tables anywhere on any sheet, with bracket and quote variants,
annotated labels ("（件）") and small misprints ("2.其他法律行政止公开"). For each table of each
candidate spec this module aligns the spec's row labels, in order, to cells of one sheet, then finds
each block's column headers above its first row. The candidate that explains the sheet best wins,
table by table, so a 2019-format table 三 in a 2022 report is recognised as such.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..normalize import label_key
from ..spec import Block, Header, Spec, Table
from ..spec.compiled import forest_depth, forest_leaves, forest_paths
from .package import Grid

log = logging.getLogger(__name__)

FUZZY = 0.78  # below this similarity a cell is not taken for a label
_NOTE = re.compile(r"\((?:单位[:：]?)?(?:件|个|项|条|次|万元|元|人次|注[^)]*)\)$")


def similarity(label: str, text: str) -> float:
    """1.0 equal; 0.97 the label plus a unit note such as "（件）"; 0.93 the label with a short
    annotation after it; otherwise difflib's ratio."""
    if label == text:
        return 1.0
    if _NOTE.sub("", text) == label:
        return 0.97
    if len(label) >= 4 and text.startswith(label) and len(text) <= len(label) + 12:
        return 0.93
    if abs(len(label) - len(text)) > max(4, len(label) // 2):
        return 0.0
    return difflib.SequenceMatcher(None, label, text, autojunk=False).ratio()


@dataclass(frozen=True)
class Hit:
    row: int
    col: int
    score: float
    text: str  # the cell's own text, for misprint reports


@dataclass
class TableMatch:
    spec: Spec
    table: Table
    sheet: str
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # cell id -> (row, col)
    misprints: list[tuple[str, str, int, int]] = field(default_factory=list)  # (found, official, row, col)
    rows_found: int = 0
    rows_total: int = 0
    columns_found: int = 0
    columns_total: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # ("row" | "column", official label) not found

    @property
    def quality(self) -> tuple[float, int]:
        total = self.rows_total + self.columns_total
        found = self.rows_found + self.columns_found
        return (round(found / total, 3) if total else 0.0, found)


class SheetText:
    """The text cells of one sheet, normalised once."""

    def __init__(self, name: str, grid: Grid) -> None:
        self.name = name
        self.grid = grid
        self.cells: list[tuple[int, int, str, str]] = [
            (r, c, v, label_key(v))
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if isinstance(v, str) and v.strip()
        ]

    def find(self, label: str, rows: range | None = None) -> list[Hit]:
        want = label_key(label)
        hits = []
        for r, c, raw, text in self.cells:
            if rows is not None and r not in rows:
                continue
            s = similarity(want, text)
            if s >= FUZZY:
                hits.append(Hit(r, c, s, raw))
        return hits


def _align(options: list[list[Hit]]) -> list[Hit | None]:
    """Pick at most one hit per label so that rows strictly increase, maximising the total score."""
    n = len(options)
    # best[i][k]: best total for labels 0..i with label i placed at options[i][k]
    best: list[list[tuple[float, int | None, int | None]]] = []  # (score, previous label, previous option)
    for i in range(n):
        row_best = []
        for hit in options[i]:
            top: tuple[float, int | None, int | None] = (hit.score, None, None)
            for j in range(i):
                for k, prev in enumerate(options[j]):
                    if prev.row < hit.row and best[j][k][0] + hit.score > top[0]:
                        top = (best[j][k][0] + hit.score, j, k)
            row_best.append(top)
        best.append(row_best)
    end = max(((best[i][k][0], i, k) for i in range(n) for k in range(len(options[i]))), default=None)
    out: list[Hit | None] = [None] * n
    at: tuple[int, int] | None = (end[1], end[2]) if end else None
    while at is not None:
        label, option = at
        out[label] = options[label][option]
        _, prev_label, prev_option = best[label][option]
        at = (prev_label, prev_option) if prev_label is not None and prev_option is not None else None
    return out


def match_table(spec: Spec, table: Table, sheet: SheetText) -> TableMatch:
    """Where this table's cells are on this sheet (as far as its labels tell)."""
    m = TableMatch(spec, table, sheet.name)
    leaf_rows = [leaf for b in table.blocks for leaf in forest_leaves(b.rows)]
    labelled = [b.row_header for b in table.blocks for _ in forest_leaves(b.rows)]
    options = [sheet.find(leaf.label) if has_label else [] for leaf, has_label in zip(leaf_rows, labelled, strict=True)]
    placed = _align(options)
    start = 0
    prev_end = -1
    for block in table.blocks:
        leaves = forest_leaves(block.rows)
        hits = placed[start : start + len(leaves)]
        start += len(leaves)
        m.rows_total += len(leaves)
        if block.row_header:
            rows = _labelled_rows(leaves, hits, m)
            if not rows:
                continue
            first = min(rows.values())
            cols = _block_columns(block, sheet, _header_band(block, sheet, prev_end, first), m)
        else:
            rows, cols = _unlabelled_block(block, sheet, prev_end, m)
            if not rows:
                continue
        prev_end = max(rows.values())
        for rid, r in rows.items():
            for cid, hit in cols.items():
                m.cells[f"{table.id}.{rid}.{cid}"] = (r, hit.col)
    return m


def _header_band(block: Block, sheet: SheetText, prev_end: int, first: int) -> range:
    """The rows holding this block's column headers: from its top header (or corner) down to its first row.

    Bounding the band by the block's own top header keeps another table's headers just above it
    (table 四's 总计 above table 三) out of it.
    """
    window = range(max(prev_end + 1, first - 8), first)
    tops = [h.row for node in block.columns for h in sheet.find(node.label, window)]
    if block.corner:
        tops += [h.row for h in sheet.find(block.corner, window)]
    return range(max(tops), first) if tops else window


def _labelled_rows(leaves: list[Header], hits: list[Hit | None], m: TableMatch) -> dict[str, int]:
    rows: dict[str, int] = {}
    for leaf, hit in zip(leaves, hits, strict=True):
        if hit is None or leaf.id is None:
            m.missing.append(("row", leaf.label))
            continue
        rows[leaf.id] = hit.row
        m.rows_found += 1
        if hit.score < 0.93:
            m.misprints.append((hit.text, leaf.label, hit.row, hit.col))
    return rows


def _unlabelled_block(
    block: Block, sheet: SheetText, prev_end: int, m: TableMatch
) -> tuple[dict[str, int], dict[str, Hit]]:
    """A block without row labels (table 四): headers under its first top-level label, data right below."""
    tops = [h for node in block.columns for h in sheet.find(node.label) if h.row > prev_end]
    if not tops:
        return {}, {}
    r0 = min(h.row for h in tops)
    cols = _block_columns(block, sheet, range(r0, r0 + forest_depth(block.columns) + 1), m)
    if not cols:
        return {}, {}
    r = max(h.row for h in cols.values()) + 1
    while (
        r < len(sheet.grid)
        and r <= max(h.row for h in cols.values()) + 3
        and not any(v not in ("", None) for v in sheet.grid[r])
    ):
        r += 1
    leaves = forest_leaves(block.rows)
    m.rows_found += len(leaves)
    return {leaf.id: r for leaf in leaves if leaf.id}, cols


def _block_columns(block: Block, sheet: SheetText, band: range, m: TableMatch) -> dict[str, Hit]:
    leaves = forest_leaves(block.columns)
    m.columns_total += len(leaves)
    by_label: dict[str, list[int]] = {}
    for k, leaf in enumerate(leaves):
        by_label.setdefault(label_key(leaf.label), []).append(k)
    out: dict[str, Hit] = {}
    for ks in by_label.values():
        hits = sorted(sheet.find(leaves[ks[0]].label, band), key=lambda h: (h.col, -h.row))
        # Duplicate labels (结果维持 three times in table 四) are taken left to right.
        distinct: list[Hit] = []
        for h in hits:
            if all(h.col != d.col for d in distinct):
                distinct.append(h)
        for k, hit in zip(ks, distinct, strict=False):
            leaf = leaves[k]
            if leaf.id:
                out[leaf.id] = hit
                m.columns_found += 1
                if hit.score < 0.93:
                    m.misprints.append((hit.text, leaf.label, hit.row, hit.col))
        m.missing += [("column", leaves[k].label) for k in ks[len(distinct) :]]
    # Group headers locate nothing themselves, but a misprint in one is still worth telling.
    groups = {n.label for path in forest_paths(block.columns) for n in path[:-1]}
    for label in sorted(groups):
        hits = sheet.find(label, band)
        if hits and max(h.score for h in hits) < 0.93:
            hit = max(hits, key=lambda h: h.score)
            m.misprints.append((hit.text, label, hit.row, hit.col))
    return out


def best_matches(specs: Iterable[Spec], sheets: list[SheetText]) -> dict[str, TableMatch]:
    """For each table number (二, 三, 四 …): the best match over all specs and sheets, if any is good enough.

    Where specs share a table (table 四 is the same in 2019 and 2021), a tie goes to the spec that
    explains the other tables best, so an unchanged table does not make a report look mixed.
    """
    found: dict[str, list[TableMatch]] = {}
    for spec in specs:
        for table in spec.grid_tables:
            for sheet in sheets:
                m = match_table(spec, table, sheet)
                if m.quality[0] >= 0.6:
                    found.setdefault(table.number, []).append(m)
    if not found:
        return {}
    score: dict[str, float] = {}
    for matches in found.values():
        top = max(m.quality for m in matches)
        for m in matches:
            if m.quality == top:
                score[m.spec.id] = score.get(m.spec.id, 0.0) + 1
    preferred = sorted(score, key=lambda sid: -score[sid])
    best: dict[str, TableMatch] = {}
    for number, matches in found.items():
        best[number] = max(
            matches, key=lambda m: (m.quality, -preferred.index(m.spec.id) if m.spec.id in preferred else -99)
        )
    return best
