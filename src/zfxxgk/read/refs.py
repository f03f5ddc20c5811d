"""Cell addresses: A1 <-> zero-based (row, column)."""

from __future__ import annotations

import re
from functools import lru_cache

CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=4096)
def a1_to_rc(a1: str) -> tuple[int, int]:
    """'C5' -> (4, 2), zero-based."""
    m = CELL.match(a1.upper())
    if not m:
        raise ValueError(f"not a cell address: {a1}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def rc_to_a1(row: int, col: int) -> str:
    """(4, 2) -> 'C5'."""
    return f"{column_letters(col)}{row + 1}"


@lru_cache(maxsize=1024)
def column_letters(col: int) -> str:
    """2 -> 'C', 26 -> 'AA' (zero-based)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
