"""Finding the official tables in a workbook this project did not make, by their row and column labels.

An agency's own Excel file holds the tables anywhere on any sheet, with bracket and quote variants,
annotated labels ("（件）") and small misprints ("2.其他法律行政止公开"). For each table of each
candidate spec this module aligns the spec's row labels, in order, to cells of one sheet, then finds
each block's column headers above its first row. The candidate that explains the sheet best wins,
table by table, so a 2019-format table 三 in a 2022 report is recognised as such.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .spec import Block, Spec, Table
from .spec.compiled import forest_leaves
from .xlsx import Grid

FUZZY = 0.78  # below this similarity a cell is not taken for a label
_BRACKETS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "，": ",",
        "：": ":",
        "；": ";",
        "．": ".",
        "。": ".",
    }
)
_NUMBERING = re.compile(r"^(\d+)\s*[.、,)]\s*")
_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r"\((?:单位[:：]?)?(?:件|个|项|条|次|万元|元|人次|注[^)]*)\)$")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """A label as compared: NFKC, one bracket and quote style, no spaces, '1、' as '1.'."""
    t = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    t = _SPACE.sub("", t)
    return _NUMBERING.sub(r"\1.", t).lower()


def similarity(label: str, text: str) -> float:
    """1.0 equal; 0.95 the label plus a unit note; otherwise difflib's ratio."""
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
            (r, c, v, norm(v))
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if isinstance(v, str) and v.strip()
        ]

    def find(self, label: str, rows: range | None = None) -> list[Hit]:
        want = norm(label)
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
        rows = _block_rows(block, hits, sheet, prev_end, m)
        if not rows:
            continue
        first = min(r for r in rows.values())
        band = range(max(prev_end + 1, first - 8), first)
        cols = _block_columns(block, sheet, band, m)
        prev_end = max(rows.values())
        for rid, r in rows.items():
            for cid, c in cols.items():
                m.cells[f"{table.id}.{rid}.{cid}"] = (r, c)
    return m


def _block_rows(block: Block, hits: list[Hit | None], sheet: SheetText, prev_end: int, m: TableMatch) -> dict[str, int]:
    leaves = forest_leaves(block.rows)
    m.rows_total += len(leaves)
    if not block.row_header:
        return _unlabelled_rows(block, sheet, prev_end, m)
    rows: dict[str, int] = {}
    for leaf, hit in zip(leaves, hits, strict=True):
        if hit is None or leaf.id is None:
            continue
        rows[leaf.id] = hit.row
        m.rows_found += 1
        if hit.score < 0.93:
            m.misprints.append((hit.text, leaf.label, hit.row, hit.col))
    return rows


def _unlabelled_rows(block: Block, sheet: SheetText, prev_end: int, m: TableMatch) -> dict[str, int]:
    """A block without row labels (table 四): its data row is the first row under its lowest header."""
    leaf_cols = forest_leaves(block.columns)
    lowest = -1
    for leaf in leaf_cols:
        hits = [h for h in sheet.find(leaf.label) if h.row > prev_end]
        if hits:
            lowest = max(lowest, min(h.row for h in hits))
    if lowest < 0:
        return {}
    r = lowest + 1
    while r < len(sheet.grid) and r <= lowest + 3 and not any(v not in ("", None) for v in sheet.grid[r]):
        r += 1
    leaves = forest_leaves(block.rows)
    m.rows_found += len(leaves)
    return {leaf.id: r for leaf in leaves if leaf.id}


def _block_columns(block: Block, sheet: SheetText, band: range, m: TableMatch) -> dict[str, int]:
    leaves = forest_leaves(block.columns)
    m.columns_total += len(leaves)
    by_label: dict[str, list[int]] = {}
    for k, leaf in enumerate(leaves):
        by_label.setdefault(norm(leaf.label), []).append(k)
    out: dict[str, int] = {}
    for label_key, ks in by_label.items():
        hits = sorted(sheet.find(leaves[ks[0]].label, band), key=lambda h: (h.col, -h.row))
        # Duplicate labels (结果维持 three times in table 四) are taken left to right.
        distinct: list[Hit] = []
        for h in hits:
            if all(h.col != d.col for d in distinct):
                distinct.append(h)
        for k, hit in zip(ks, distinct, strict=False):
            leaf = leaves[k]
            if leaf.id:
                out[leaf.id] = hit.col
                m.columns_found += 1
                if hit.score < 0.93:
                    m.misprints.append((hit.text, leaf.label, hit.row, hit.col))
        del label_key
    return out


def best_matches(specs: Iterable[Spec], sheets: list[SheetText]) -> dict[str, TableMatch]:
    """For each table number (二, 三, 四 …): the best match over all specs and sheets, if any is good enough."""
    best: dict[str, TableMatch] = {}
    for spec in specs:
        for table in spec.grid_tables:
            for sheet in sheets:
                m = match_table(spec, table, sheet)
                if m.quality[0] < 0.6:
                    continue
                cur = best.get(table.number)
                if cur is None or m.quality > cur.quality:
                    best[table.number] = m
    return best
