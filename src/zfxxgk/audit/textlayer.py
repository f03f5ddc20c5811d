"""Text layers where a table row is one run of digits ("一、本年新收政府信息公开申请数量 690000069").

Each row label of the spec is searched in order in the flattened text; the digits right after it are
the row's cells. A cell is read only when it is certain: the digits (and the spaces that separate some
of them) must split into the row's cells in exactly one way. When they split in several ways, the row's
cells stay unverifiable (``extraction-ambiguous``), never guessed: no identity picks a reading (that would
make the identity pass by construction).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..normalize import label_key, unit_note
from ..read.choice import spec_votes
from ..spec import Block, Spec, Table
from ..spec.compiled import Header, forest_leaves
from .prose import MARK

Number = int | Decimal

MAX_READINGS = 64  # splits enumerated per row before the row is called ambiguous
MAX_DIGITS = 60  # a longer run is not a table row
MAX_DROPPED = 2  # leading characters a printed row label may lack ("规范性文件" for "行政规范性文件")
MIN_SHORTENED = 4  # a shorter remainder is not taken for the label
_ITEM_NUMBER = re.compile(r"^\d+\.")
_PAYLOAD = re.compile(r"(?:\d|\s|\.(?=\d))*")  # digits, spaces, and a decimal point between digits ("16220.85")
_NOTE = re.compile(r"\([^()\d]{1,8}\)")  # a bracketed note right after a row label, as labels fold
_NEXT_ITEM = re.compile(r"\s*" + MARK)  # the item number of the next label follows ("00000002.其他")


@dataclass
class RowRead:
    """What one row's digits gave: the values (when certain), or why not."""

    label: str
    offset: int
    digits: str
    cells: list[str]  # cell ids of the row, in printed order
    values: list[Number] | None  # None: unverifiable; [] never
    readings: int = 1
    blank: bool = False
    printed: str = ""  # the label as printed, when it lacks the form's first characters


@dataclass
class TextTable:
    spec: Spec
    table: Table
    rows: list[RowRead] = field(default_factory=list)
    rows_found: int = 0
    rows_total: int = 0
    end: int = 0

    @property
    def quality(self) -> tuple[float, int]:
        return (round(self.rows_found / self.rows_total, 3) if self.rows_total else 0.0, self.rows_found)


class Flat:
    """The text with every character folded as labels are compared, and where each folded one came from."""

    def __init__(self, text: str) -> None:
        self.text = text
        folded: list[str] = []
        self.origin: list[int] = []
        for i, ch in enumerate(text):
            for f in label_key(ch):
                folded.append(f)
                self.origin.append(i)
        self.folded = "".join(folded)

    def find(self, label: str, start: int) -> tuple[int, int] | None:
        """(start, end) in the original text of the first ``label`` at or after ``start``."""
        key = label_key(label)
        if not key:
            return None
        fstart = next((k for k, o in enumerate(self.origin) if o >= start), len(self.origin))
        at = self.folded.find(key, fstart)
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(key) - 1] + 1


def _core(label: str) -> str:
    """A row label without its item number ("2.重复申请" -> "重复申请"): the number may stick to the digits before."""
    return _ITEM_NUMBER.sub("", label_key(label))


def splits(tokens: list[str], n: int) -> Iterator[list[Number]]:
    """Every way to cut the digit tokens into ``n`` numbers (no leading zeros; each token one or more numbers).

    A token with a decimal point ("547.9659") ends with the number that carries it: its whole digits are cut
    as any token's, and the fraction stays with the last of them.
    """

    def cut(token: str, k: int) -> Iterator[list[str]]:
        if k == 1:
            if token == "0" or not token.startswith("0"):
                yield [token]
            return
        for i in range(1, len(token) - k + 2):
            head = token[:i]
            if head != "0" and head.startswith("0"):
                continue
            for rest in cut(token[i:], k - 1):
                yield [head, *rest]

    def cut_token(token: str, k: int) -> Iterator[list[str]]:
        whole, point, fraction = token.partition(".")
        for parts in cut(whole, k):
            yield [*parts[:-1], parts[-1] + point + fraction]

    def go(i: int, left: int) -> Iterator[list[str]]:
        if i == len(tokens):
            if left == 0:
                yield []
            return
        remaining = len(tokens) - i - 1
        for k in range(1, min(len(tokens[i].partition(".")[0]), left - remaining) + 1):
            for head in cut_token(tokens[i], k):
                for rest in go(i + 1, left - k):
                    yield head + rest

    if any(t.count(".") > 1 or t.startswith(".") or t.endswith(".") for t in tokens):
        return
    for parts in go(0, n):
        yield [Decimal(p) if "." in p else int(p) for p in parts]


def read_row(row_cells: list[str], digits: str) -> tuple[list[Number] | None, int]:
    """(values, or None when the digits do not split into the row's cells in exactly one way; readings)."""
    tokens = digits.split()
    if sum(map(len, tokens)) > MAX_DIGITS:
        return None, 0
    readings: list[list[Number]] = []
    for reading in splits(tokens, len(row_cells)):
        readings.append(reading)
        if len(readings) > MAX_READINGS:
            return None, len(readings)
    if len(readings) == 1:
        return readings[0], 1
    return None, len(readings)


def _payload(flat: Flat, end: int) -> tuple[str, int]:
    """The digits right after a label, without the item number of the next label ("00000002.其他…")."""
    m = _PAYLOAD.match(flat.text, end)
    digits = m.group(0) if m else ""
    stop = end + len(digits)
    if _NEXT_ITEM.match(flat.text, stop) and digits.rstrip() and digits.rstrip()[-1].isdigit():
        digits = digits.rstrip()[:-1]
    return digits.strip(), stop


def read_table(spec: Spec, table: Table, flat: Flat, start: int) -> TextTable:
    """The table's rows as the text prints them, from ``start`` on."""
    out = TextTable(spec, table, end=start)
    at = start
    for k, block in enumerate(table.blocks):
        leaves = forest_leaves(block.rows)
        out.rows_total += len(leaves)
        anchor = _anchor(block, flat, at)
        if anchor is None:
            continue
        at = anchor
        if block.row_header:
            nxt = table.blocks[k + 1] if k + 1 < len(table.blocks) else None
            at = _labelled(spec, table, block, flat, at, out, nxt)
        else:
            at = _unlabelled(spec, table, block, flat, at, out)
        out.end = max(out.end, at)
    return out


def _anchor(block: Block, flat: Flat, at: int) -> int | None:
    """Where a block starts: after its caption or corner text when it has one."""
    for label in (block.caption, block.corner):
        if label:
            found = flat.find(label, at)
            return found[1] if found else None
    return at


def _labelled(
    spec: Spec, table: Table, block: Block, flat: Flat, at: int, out: TextTable, nxt: Block | None = None
) -> int:
    columns = [leaf.id for leaf in forest_leaves(block.columns) if leaf.id]
    leaves = forest_leaves(block.rows)
    for i, leaf in enumerate(leaves):
        found = flat.find(_core(leaf.label), at) if leaf.id else None
        printed = ""
        if found is None and leaf.id:
            found, printed = _shortened(leaf.label, flat, at, _bound(leaves[i + 1 :], nxt, flat, at))
        if found is None:
            continue
        end, unit = _unit_note(flat, found[1])
        digits, at = _payload(flat, end)
        cells = [f"{table.id}.{leaf.id}.{c}" for c in columns]
        out.rows_found += 1
        row = _row(spec, leaf.label, found[0], digits, cells)
        row.printed = printed
        if unit and all(spec.cells[c].domain.unit != unit for c in cells):
            row.values = None  # figures in another unit than the form's ("政府集中采购（元）"): not read as the form's
        out.rows.append(row)
    return at


def _bound(rest: list[Header], nxt: Block | None, flat: Flat, at: int) -> int | None:
    """Where the next row label of the block (or the next block's caption) is printed: a row is looked for before it."""
    labels = [_core(leaf.label) for leaf in rest if leaf.id]
    labels += [label for label in ((nxt.caption or nxt.corner) if nxt else None,) if label]
    for label in labels:
        found = flat.find(label, at)
        if found is not None:
            return found[0]
    return None


def _shortened(label: str, flat: Flat, at: int, bound: int | None) -> tuple[tuple[int, int] | None, str]:
    """A row label printed without its first characters ("规范性文件" for "行政规范性文件"), before ``bound``.

    Only a row whose next label is found is looked for so, and only the row's own place (between the row
    before and the next): the label found is reported as printed.
    """
    core = _core(label)
    if bound is None:
        return None, ""
    for drop in range(1, MAX_DROPPED + 1):
        if len(core) - drop < MIN_SHORTENED:
            break
        found = flat.find(core[drop:], at)
        if found is not None and found[1] <= bound:
            return found, flat.text[found[0] : found[1]]
    return None, ""


def _unit_note(flat: Flat, end: int) -> tuple[int, str]:
    """Where a row's figures start after its label, past a unit note ("政府集中采购（元）6675809"), and that unit."""
    fstart = next((k for k, o in enumerate(flat.origin) if o >= end), len(flat.origin))
    m = _NOTE.match(flat.folded, fstart)
    if m:
        key, unit = unit_note(m.group(0))
        if unit and not key:
            return flat.origin[m.end() - 1] + 1, unit
    return end, ""


def _unlabelled(spec: Spec, table: Table, block: Block, flat: Flat, at: int, out: TextTable) -> int:
    """A block without row labels (table 四): the digits after its last column header."""
    leaves = forest_leaves(block.columns)
    end = None
    for leaf in leaves:
        found = flat.find(leaf.label, at)
        if found is None:
            return at
        at = end = found[1]
    if end is None:
        return at
    digits, stop = _payload(flat, end)
    for row in forest_leaves(block.rows):
        cells = [f"{table.id}.{row.id}.{c.id}" for c in leaves if c.id]
        out.rows_found += 1
        out.rows.append(_row(spec, row.label, end, digits, cells))
    return stop


def _row(spec: Spec, label: str, offset: int, digits: str, cells: list[str]) -> RowRead:
    if not digits:
        return RowRead(label, offset, digits, cells, None, blank=True)
    values, readings = read_row(cells, digits)
    return RowRead(label, offset, digits, cells, values, readings)


def best_tables(specs: list[Spec], text: str) -> dict[str, TextTable]:
    """For each table number: the best reading over the specs.

    As for workbooks (:func:`zfxxgk.read.choice.best_matches`), a tie (table 四 is the same in 2019 and
    2021) goes to the spec that explains the other tables best, so an unchanged table does not make a
    report look mixed.
    """
    flat = Flat(text)
    found: dict[str, list[TextTable]] = {}
    for spec in specs:
        at = 0
        for table in spec.grid_tables:
            read = read_table(spec, table, flat, at)
            if read.quality[0] >= 0.6:
                at = read.end
                found.setdefault(table.number, []).append(read)
    score = spec_votes(found.values())
    return {number: max(reads, key=lambda r: (r.quality, score.get(r.spec.id, 0))) for number, reads in found.items()}
