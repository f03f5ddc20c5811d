"""Placing a table's row labels on a sheet by their whole path (group -> leaf), groups in any order.

A row leaf is found by its own label and by its groups: the group labels to its left in the
row-header columns, each reaching down over its merged range or, without a vertical merge, down to
the next text in its column. Of a leaf's hits, only those under the most of its own groups (and
the fewest of other groups) are kept, so a repeated label (其他, 总计, a numbered leaf "1.…")
goes to the cell under its own group. The hits are then aligned in order, once in the official
order and once in the order the groups and blocks stand on the sheet; the better alignment wins,
a tie going to the official order, so a table laid out officially is read exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import count
from statistics import median
from typing import TYPE_CHECKING

from ..normalize import label_key
from ..spec import Block, Header, Table
from ..spec.compiled import forest_paths

if TYPE_CHECKING:
    from .labels import Hit, SheetText

Reach = tuple[str, int, int, int]  # (group key, column, first row, last row) of a group label on the sheet
CACHED = 1 << 16  # label keys (and label pairs, in .labels) remembered: the printed labels of reports repeat


@lru_cache(maxsize=CACHED)
def key_of(label: str) -> str:
    """:func:`~zfxxgk.normalize.label_key`, remembered (a spec's labels are looked for on every sheet)."""
    return label_key(label)


def place_rows(table: Table, sheet: SheetText) -> list[Hit | None]:
    """One hit (or none) per leaf row of the table, leaves in the table's order (all blocks)."""
    options: list[list[Hit]] = []
    for block in table.blocks:
        paths = forest_paths(block.rows)
        if not block.row_header:
            options += [[] for _ in paths]
            continue
        reach = _group_reach(block, sheet)
        for path in paths:
            mine = {key_of(n.label) for n in path[:-1]}
            options.append(_own_group_hits(sheet.find(path[-1].label), mine, reach))
    official = _align(options)
    order = _sheet_order(table, [max(o, key=lambda h: (h.score, -h.row)).row if o else None for o in options])
    if order == sorted(order):
        return official
    moved = _align([options[i] for i in order])
    alternative: list[Hit | None] = [None] * len(options)
    for k, i in enumerate(order):
        alternative[i] = moved[k]
    return alternative if _total(alternative) > _total(official) else official


def _total(placed: list[Hit | None]) -> float:
    return sum(h.score for h in placed if h is not None)


def _group_reach(block: Block, sheet: SheetText) -> list[Reach]:
    """Where each group label of the block stands and the rows it reaches down over."""
    groups = {key_of(n.label) for path in forest_paths(block.rows) for n in path[:-1]}
    if not groups:
        return []
    down = {(r0, c0): r1 for r0, c0, r1, _ in sheet.merges if r1 > r0}
    texts: dict[int, list[int]] = {}
    for r, c, _, _ in sheet.cells:
        texts.setdefault(c, []).append(r)
    out = []
    for key in sorted(groups):
        for g in sheet.find(key):
            last = down.get((g.row, g.col))
            if last is None:
                below = [r for r in texts.get(g.col, []) if r > g.row]
                last = min(below) - 1 if below else len(sheet.grid) - 1
            out.append((key, g.col, g.row, last))
    return out


def _own_group_hits(hits: list[Hit], mine: set[str], reach: list[Reach]) -> list[Hit]:
    """The hits under the most of the leaf's own groups and the fewest of the others."""

    def net(hit: Hit) -> int:
        over = {key for key, c, r0, r1 in reach if c < hit.col and r0 <= hit.row <= r1}
        return len(over - mine) - len(over & mine)

    if not reach or len(hits) < 2:
        return hits
    nets = [net(h) for h in hits]
    return [h for h, n in zip(hits, nets, strict=True) if n == min(nets)]


def _sheet_order(table: Table, rows: list[int | None]) -> list[int]:
    """The leaf indices in the order the table's blocks and groups stand on the sheet (each by the
    median row of its leaves found; one with none found keeps its place after its predecessor)."""
    index = count()
    return _arranged([_subtree(block.rows, index, rows) for block in table.blocks])[0]


def _subtree(nodes: tuple[Header, ...], index: Iterator[int], rows: list[int | None]) -> tuple[list[int], list[int]]:
    kids = []
    for node in nodes:
        if node.children:
            kids.append(_subtree(node.children, index, rows))
        else:
            i = next(index)
            row = rows[i]
            kids.append(([i], [row] if row is not None else []))
    return _arranged(kids)


def _arranged(kids: list[tuple[list[int], list[int]]]) -> tuple[list[int], list[int]]:
    """Siblings (leaf indices, rows found) sorted by where they stand; all their leaves and rows."""
    keyed = []
    last = -1.0
    for n, (leaves, rows) in enumerate(kids):
        if rows:
            last = float(median(rows))
        keyed.append((last, n, leaves))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [i for _, _, leaves in keyed for i in leaves], [r for _, rows in kids for r in rows]


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
