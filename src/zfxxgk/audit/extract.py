"""What an extractor gives the audit: tables as grids (one label-matchable sheet each), the prose, the title.

Every extractor (HTML, .docx, PDF, text layer) returns an :class:`Extracted`; the audit then reads its
grids by labels (:mod:`zfxxgk.read.labels`) exactly as a hand-made workbook is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..findings import Finding

MAX_BYTES = 20 * 1024 * 1024  # a published report larger than this is refused (a page, not a bomb)
MAX_ROWS = 400  # rows of one table kept
MAX_COLUMNS = 60  # columns of one table kept
MAX_SPAN = 400  # a rowspan/colspan is capped at this

_DECIMAL = re.compile(r"\d+\.\d+")


@dataclass
class Grid:
    """One table as printed: rows of cell contents (text, or a number written plainly)."""

    name: str  # how a person finds it ("表格2", "第3页表格1")
    rows: list[list[Any]]
    page: int | None = None  # the last page it is on, for PDFs
    runs_on: bool = False  # a PDF table that reaches the bottom of its page (it may go on on the next)


@dataclass
class Extracted:
    """A published report taken apart: its tables, its prose and its title."""

    kind: str  # html, docx, doc, pdf, txt
    grids: list[Grid] = field(default_factory=list)
    prose: str = ""  # the visible text outside the tables, in reading order
    title: str = ""
    findings: list[Finding] = field(default_factory=list)


def cell_value(text: str) -> Any:
    """A printed cell: a plain number as a number (so it is not reported as a number stored as text)."""
    t = " ".join(text.split())  # every Unicode space, the no-break and the ideographic one included
    if t.isdecimal():  # digits only (any script's decimal digits, as int() reads them)
        return int(t)
    if _DECIMAL.fullmatch(t):
        return Decimal(t)
    return t
