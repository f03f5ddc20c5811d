"""What the template writer and the return reader must agree on, in one place both import.

* the hidden metadata sheet: its key/value head (:func:`meta_rows`) and its cell map, one
  tab-separated cell per row under a header of :data:`MAP_COLUMNS` (:func:`map_line`, :func:`parse_map`);
* the defined-name scheme of cell ids (:func:`defined_name`);
* the formula text of a total (:func:`linear_formula`) and how two formula texts are compared
  (:func:`norm_formula`).

Nothing here knows where a template places its cells: positions come from the caller (the writer's
plan, or the map a returned file carries).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_rowcol_to_cell

from . import __version__

if TYPE_CHECKING:
    from .roster import Agency
    from .spec import LinearForm, Spec

log = logging.getLogger(__name__)

Pos = tuple[str, int, int]  # sheet, zero-based row, zero-based column

GENERATOR = f"zfxxgk {__version__}"
META_FORMAT = "1"
MAP_COLUMNS = ("cell_id", "sheet", "address", "role", "domain")
MAP_SEPARATOR = "\t"  # sheet names cannot hold tabs

# Keys of the metadata sheet's head, in the order they are written.
KEY_FORMAT = "zfxxgk_template"
KEY_SPEC_ID = "spec_id"
KEY_SPEC_VERSION = "spec_version"
KEY_SPEC_HASH = "spec_hash"
KEY_YEAR = "year"
KEY_AGENCY = "agency"
KEY_AGENCY_CODE = "agency_code"
KEY_GENERATOR = "generator"

AGENCY_CELL = "info.agency.value"  # where the agency's name is typed (the head's agency is who it was made for)


def meta_rows(spec: Spec, year: int, agency: Agency) -> list[tuple[str, str]]:
    """The key/value head of the hidden metadata sheet."""
    return [
        (KEY_FORMAT, META_FORMAT),
        (KEY_SPEC_ID, spec.id),
        (KEY_SPEC_VERSION, spec.version),
        (KEY_SPEC_HASH, spec.hash),
        (KEY_YEAR, str(year)),
        (KEY_AGENCY, agency.name),
        (KEY_AGENCY_CODE, agency.code),
        (KEY_GENERATOR, GENERATOR),
    ]


def map_header() -> str:
    """The text of the cell that starts the map."""
    return MAP_SEPARATOR.join(MAP_COLUMNS)


def map_line(cell_id: str, sheet: str, a1: str, role: str, domain: str) -> str:
    """One row of the map."""
    return MAP_SEPARATOR.join((cell_id, sheet, a1, role, domain))


def is_map_header(text: str) -> bool:
    return text.startswith(MAP_COLUMNS[0] + MAP_SEPARATOR)


@lru_cache(maxsize=32)
def parse_map(rows: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Cell id -> (sheet, A1) from the map's rows (cached: every return of one template carries the same map).

    The result is shared between calls: do not change it.
    """
    out: dict[str, tuple[str, str]] = {}
    for text in rows:
        fields = text.split(MAP_SEPARATOR)
        if len(fields) >= 3:
            out[fields[0]] = (fields[1], fields[2])
    return out


def defined_name(cell_id: str) -> str:
    """The workbook-level defined name of a cell id (``t3.new.natural`` -> ``ZF_T3_NEW_NATURAL``)."""
    return "ZF_" + cell_id.replace(".", "_").upper()


# --------------------------------------------------------------------------- formula text


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula quotes it: ``'a''b'``."""
    return "'" + sheet.replace("'", "''") + "'"


def rectangles(positions: Iterable[Pos]) -> list[tuple[str, int, int, int, int]]:
    """Compress cell positions into rectangles (sheet, r0, c0, r1, c1), in reading order."""
    runs: list[tuple[str, int, int, int]] = []  # sheet, row, first column, last column
    for sheet, r, c in sorted(set(positions)):
        if runs and runs[-1][:2] == (sheet, r) and runs[-1][3] == c - 1:
            runs[-1] = (sheet, r, runs[-1][2], c)
        else:
            runs.append((sheet, r, c, c))
    rects: list[tuple[str, int, int, int, int]] = []
    for sheet, r, c0, c1 in runs:
        for k, (s, r0, rc0, r1, rc1) in enumerate(rects):
            if (s, rc0, rc1, r1) == (sheet, c0, c1, r - 1):
                rects[k] = (s, r0, rc0, r, rc1)
                break
        else:
            rects.append((sheet, r, c0, r, c1))
    return rects


def range_ref(rect: tuple[str, int, int, int, int], home: str, absolute: bool = False) -> str:
    """``B2:C4``, or ``'sheet'!B2:C4`` when the rectangle is not on ``home``."""
    sheet, r0, c0, r1, c1 = rect
    ref = xl_rowcol_to_cell(r0, c0, absolute, absolute)
    if (r0, c0) != (r1, c1):
        ref += ":" + xl_rowcol_to_cell(r1, c1, absolute, absolute)
    return ref if sheet == home else f"{quote_sheet(sheet)}!{ref}"


def cell_ref(pos: Pos, home: str | None = None, absolute: bool = False) -> str:
    """The reference of one cell, seen from ``home``."""
    return range_ref((pos[0], pos[1], pos[2], pos[1], pos[2]), home or "", absolute)


def _sum_of(positions: Sequence[Pos], home: str, move: Callable[[Pos], Pos] | None = None) -> str:
    if len(set(positions)) < len(positions):  # a coefficient above 1: keep every repetition
        return "SUM(" + ",".join(cell_ref(move(p) if move else p, home) for p in positions) + ")"
    rects = rectangles(positions)
    if move is not None:  # a range's corners go where the app moved them, as it rewrites the range
        rects = [(s, *move((s, r0, c0))[1:], *move((s, r1, c1))[1:]) for s, r0, c0, r1, c1 in rects]
    return "SUM(" + ",".join(range_ref(r, home) for r in rects) + ")"


def linear_formula(
    form: LinearForm, where: Callable[[str], Pos], home: str, move: Callable[[Pos], Pos] | None = None
) -> str:
    """A formula body (no leading '=') for a linear form; positive terms first.

    Even ``a + b`` is written ``SUM(a,b)``: SUM over references skips text, so a total stays a number.
    With ``move`` (where a cell written at a position is now), the formula as a spreadsheet app
    rewrites it when rows or columns are inserted, deleted or moved: ranges are kept, their corners moved.
    """
    plus = [where(t.cell) for t, c in form.terms for _ in range(abs(c)) if c > 0]
    minus = [where(t.cell) for t, c in form.terms for _ in range(abs(c)) if c < 0]
    parts = []
    if plus or not minus:
        parts.append(_sum_of(plus, home, move) if plus else "0")
    if minus:
        parts.append("-" + _sum_of(minus, home, move))
    if form.const:
        parts.append(("+" if form.const > 0 else "-") + str(abs(form.const)))
    return "".join(parts)


@lru_cache(maxsize=4096)
def norm_formula(text: str, home: str) -> str:
    """A formula's text as compared: no '=', '$', spaces, future-function prefixes or own-sheet prefix; upper case."""
    t = text.lstrip("=").replace("$", "").replace(" ", "").upper()
    t = t.replace("_XLFN.", "").replace("_XLWS.", "")
    quoted = "'" + home.replace("'", "''").upper() + "'!"
    return t.replace(quoted, "").replace(home.upper() + "!", "")


@lru_cache(maxsize=8192)
def _expected(form: LinearForm, at: tuple[tuple[str, Pos], ...], home: str) -> str:
    where = dict(at)
    return norm_formula(linear_formula(form, where.__getitem__, home), home)


def expected_formula(form: LinearForm, where: Callable[[str], Pos], home: str) -> str:
    """The normalised formula text of a total whose terms are at ``where`` (cached by those positions)."""
    return _expected(form, tuple((t.cell, where(t.cell)) for t, _ in form.terms), home)
