"""The columnar results of a compile (``compile --out DIR``): what analysts and a roll-up read.

A results folder holds three Parquet files and a small JSON head:

- ``returns.parquet``: one row per row of 报送情况 (a roster agency, or a file that is not one);
- ``cells.parquet``: the long table, one row per (readable return, numeric cell);
- ``findings.parquet``: every finding of every file, the totals' own first;
- ``meta.json``: spec id and hash, year, name, tool version and counts.

``units`` is the chain of compiled units above the agency, top first: empty in a county's own
compile, ``[county]`` in a city's roll-up, ``[city, county]`` in a province's. Values are exact
decimals (never floats): ``value`` is ``decimal128(38, 12)``, null for a blank cell. Every page carries
a CRC checksum and every reader here verifies it, so a damaged file is an error, never other numbers.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    import pandas as pd

RETURNS = "returns.parquet"
CELLS = "cells.parquet"
FINDINGS = "findings.parquet"
META = "meta.json"
VALUE = pa.decimal128(38, 12)
UNITS = pa.list_(pa.string())

_WHO = [
    pa.field("units", UNITS),
    pa.field("agency", pa.string()),
    pa.field("code", pa.string()),
    pa.field("file", pa.string()),
    pa.field("status", pa.string()),  # a key of county.model.STATUS_KEYS
]
RETURNS_SCHEMA = pa.schema(
    [
        *_WHO,
        pa.field("included", pa.bool_()),
        pa.field("how", pa.string()),
        pa.field("spec_id", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("errors", pa.int32()),
        pa.field("warnings", pa.int32()),
        pa.field("infos", pa.int32()),
        pa.field("note", pa.string()),
        pa.field("sha256", pa.string()),
    ]
)
CELLS_SCHEMA = pa.schema(
    [
        *_WHO,
        pa.field("included", pa.bool_()),  # this cell counts in the totals
        pa.field("cell_id", pa.string()),
        pa.field("table", pa.string()),  # the table's number (三)
        pa.field("row", pa.string()),  # the printed row label
        pa.field("column", pa.string()),  # the printed column label
        pa.field("value", VALUE),
    ]
)
FINDINGS_SCHEMA = pa.schema(
    [
        *_WHO,
        pa.field("severity", pa.string()),
        pa.field("rule", pa.string()),  # the finding's code (S1, blank-cell …)
        pa.field("sheet", pa.string()),
        pa.field("cell", pa.string()),
        pa.field("cell_id", pa.string()),
        pa.field("row_label", pa.string()),
        pa.field("column_label", pa.string()),
        pa.field("message", pa.string()),
        pa.field("fix", pa.string()),
        pa.field("expected", pa.string()),
        pa.field("actual", pa.string()),
        pa.field("difference", pa.string()),
        pa.field("fingerprint", pa.string()),
    ]
)
SCHEMAS = {RETURNS: RETURNS_SCHEMA, CELLS: CELLS_SCHEMA, FINDINGS: FINDINGS_SCHEMA}


@dataclass
class Results:
    """A results folder read as pandas DataFrames (``returns``, ``cells``, ``findings``) and its head."""

    returns: pd.DataFrame
    cells: pd.DataFrame
    findings: pd.DataFrame
    meta: dict[str, Any]


def read_results(folder: Path | str) -> Results:
    """The results a compile wrote with ``--out`` into ``folder``, as DataFrames."""
    folder = Path(folder)
    frames = {name: pq.read_table(folder / name, schema=schema, page_checksum_verification=True).to_pandas() for name, schema in SCHEMAS.items()}
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    return Results(frames[RETURNS], frames[CELLS], frames[FINDINGS], meta)


class ResultsWriter:
    """Write a results folder in batches, so memory stays flat; the folder appears only when complete.

    ``add(name, rows)`` takes rows as mappings of the file's schema (``name`` is :data:`RETURNS`,
    :data:`CELLS` or :data:`FINDINGS`); ``close(meta)`` finishes the files, writes ``meta.json`` and
    moves the folder into place, replacing an older one. Leaving the ``with`` block on an exception
    leaves no folder behind.
    """

    BATCH = 50_000

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        self._writers = {n: pq.ParquetWriter(self._tmp / n, s, compression="zstd", write_page_checksum=True) for n, s in SCHEMAS.items()}
        self._pending: dict[str, list[Mapping[str, Any]]] = {n: [] for n in SCHEMAS}

    def add(self, name: str, rows: Sequence[Mapping[str, Any]]) -> None:
        pending = self._pending[name]
        pending.extend(rows)
        if len(pending) >= self.BATCH:
            self._flush(name)

    def add_batch(self, name: str, batch: pa.RecordBatch) -> None:
        """Whole Arrow rows of the file's schema, written as they are (a roll-up copies its units' rows)."""
        self._flush(name)
        self._writers[name].write_batch(batch)

    def _flush(self, name: str) -> None:
        if self._pending[name]:
            self._writers[name].write_table(pa.Table.from_pylist(self._pending[name], schema=SCHEMAS[name]))
            self._pending[name] = []

    def close(self, meta: Mapping[str, Any]) -> Path:
        for name, writer in self._writers.items():
            self._flush(name)
            writer.close()
        (self._tmp / META).write_text(json.dumps(dict(meta), ensure_ascii=False, indent=1), encoding="utf-8")
        if self.folder.exists():
            old = self.folder.with_name(f".{self.folder.name}.old")
            self.folder.rename(old)
            self._tmp.rename(self.folder)
            shutil.rmtree(old)
        else:
            self._tmp.rename(self.folder)
        return self.folder

    def abort(self) -> None:
        for writer in self._writers.values():
            writer.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self.abort()
