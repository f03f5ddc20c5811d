"""The rows of 报送情况 on disk: one per roster agency and per extra file, read back in order when written out.

A province compiles 200,000 returns: a :class:`~zfxxgk.county.model.Row` with its file's head is a few
kilobytes as a Python object, so the rows live in a temporary SQLite file of their own instead, and each
pass (报送情况, 问题清单, 明细, the CSV, the columnar results) reads them back one at a time. The file
outlives the compile's store: a :class:`~zfxxgk.county.compile.CompileResult` can still be asked for its
rows after the compile, and the file is removed with the :class:`Rows` that owns it (or at exit).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .lazy import Lazy

if TYPE_CHECKING:
    from .model import Row


def _remove(db: sqlite3.Connection, path: Path) -> None:
    with contextlib.suppress(sqlite3.Error):
        db.close()
    path.unlink(missing_ok=True)


class Rows(Lazy["Row"]):
    """Rows in the order added (roster rows, then extra files), with what the sheets count kept as they come."""

    def __init__(self) -> None:
        fd, name = tempfile.mkstemp(prefix="zfxxgk-rows-", suffix=".sqlite")
        os.close(fd)
        self.path = Path(name)
        # Read from whichever thread holds the result (a web export compiles in a worker thread).
        self.db = sqlite3.connect(name, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE row (seq INTEGER PRIMARY KEY, outcome INTEGER, detail INTEGER, body BLOB)")
        self._finalizer = weakref.finalize(self, _remove, self.db, self.path)
        self._n = 0
        self.tally: Counter[str] = Counter()  # status -> rows
        self.listed: Counter[str] = Counter()  # status -> rows of roster agencies
        self.included = 0  # rows whose return is summed
        self.with_file = 0  # rows with a file (each file is exactly one row)

    def add(self, row: Row) -> None:
        o = row.outcome
        detail = o is not None and o.status != "unreadable"
        self.db.execute(
            "INSERT INTO row VALUES (?, ?, ?, ?)",
            (self._n, o.index if o else None, detail, pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)),
        )
        self._n += 1
        self.tally[row.status] += 1
        if row.roster_index is not None:
            self.listed[row.status] += 1
        self.included += row.included
        self.with_file += o is not None

    def __len__(self) -> int:
        return self._n

    def _item(self, k: int) -> Row:
        (body,) = self.db.execute("SELECT body FROM row WHERE seq = ?", (k,)).fetchone()
        row: Row = pickle.loads(body)
        return row

    def __iter__(self) -> Iterator[Row]:
        for (body,) in self.db.execute("SELECT body FROM row ORDER BY seq"):
            yield pickle.loads(body)

    def detail(self) -> Iterator[Row]:
        """The rows of every return that could be read (duplicates and outsiders too), in input order."""
        for (body,) in self.db.execute("SELECT body FROM row WHERE detail ORDER BY outcome"):
            yield pickle.loads(body)

    def detail_outcomes(self) -> Iterator[int]:
        """The outcome indexes of :meth:`detail`'s rows, in the same order."""
        for (index,) in self.db.execute("SELECT outcome FROM row WHERE detail ORDER BY outcome"):
            yield index

    def close(self) -> None:
        """Remove the file now (it goes anyway when this object is collected)."""
        self._finalizer()
