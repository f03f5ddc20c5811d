"""A temporary SQLite store of per-file results, so compiling keeps memory flat in the number of files."""

from __future__ import annotations

import logging
import pickle
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..findings import Finding

Number = int | Decimal


@dataclass(slots=True)
class Outcome:
    """What checking one file produced, in the compact form the store keeps."""

    index: int
    name: str
    file_name: str
    sha256: str = ""
    kind: str = ""
    status: str = "unreadable"  # ok / warnings / errors / unreadable
    source: str = ""  # template / labels
    spec_id: str = ""
    year: int | None = None
    agency: str = ""  # as written in the file
    meta_agency: str = ""  # as the template's metadata names it (the roster's name)
    meta_code: str = ""
    application: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    modified: float = 0.0  # when the file was last changed (its zip entry's date for a file in an archive)
    saved: float = 0.0  # when the workbook says it was last saved (docProps/core.xml); 0 if it does not
    revision: int = 0  # the workbook's revision number (cp:revision), 0 if none
    tables: dict[str, str] = field(default_factory=dict)  # table id -> spec id it was read with
    values: dict[str, Number | None] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # cell id -> "sheet!A1"
    findings: list[Finding] = field(default_factory=list)
    log: list[logging.LogRecord] = field(default_factory=list)  # a worker's log records, for the parent


_SCALARS = (
    "index",
    "name",
    "file_name",
    "sha256",
    "kind",
    "status",
    "source",
    "spec_id",
    "year",
    "agency",
    "meta_agency",
    "meta_code",
    "application",
    "errors",
    "warnings",
    "infos",
    "modified",
    "saved",
    "revision",
)


def _enc(value: Any) -> bytes:
    """Values as the store keeps them: pickled (it is our own temporary file, never read from elsewhere)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class Store:
    """Outcomes on disk; read back one at a time, in input order."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        cols = ", ".join(f'"{k}"' for k in _SCALARS)
        keyed = cols.replace('"index"', '"index" INTEGER PRIMARY KEY')
        self.db.execute(f"CREATE TABLE outcome ({keyed}, tables, vals, places)")
        self.db.execute("CREATE TABLE finding (outcome, seq, body)")
        self.db.execute("CREATE INDEX finding_outcome ON finding (outcome, seq)")
        self._cols = cols
        self.count = 0
        self.empty: set[int] = set()  # outcomes with no figures (few: not a row of 明细)
        self._tables: dict[bytes, dict[str, str]] = {}  # one dict per distinct table map (most returns share one)

    def add(self, o: Outcome) -> None:
        self.db.execute(
            f"INSERT INTO outcome VALUES ({', '.join('?' * (len(_SCALARS) + 3))})",
            [getattr(o, k) for k in _SCALARS] + [_enc(o.tables), _enc(o.values), _enc(o.places)],
        )
        self.db.executemany(
            "INSERT INTO finding VALUES (?, ?, ?)", [(o.index, n, _enc(f)) for n, f in enumerate(o.findings)]
        )
        self.count += 1
        if not o.values:
            self.empty.add(o.index)

    def commit(self) -> None:
        self.db.commit()

    def heads(self) -> Iterator[Outcome]:
        """Every outcome without values and findings, in input order, one at a time (what matching reads)."""
        for r in self.db.execute(f'SELECT {self._cols}, tables FROM outcome ORDER BY "index"'):
            yield self._head(r)

    def head(self, index: int) -> Outcome:
        """One outcome without its values and findings."""
        return self._head(self.db.execute(f'SELECT {self._cols}, tables FROM outcome WHERE "index" = ?', (index,)).fetchone())

    def _head(self, r: tuple[Any, ...]) -> Outcome:
        return Outcome(**dict(zip(_SCALARS, r[:-1], strict=True)), tables=self._table_map(r[-1]))

    def update_head(self, o: Outcome) -> None:
        """Write back what comparing with last year changed: the counts and the status."""
        self.db.execute(
            'UPDATE outcome SET errors = ?, warnings = ?, status = ? WHERE "index" = ?',
            (o.errors, o.warnings, o.status, o.index),
        )

    def _table_map(self, blob: bytes) -> dict[str, str]:
        if blob not in self._tables:
            self._tables[blob] = pickle.loads(blob)
        return self._tables[blob]

    def values(self, index: int) -> dict[str, Number | None]:
        (blob,) = self.db.execute('SELECT vals FROM outcome WHERE "index" = ?', (index,)).fetchone()
        return dict(pickle.loads(blob))

    def places(self, index: int) -> dict[str, str]:
        (blob,) = self.db.execute('SELECT places FROM outcome WHERE "index" = ?', (index,)).fetchone()
        return dict(pickle.loads(blob))

    def findings(self, index: int) -> Iterator[Finding]:
        for (body,) in self.db.execute("SELECT body FROM finding WHERE outcome = ? ORDER BY seq", (index,)):
            yield pickle.loads(body)

    def finding_count(self) -> int:
        """How many findings the store holds, of every file."""
        (n,) = self.db.execute("SELECT COUNT(*) FROM finding").fetchone()
        return int(n)

    def add_findings(self, index: int, findings: list[Finding]) -> None:
        (start,) = self.db.execute("SELECT COUNT(*) FROM finding WHERE outcome = ?", (index,)).fetchone()
        self.db.executemany(
            "INSERT INTO finding VALUES (?, ?, ?)",
            [(index, start + n, _enc(f)) for n, f in enumerate(findings)],
        )

    def close(self) -> None:
        self.db.close()
