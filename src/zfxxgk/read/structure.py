"""A template's structure verified, not trusted: where each cell of the hidden map is now.

Excel, WPS and LibreOffice move the defined names (and rewrite formulas) when rows or columns are
inserted, deleted or moved, but not the hidden map. So each cell is looked for, in this order of trust:

1. its defined name, when the labels the template wrote beside it (its row label in its row, its
   column label above it in its column) are still there;
2. the hidden map, when the labels are there;
3. the labels alone: the one row holding its row label and the one column holding its column label;
4. when the template wrote no label for it (or the labels are gone but a position is known): the
   defined name, else the map, if they agree; else the cell is not read.

Any cell found somewhere else than the map says, or not found, gives one ``structure-changed`` error
naming the sheets and what moved.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..contract import Pos, defined_name
from ..findings import Finding, make
from ..messages import text
from ..normalize import label_key, with_agency
from ..spec import Spec
from ..spec.cache import per_spec
from ..spec.layout import table_layout
from .package import Grid, Package, a1_to_rc, value_at
from .refs import rc_to_a1

log = logging.getLogger(__name__)

Labels = tuple[tuple[str, ...], tuple[str, ...]]  # label keys in the cell's row, label keys above it in its column


@dataclass
class Located:
    """Where the cells of a template are now."""

    where: dict[str, tuple[str, str]] = field(default_factory=dict)  # cell id -> (sheet, A1) as found
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)  # relocated cell id -> where the map had it
    unread: dict[str, str] = field(default_factory=dict)  # cell id -> its sheet (present), for cells found nowhere
    findings: list[Finding] = field(default_factory=list)
    layout: Layout | None = None  # shared by the returns of one template whose every cell is where it was written


def expected_labels(spec: Spec, agency: str) -> dict[str, Labels]:
    """The labels the template writes for each cell: its leaf row header, its leaf column header.

    Taken from the format's official layout of each table (the same layout the writer lays out), and for
    the one-value-per-row forms (文字部分, 填报说明) from their row labels. Computed once per spec
    (:func:`_spec_labels`); only the few labels that name the agency are made for each file.
    """
    fixed, named = _spec_labels(spec)
    if not named:
        return fixed
    out = dict(fixed)
    for cell_id, (row, col) in named.items():
        out[cell_id] = (
            tuple(label_key(with_agency(t, agency)) for t in row),
            tuple(label_key(with_agency(t, agency)) for t in col),
        )
    return out


@per_spec
def _spec_labels(spec: Spec) -> tuple[dict[str, Labels], dict[str, tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Label keys of the cells whose labels do not name the agency, and the label texts of those that do."""
    fixed: dict[str, Labels] = {}
    named: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for table in spec.grid_tables:
        layout = table_layout(table)
        items = {(i.row, i.col): i for i in layout.items}
        for item in layout.items:
            if not item.cell_id:
                continue
            heads = [items[h] for h in item.headers if h in items and items[h].text]
            row = tuple(h.text for h in heads if h.kind == "rowhead" and h.row == item.row)
            col = tuple(h.text for h in heads if h.kind == "colhead" and h.col == item.col)
            if any("{agency}" in t for t in row + col):
                named[item.cell_id] = (row, col)
                fixed.pop(item.cell_id, None)
            else:
                fixed[item.cell_id] = (tuple(map(label_key, row)), tuple(map(label_key, col)))
                named.pop(item.cell_id, None)
    for table in (t for t in spec.tables.values() if t.kind == "form"):
        for cell_id in table.cells:
            fixed[cell_id] = ((label_key(spec.cells[cell_id].row_path[-1]),), ())
            named.pop(cell_id, None)
    return fixed, named


def _named_labels(spec: Spec) -> Mapping[str, object]:
    """The cells whose labels name the agency (made for each file, so never part of a :class:`Layout`)."""
    return _spec_labels(spec)[1]


class _SheetLabels:
    """The label keys of one sheet, by row and by column, each worked out when first asked for."""

    def __init__(self, grid: list[list[object]]) -> None:
        self.grid = grid
        self._rows: dict[int, set[str]] = {}
        self._first: dict[int, dict[str, int]] = {}  # column -> label key -> the first row holding it there

    def _row(self, r: int) -> set[str]:
        keys = self._rows.get(r)
        if keys is None:
            row = self.grid[r] if 0 <= r < len(self.grid) else []
            keys = self._rows[r] = {label_key(v) for v in row if isinstance(v, str) and v.strip()}
        return keys

    def _column(self, c: int) -> dict[str, int]:
        first = self._first.get(c)
        if first is None:
            first = self._first[c] = {}
            for r, row in enumerate(self.grid):
                v = row[c] if 0 <= c < len(row) else None
                if isinstance(v, str) and v.strip():
                    first.setdefault(label_key(v), r)
        return first

    @cached_property
    def where(self) -> dict[str, set[tuple[int, int]]]:
        """Label key -> every position holding it (needed only when a cell is searched for)."""
        out: dict[str, set[tuple[int, int]]] = {}
        for r, row in enumerate(self.grid):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.strip():
                    out.setdefault(label_key(value), set()).add((r, c))
        return out

    def agrees(self, r: int, c: int, labels: Labels) -> bool:
        row, col = labels
        if row and not all(k in self._row(r) for k in row):
            return False
        if col:
            above = self._column(c)
            return all(above.get(k, r) < r for k in col)
        return True

    def witnesses(self, r: int, c: int, labels: Labels) -> list[tuple[int, int, str]]:
        """The label cells that make the cell at (r, c) agree with ``labels``: (row, column, text as written)."""
        row, col = labels
        out = []
        for k in row:
            c2 = next(c2 for c2, v in enumerate(self.grid[r]) if isinstance(v, str) and v.strip() and label_key(v) == k)
            out.append((r, c2, str(self.grid[r][c2])))
        for k in col:
            r2 = self._column(c)[k]
            out.append((r2, c, str(self.grid[r2][c])))
        return out

    def search(self, labels: Labels) -> tuple[int, int] | None:
        """The one position whose row holds the row labels and whose column holds the column labels."""
        row, col = labels
        if not row or not col:
            return None
        rows = set.intersection(*({r for r, _ in self.where.get(k, set())} for k in row))
        cols = set.intersection(*({c for _, c in self.where.get(k, set())} for k in col))
        hits = [(r, c) for r in rows for c in cols if self.agrees(r, c, labels)]
        return hits[0] if len(hits) == 1 else None


@lru_cache(maxsize=8192)  # the same few hundred positions in every return of a template
def _pos(where: tuple[str, str] | None) -> Pos | None:
    if where is None:
        return None
    try:
        return (where[0], *a1_to_rc(where[1]))
    except ValueError:
        return None


def locate_cells(pkg: Package, spec: Spec, cell_map: Mapping[str, tuple[str, str]], agency: str, lang: str) -> Located:
    """Where each cell of the spec is now, on the sheets the file has (see the module's order of trust).

    Returns of one template carry the same map and names: the first such return leaves a
    :class:`Layout` of the cells found as written and the label cells that showed it; a later return
    whose label cells all hold the same labels has those cells where they were (see :meth:`Layout.holds`).
    """
    sheets = {s.name for s in pkg.sheets}
    labels = expected_labels(spec, agency)
    found: dict[str, _SheetLabels] = {}
    out = Located()
    names = pkg.defined_names
    layout = _layout_for(spec, cell_map, names)
    known = layout.where if layout is not None and layout.holds(pkg, sheets) else {}
    fresh = Layout(spec, cell_map, names) if layout is None else None
    unmapped = False
    for cell_id, name in _names(spec).items():
        if cell_id in known:
            out.where[cell_id] = known[cell_id]
            continue
        mapped, named = _pos(cell_map.get(cell_id)), _pos(names.get(name))
        home = (mapped or named or ("",))[0]
        if home not in sheets:
            continue  # the caller reports the missing sheet
        if home not in found:
            found[home] = _SheetLabels(pkg.grid(home))
        expected = labels.get(cell_id, ((), ()))
        if mapped is not None and named == mapped and found[home].agrees(mapped[1], mapped[2], expected):
            pos: Pos | None = mapped  # as written: what _choose would choose, found at once
            if fresh is not None and cell_id not in _named_labels(spec):
                fresh.add(cell_id, mapped, found[home].witnesses(mapped[1], mapped[2], expected))
        else:
            pos = _choose(found[home], home, mapped, named, expected)
        if pos is None:
            out.unread[cell_id] = home
            continue
        out.where[cell_id] = (pos[0], _a1(pos[1], pos[2]))
        if mapped is not None and pos != mapped:
            out.moved[cell_id] = (mapped[0], _a1(mapped[1], mapped[2]))
        elif mapped is None:
            unmapped = True  # found by its name or labels, which may be elsewhere in another return
    if fresh is not None:
        _remember(fresh)
    if out.moved or out.unread:
        out.findings.append(_finding(out, cell_map, lang))
    elif not unmapped and (known or (fresh is not None and fresh.where)):
        out.layout = layout if known else fresh
    return out


class Layout:
    """The cells of one template (spec, map, defined names) found as written, and what showed it.

    ``witnesses`` are label cells (sheet, row, column, text): a cell agrees with its labels when its
    row holds each row label and each column label first appears above it in its column (see
    :meth:`_SheetLabels.agrees`). When every witness cell of another return holds the same text, that
    stays true of each cell recorded here (a label first seen at a witness above the cell is first
    seen there or higher), so the cell is where the map and the name say, as the full search would find.
    """

    def __init__(self, spec: Spec, cell_map: Mapping[str, tuple[str, str]], names: Mapping[str, tuple[str, str]]):
        self.key = (spec, cell_map, names)
        self.spec_hash = spec.hash
        self.where: dict[str, tuple[str, str]] = {}
        self.witnesses: dict[tuple[str, int, int], str] = {}
        self.memo: dict[str, Any] = {}  # what later stages derive from the positions alone (expected formulas)

    def add(self, cell_id: str, pos: Pos, witnesses: list[tuple[int, int, str]]) -> None:
        self.where[cell_id] = (pos[0], _a1(pos[1], pos[2]))
        for r, c, raw in witnesses:
            self.witnesses[(pos[0], r, c)] = raw

    def holds(self, pkg: Package, sheets: set[str]) -> bool:
        """Whether every witness cell of ``pkg`` holds the text it held in the return that made this layout."""
        grids: dict[str, Grid] = {}
        for (sheet, r, c), raw in self.witnesses.items():
            if sheet not in grids:
                if sheet not in sheets:
                    return False
                grids[sheet] = pkg.grid(sheet)
            if value_at(grids[sheet], r, c) != raw:
                return False
        return True


_LAYOUTS: list[Layout] = []  # the few templates a batch reads, most recent first
_MAX_LAYOUTS = 8


def _layout_for(
    spec: Spec, cell_map: Mapping[str, tuple[str, str]], names: Mapping[str, tuple[str, str]]
) -> Layout | None:
    """The layout made from an earlier return of the same template (the same shared map and names objects)."""
    for layout in _LAYOUTS:
        s, m, n = layout.key
        if s is spec and m is cell_map and n is names and layout.spec_hash == spec.hash:
            return layout
    return None


def _remember(layout: Layout) -> None:
    if layout.where:
        _LAYOUTS.insert(0, layout)
        del _LAYOUTS[_MAX_LAYOUTS:]


def _a1(r: int, c: int) -> str:
    return rc_to_a1(r, c) if r >= 0 and c >= 0 else xl_rowcol_to_cell(r, c)  # xlsxwriter's '' for row -1


@per_spec
def _names(spec: Spec) -> dict[str, str]:
    """Cell id -> its defined name, in the spec's order."""
    return {cell_id: defined_name(cell_id) for cell_id in spec.cells}


def _choose(sheet: _SheetLabels, home: str, mapped: Pos | None, named: Pos | None, labels: Labels) -> Pos | None:
    candidates = [p for p in (named, mapped) if p is not None and p[0] == home]
    if labels[0] or labels[1]:
        for pos in candidates:
            if sheet.agrees(pos[1], pos[2], labels):
                return pos
        hit = sheet.search(labels)
        if hit is not None:
            return (home, *hit)
        return mapped if mapped is not None and mapped == named else None
    return candidates[0] if candidates else None


def with_totals(spec: Spec, cells: set[str]) -> frozenset[str]:
    """The cells and every total computed from them (a total over a lost cell is not what the report says)."""
    out = set(cells)
    if out:
        for cell_id in spec.computed_order:
            form = spec.cells[cell_id].formula
            if form is not None and any(t.cell in out for t, _ in form.terms):
                out.add(cell_id)
    return frozenset(out)


def _finding(out: Located, cell_map: Mapping[str, tuple[str, str]], lang: str) -> Finding:
    sep = text("common.list-separator", lang)
    pairs: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for cell_id, (sheet, a1) in out.where.items():
        old = _pos(cell_map.get(cell_id))
        if old is not None and old[0] == sheet:
            pairs.setdefault(sheet, []).append(((old[1], old[2]), a1_to_rc(a1)))
    parts = []
    changed = sorted({s for s, _ in out.moved.values()} | set(out.unread.values()))
    for sheet in changed:
        moves = pairs.get(sheet, [])
        said = _axis([(o[0], n[0]) for o, n in moves], "row", lang) + _axis(
            [(o[1], n[1]) for o, n in moves], "column", lang
        )
        lost = [c for c, s in out.unread.items() if s == sheet]
        if lost:
            said.append(text("structure.unread", lang, n=len(lost)))
        parts.append(text("structure.sheet", lang, sheet=sheet, changes=sep.join(said)))
    if out.moved:
        parts.append(text("structure.relocated", lang, n=len(out.moved)))
    detail = text("structure.separator", lang).join(parts)
    return make("structure-changed", lang, sheet=changed[0], detail=detail)


def _axis(pairs: list[tuple[int, int]], axis: str, lang: str) -> list[str]:
    """What happened along one axis, from (old, new) indexes of the cells found: insertions, deletions, moves."""
    by_old: dict[int, Counter[int]] = {}
    for old, new in pairs:
        by_old.setdefault(old, Counter())[new] += 1
    steps = sorted((old, news.most_common(1)[0][0]) for old, news in by_old.items())
    if not steps:
        return []
    unit = text("structure.row", lang) if axis == "row" else text("structure.column", lang)

    def at(i: int) -> str:
        return str(i + 1) if axis == "row" else xl_col_to_name(i)

    news = [n for _, n in steps]
    if news != sorted(news):  # not monotonic: something was moved
        shifts = Counter(n - o for o, n in steps)
        common = max(shifts, key=lambda d: (shifts[d], d == 0))
        moved = [(o, n) for o, n in steps if n - o != common and n != o]
        return [text("structure.moved", lang, at=at(o), to=at(n), unit=unit) for o, n in moved[:3]]
    out = []
    shift = 0
    for k, (old, new) in enumerate(steps):
        delta = new - old
        if delta != shift:
            where = (
                text("structure.before", lang, at=at(old), unit=unit)
                if k == 0
                else text("structure.after", lang, at=at(steps[k - 1][0]), unit=unit)
            )
            key = "structure.inserted" if delta > shift else "structure.deleted"
            out.append(text(key, lang, where=where, n=abs(delta - shift), unit=unit))
            shift = delta
    return out
