"""The official layout of a statistical table as a grid of (possibly merged) items.

One layout serves the Excel template, the HTML and DOCX report tables and the county summary sheet,
so the three look alike and follow the format's merged headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..normalize import with_agency
from .compiled import Block, Header, Table

Kind = Literal["caption", "corner", "colhead", "rowhead", "data"]


@dataclass(frozen=True)
class Item:
    row: int
    col: int
    rowspan: int
    colspan: int
    kind: Kind
    text: str = ""
    text_en: str = ""
    cell_id: str | None = None
    group: bool = False  # a header with children
    headers: tuple[tuple[int, int], ...] = ()  # for data: (row, col) of every header that describes it

    @property
    def key(self) -> str:
        """A name unique within the table (for HTML ids)."""
        return f"r{self.row}c{self.col}"

    def label(self, lang: str = "zh", agency: str = "") -> str:
        """The text shown; a spec label may name the agency as ``{agency}`` (a local table's column)."""
        return with_agency(self.text_en if lang == "en" and self.text_en else self.text, agency, lang)


@dataclass
class Layout:
    table: Table
    items: list[Item] = field(default_factory=list)
    width: int = 0
    height: int = 0
    label_cols: int = 0  # leading columns that hold row labels
    header_rows: tuple[int, int] = (0, 0)  # first band of column headers, for "repeat rows" in print

    @cached_property
    def positions(self) -> dict[str, tuple[int, int]]:
        return {i.cell_id: (i.row, i.col) for i in self.items if i.cell_id}

    def rows(self) -> list[list[Item]]:
        """Items grouped by their top row, in order (what an HTML <tr> holds)."""
        out: list[list[Item]] = [[] for _ in range(self.height)]
        for item in sorted(self.items, key=lambda i: (i.row, i.col)):
            out[item.row].append(item)
        return out


def _depth(nodes: tuple[Header, ...]) -> int:
    return max((n.depth() for n in nodes), default=0)


def table_layout(table: Table) -> Layout:
    """Lay out every block of a grid table under one common width."""
    label_cols = max((_depth(b.rows) for b in table.blocks if b.row_header), default=0)
    data_cols = max(len([leaf for c in b.columns for leaf in c.leaves()]) for b in table.blocks)
    layout = Layout(table, width=label_cols + data_cols, label_cols=label_cols)
    r = 0
    for n, block in enumerate(table.blocks):
        r = _place_block(layout, block, r, table.id)
        if n == 0:
            first_header = 1 if block.caption else 0
            layout.header_rows = (first_header, first_header + _depth(block.columns) - 1)
    layout.height = r
    return layout


def _place_block(layout: Layout, block: Block, r: int, table_id: str) -> int:
    """Place one block (caption, column headers, row headers, data) from row ``r``; the row after it."""
    if block.caption:
        layout.items.append(Item(r, 0, 1, layout.width, "caption", block.caption))
        r += 1
    caption = ((r - 1, 0),) if block.caption else ()
    leaves = [leaf for c in block.columns for leaf in c.leaves()]
    widths = [1] * len(leaves)
    widths[-1] += (layout.width - layout.label_cols) - len(leaves)  # a narrower block stretches its last column
    offsets = [layout.label_cols + sum(widths[:k]) for k in range(len(leaves))]
    hdepth = _depth(block.columns)
    if layout.label_cols:
        layout.items.append(Item(r, 0, hdepth, layout.label_cols, "corner", block.corner or ""))
    column_heads = _place_columns(layout, block, r, leaves, widths, offsets)
    r += hdepth
    row_leaves = [leaf for n in block.rows for leaf in n.leaves()]
    row_heads = _place_rows(layout, block, r, row_leaves)
    for j, rleaf in enumerate(row_leaves):
        for k, cleaf in enumerate(leaves):
            layout.items.append(
                Item(
                    r + j,
                    offsets[k],
                    1,
                    widths[k],
                    "data",
                    cell_id=f"{table_id}.{rleaf.id}.{cleaf.id}",
                    headers=(*caption, *column_heads[k], *row_heads[j]),
                )
            )
    return r + len(row_leaves)


def _place_columns(
    layout: Layout, block: Block, r: int, leaves: list[Header], widths: list[int], offsets: list[int]
) -> list[list[tuple[int, int]]]:
    """The column headers from row ``r``; for each leaf column, the (row, col) of every header above it."""
    hdepth = _depth(block.columns)
    leaf_index = {id(leaf): k for k, leaf in enumerate(leaves)}
    column_heads: list[list[tuple[int, int]]] = [[] for _ in leaves]

    def place_col(node: Header, depth: int) -> None:
        ks = [leaf_index[id(leaf)] for leaf in node.leaves()]
        col = offsets[ks[0]]
        span = sum(widths[k] for k in ks)
        rowspan = 1 if node.children else hdepth - depth
        layout.items.append(
            Item(r + depth, col, rowspan, span, "colhead", node.label, node.label_en, group=bool(node.children))
        )
        for k in ks:
            column_heads[k].append((r + depth, col))
        for child in node.children:
            place_col(child, depth + 1)

    for node in block.columns:
        place_col(node, 0)
    return column_heads


def _place_rows(layout: Layout, block: Block, r: int, row_leaves: list[Header]) -> list[list[tuple[int, int]]]:
    """The row headers from row ``r``; for each leaf row, the (row, col) of every header beside it."""
    lc = layout.label_cols
    row_index = {id(leaf): k for k, leaf in enumerate(row_leaves)}
    row_heads: list[list[tuple[int, int]]] = [[] for _ in row_leaves]

    def place_row(node: Header, depth: int) -> None:
        ks = [row_index[id(leaf)] for leaf in node.leaves()]
        for k in ks:
            row_heads[k].append((r + ks[0], depth))
        if node.children:
            layout.items.append(Item(r + ks[0], depth, len(ks), 1, "rowhead", node.label, node.label_en, group=True))
            for child in node.children:
                place_row(child, depth + 1)
        else:
            layout.items.append(Item(r + ks[0], depth, 1, lc - depth, "rowhead", node.label, node.label_en))

    if block.row_header and lc:
        for node in block.rows:
            place_row(node, 0)
    return row_heads
