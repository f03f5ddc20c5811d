"""The columnar results of a compile (``compile --out DIR``): what analysts and a roll-up read.

A results folder holds three Parquet files and a small JSON head:

- ``returns.parquet``: one row per row of 报送情况 (a roster agency, or a file that is not one);
- ``cells.parquet``: the long table, one row per (readable return, numeric cell);
- ``findings.parquet``: every finding of every file, the totals' own first;
- ``meta.json``: spec id and hash, year, name, tool version and counts.

``units`` is the chain of compiled units above the agency, top first: empty in a county's own
compile, ``[county]`` in a city's roll-up, ``[city, county]`` in a province's. Values are exact
decimals (never floats): ``value`` is ``decimal128(38, 12)``, null for a blank cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

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


def read_results(folder: Path) -> Results:
    """The results a compile wrote with ``--out`` into ``folder``, as DataFrames."""
    import pyarrow.parquet as pq

    frames = {name: pq.read_table(folder / name, schema=schema).to_pandas() for name, schema in SCHEMAS.items()}
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    return Results(frames[RETURNS], frames[CELLS], frames[FINDINGS], meta)
