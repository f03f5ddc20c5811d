"""Finding the official tables in a workbook this project did not make, by their row and column labels.

An agency's own Excel file holds the tables anywhere on any sheet, with bracket and quote variants,
annotated labels ("（件）") and small misprints ("2.其他法律行政止公开"). For each table of each
candidate spec this module places the spec's row labels on one sheet by their whole path
(:mod:`.rowpaths`: groups and blocks in any order), then finds each block's column headers above its
first row by their whole path too (group -> leaf, a group's reach taken from its merged range), so
groups in another order are read into the right cells. The unit a
column header states ("（单位：元）") is kept for the reader to convert or flag. The candidate that
explains the sheet best wins, table by table, so a 2019-format table 三 in a 2022 report is
recognised as such (:mod:`.choice` picks among several sheets or copies holding a table).
"""

from __future__ import annotations

import copy
import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..normalize import unit_note
from ..spec import Block, Header, Spec, Table
from ..spec.compiled import forest_depth, forest_leaves, forest_paths
from .package import Grid
from .rowpaths import CACHED, key_of, place_rows

log = logging.getLogger(__name__)

FUZZY = 0.78  # below this similarity a cell is not taken for a label
_REMARK = re.compile(r"\(注[^)]*\)$")  # "(注:…)" after a label (a unit note is normalize.unit_note's)


@lru_cache(maxsize=CACHED)
def similarity(label: str, text: str) -> float:
    """1.0 equal; 0.97 the label plus, without or with another unit note such as "（件）"; 0.93 the
    label with a short annotation after it; otherwise difflib's ratio (of the texts without their
    unit notes, when both have one: a unit is compared as a unit, never passed as a misprint)."""
    if label == text:
        return 1.0
    (label_base, label_unit), (text_base, text_unit) = unit_note(label), unit_note(text)
    if _REMARK.sub("", text) == label or (label_base == text_base and (label_unit or text_unit)):
        return 0.97
    if label_unit and text_unit:
        label, text = label_base, text_base
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
    # cell id -> (unit, row, column, text) of the header cell stating the unit its column is in, when one does
    units: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)
    hidden: bool = False  # the sheet is hidden
    block: bool = False  # read from one of several copies of the table on its sheet
    passed_over: list[TableMatch] = field(default_factory=list)  # other sheets or blocks that could be it
    _header_units: dict[tuple[int, int], tuple[str, int, int, str]] = field(default_factory=dict, repr=False)

    @property
    def top(self) -> int:
        """The first row of the table's figures (zero-based; 0 when none was placed)."""
        return min((r for r, _ in self.cells.values()), default=0)

    @property
    def left(self) -> int:
        """The first column of the table's figures (zero-based; 0 when none was placed)."""
        return min((c for _, c in self.cells.values()), default=0)

    @property
    def quality(self) -> tuple[float, int]:
        total = self.rows_total + self.columns_total
        found = self.rows_found + self.columns_found
        return (round(found / total, 3) if total else 0.0, found)


class SheetText:
    """The text cells of one sheet, normalised once; the cells each label is like, found once per label."""

    def __init__(
        self, name: str, grid: Grid, merges: Iterable[tuple[int, int, int, int]] = (), hidden: bool = False
    ) -> None:
        self.name = name
        self.grid = grid
        self.hidden = hidden
        self.merges = list(merges)  # kept as ranges: a merge may span a whole sheet
        self.spans = {(r0, c0): (c0, c1) for r0, c0, _, c1 in self.merges}  # anchor -> the columns it spans
        self.start: int | None = None  # the first row of this view, when it is one block of the sheet
        self.cells: list[tuple[int, int, str, str]] = [
            (r, c, v, key_of(v))
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if isinstance(v, str) and v.strip()
        ]
        self._found: dict[str, list[Hit]] = {}
        self._signature: object = None

    @property
    def signature(self) -> object:
        """All a match depends on: name, visibility, the text cells, the merges and which cells are empty."""
        if self._signature is None:
            filled = tuple([tuple([v is not None and v != "" for v in row]) for row in self.grid])
            self._signature = (self.name, self.hidden, self.start, tuple(self.cells), tuple(self.merges), filled)
        return self._signature

    def find(self, label: str, rows: range | None = None) -> list[Hit]:
        """The cells like ``label`` (in ``rows`` when given), in sheet order."""
        want = key_of(label)
        hits = self._found.get(want)
        if hits is None:
            hits = [Hit(r, c, s, raw) for r, c, raw, text in self.cells if (s := similarity(want, text)) >= FUZZY]
            self._found[want] = hits
        return [h for h in hits if rows is None or h.row in rows]

    def columns(self, hit: Hit) -> tuple[int, int]:
        """The columns a header cell heads: its merged range, else itself and the empty cells right of it."""
        if (hit.row, hit.col) in self.spans:
            return self.spans[(hit.row, hit.col)]
        row = self.grid[hit.row]
        stop = min([c0 for r0, c0, r1, _ in self.merges if r0 <= hit.row <= r1 and c0 > hit.col], default=len(row))
        end = hit.col
        while end + 1 < stop and row[end + 1] in ("", None):
            end += 1
        return hit.col, end

    def part(self, rows: range, cols: range | None = None) -> SheetText:
        """The same sheet with only the text cells of these rows and columns (one of several copies)."""
        view = copy.copy(self)
        view.cells = [cell for cell in self.cells if cell[0] in rows and (cols is None or cell[1] in cols)]
        view.start = rows.start
        view._found = {}
        view._signature = None
        return view


def match_table(spec: Spec, table: Table, sheet: SheetText) -> TableMatch:
    """Where this table's cells are on this sheet (as far as its labels tell).

    Remembered for sheets that print the same texts in the same places (with the same cells empty): a
    county's reports made from one template are matched once.
    """
    key = (id(spec), id(table), sheet.signature)
    known = _MATCHES.get(key)
    if known is None or known[0] is not spec or known[1] is not table:
        known = (spec, table, _match_table(spec, table, sheet))
        if len(_MATCHES) >= CACHED_MATCHES:
            _MATCHES.pop(next(iter(_MATCHES)))
        _MATCHES[key] = known
    m = known[2]
    return replace(
        m,
        cells=dict(m.cells),
        misprints=list(m.misprints),
        missing=list(m.missing),
        units=dict(m.units),
        passed_over=[],
        _header_units=dict(m._header_units),
    )


CACHED_MATCHES = 4096  # tables matched on sheets remembered (oldest forgotten first)
_MATCHES: dict[tuple[int, int, object], tuple[Spec, Table, TableMatch]] = {}


def _match_table(spec: Spec, table: Table, sheet: SheetText) -> TableMatch:
    m = TableMatch(spec, table, sheet.name, hidden=sheet.hidden, block=sheet.start is not None)
    placed = place_rows(table, sheet)
    leaf_rows = [leaf for b in table.blocks for leaf in forest_leaves(b.rows)]
    # Rows of every block, so a block's headers are sought below the rows printed above it, wherever
    # the blocks stand (table 二's blocks in another order).
    taken = [h.row for h, leaf in zip(placed, leaf_rows, strict=True) if h is not None and leaf.id]
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
            above = max((r for r in taken if r < first), default=-1)
            cols = _block_columns(block, sheet, _header_band(block, sheet, above, first), m)
        else:
            rows, cols = _unlabelled_block(block, sheet, prev_end, m)
            if not rows:
                continue
            taken += rows.values()
        prev_end = max(rows.values())
        for rid, r in rows.items():
            for cid, hit in cols.items():
                m.cells[f"{table.id}.{rid}.{cid}"] = (r, hit.col)
                if stated := m._header_units.get((hit.row, hit.col)):
                    m.units[f"{table.id}.{rid}.{cid}"] = stated
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
    """Each leaf column's header cell, matched by its whole path (group -> leaf) through the merged ranges.

    A repeated leaf label (结果维持 under three groups of table 四) goes to the cell under its own
    groups, wherever the groups stand; with no group header to tell, repeated labels go left to right.
    """
    paths = forest_paths(block.columns)
    groups = {key_of(n.label) for path in paths for n in path[:-1]}
    above = [(key, h, sheet.columns(h)) for key in sorted(groups) for h in sheet.find(key, band)]
    m.columns_total += len(paths)
    options: list[tuple[int, int, int, Hit]] = []  # (-net score, leaf index, column, hit)
    for k, path in enumerate(paths):
        mine = {key_of(n.label) for n in path[:-1]}
        for hit in _distinct(sheet.find(path[-1].label, band)):
            over = {key for key, g, (c0, c1) in above if g.row < hit.row and c0 <= hit.col <= c1}
            options.append((len(over - mine) - len(over & mine), k, hit.col, hit))
    out: dict[str, Hit] = {}
    placed: set[int] = set()
    used: set[tuple[int, int]] = set()
    for _, k, _, hit in sorted(options, key=lambda o: o[:3]):
        if k in placed or (hit.row, hit.col) in used:
            continue
        placed.add(k)
        used.add((hit.row, hit.col))
        leaf = paths[k][-1]
        if leaf.id:
            out[leaf.id] = hit
            if (stated := header_unit(sheet, hit, band))[0]:
                m._header_units[(hit.row, hit.col)] = stated
            m.columns_found += 1
            if hit.score < 0.93:
                m.misprints.append((hit.text, leaf.label, hit.row, hit.col))
    m.missing += [("column", path[-1].label) for k, path in enumerate(paths) if k not in placed]
    # Group headers locate nothing themselves, but a misprint in one is still worth telling.
    for label in sorted({n.label for path in paths for n in path[:-1]}):
        hits = sheet.find(label, band)
        if hits and max(h.score for h in hits) < 0.93:
            hit = max(hits, key=lambda h: h.score)
            m.misprints.append((hit.text, label, hit.row, hit.col))
    return out


def _distinct(hits: list[Hit]) -> list[Hit]:
    """One hit per column (the lowest, nearest the data)."""
    out: dict[int, Hit] = {}
    for h in sorted(hits, key=lambda h: (h.col, -h.row)):
        out.setdefault(h.col, h)
    return list(out.values())


def header_unit(sheet: SheetText, hit: Hit, band: range) -> tuple[str, int, int, str]:
    """The unit a column's header states (its own note, else a note cell such as "单位：元" over the block).

    Returns (unit, row, column, text) of the cell stating it; unit "" when none is stated.
    """
    unit = unit_note(key_of(hit.text))[1]
    if unit:
        return unit, hit.row, hit.col, hit.text
    for r, c, raw, key in sheet.cells:
        if band.start - 1 <= r < band.stop:
            base, unit = unit_note(key)
            if unit and not base:
                return unit, r, c, raw
    return "", hit.row, hit.col, hit.text
