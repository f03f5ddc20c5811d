"""A compile's columnar results (``compile --out DIR``), streamed from the store with :class:`ResultsWriter`.

One pass over the 报送情况 rows writes ``returns.parquet`` and ``findings.parquet`` (the totals' own
findings first, as 问题清单 lists them); one pass over the 明细 rows writes ``cells.parquet``, a row per
(return, numeric cell), with ``included`` saying whether the cell counts in the totals. A county's own
compile has no units above its agencies (``units`` is empty).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..contract import GENERATOR
from ..findings import Finding
from ..spec import Spec
from .model import County, Row
from .results import CELLS, CELLS_SCHEMA, FINDINGS, RETURNS, ResultsWriter

BATCH = 2_000  # rows handed to the writer at a time


def write_results(county: County, folder: Path) -> Path:
    """Write the results folder of ``county`` (atomically: it appears complete or not at all)."""
    with ResultsWriter(folder) as out:
        counts = {RETURNS: 0, CELLS: 0, FINDINGS: 0}
        for name, records in ((RETURNS, _returns(county)), (FINDINGS, _findings(county))):
            batch: list[dict[str, Any]] = []
            for record in records:
                batch.append(record)
                if len(batch) >= BATCH:
                    out.add(name, batch)
                    counts[name] += len(batch)
                    batch = []
            out.add(name, batch)
            counts[name] += len(batch)
        for cells in _cells(county):
            out.add_batch(CELLS, cells)
            counts[CELLS] += cells.num_rows
        return out.close(_meta(county, counts))


def _meta(county: County, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "spec_id": county.spec.id,
        "spec_hash": county.spec.hash,
        "year": county.year,
        "name": county.name,
        "units": [],
        "tool": GENERATOR,
        "sources": county.sources,
        "agencies": len(county.agencies),
        "included": county.rows.included,
        "counts": {name.split(".")[0]: n for name, n in counts.items()},
    }


def _who(row: Row) -> dict[str, Any]:
    o = row.outcome
    return {"units": [], "agency": row.agency, "code": row.code, "file": o.name if o else "", "status": row.status}


def _returns(county: County) -> Iterator[dict[str, Any]]:
    for row in county.rows:
        o = row.outcome
        yield {
            **_who(row),
            "included": row.included,
            "how": row.how,
            "spec_id": o.spec_id if o else "",
            "year": o.year if o else None,
            "errors": o.errors if o else 0,
            "warnings": o.warnings if o else 0,
            "infos": o.infos if o else 0,
            "note": row.note,
            "sha256": o.sha256 if o else "",
        }


def _findings(county: County) -> Iterator[dict[str, Any]]:
    totals = {"units": [], "agency": county.name, "code": "", "file": "", "status": ""}
    for f in county.checks:
        yield finding_row(totals, f)
    for row in county.rows:
        if row.outcome is not None:
            who = _who(row)
            for f in county.store.findings(row.outcome.index):
                yield finding_row(who, f)


def finding_row(who: dict[str, Any], f: Finding) -> dict[str, Any]:
    """A finding as a row of ``findings.parquet``, for the return ``who`` (units, agency, code, file, status)."""
    return {
        **who,
        "severity": f.severity,
        "rule": f.rule or f.code,
        "sheet": f.sheet,
        "cell": f.cell,
        "cell_id": f.cell_id,
        "row_label": f.row_label,
        "column_label": f.column_label,
        "message": f.message,
        "fix": f.fix,
        "expected": _plain(f.expected),
        "actual": _plain(f.actual),
        "difference": _plain(f.difference),
        "fingerprint": f.fingerprint,
    }


def _plain(v: object) -> str | None:
    return None if v is None else str(v)


CELL_BATCH = 100_000  # rows of cells.parquet built at a time, column by column (a return has ~214)


def _cells(county: County) -> Iterator[pa.RecordBatch]:
    """cells.parquet's rows, a row per (return, numeric cell), in batches built column by column: a
    province's 200,000 returns make 43 million rows, too many for a mapping each."""
    spec, lang = county.spec, county.lang
    labels = _labels(spec, lang)
    columns: dict[str, list[Any]] = {field.name: [] for field in CELLS_SCHEMA}
    for row, values in county.detail():
        who, n = _who(row), len(values)
        for key, value in who.items():
            columns[key] += [value] * n
        left_out = row.left_out
        for cell_id, value in values.items():
            table, row_label, column_label = labels.get(cell_id, ("", "", ""))
            cell = spec.cells.get(cell_id)
            columns["included"].append(row.included and cell is not None and cell.table not in left_out)
            columns["cell_id"].append(cell_id)
            columns["table"].append(table)
            columns["row"].append(row_label)
            columns["column"].append(column_label)
            columns["value"].append(value)  # int or Decimal: Arrow's decimal takes both exactly
        if len(columns["cell_id"]) >= CELL_BATCH:
            yield _batch(columns)
            columns = {key: [] for key in columns}
    if columns["cell_id"]:
        yield _batch(columns)


def _batch(columns: dict[str, list[Any]]) -> pa.RecordBatch:
    arrays = [pa.array(columns[field.name], type=field.type) for field in CELLS_SCHEMA]
    return pa.RecordBatch.from_arrays(arrays, schema=CELLS_SCHEMA)


def _labels(spec: Spec, lang: str) -> dict[str, tuple[str, str, str]]:
    """Cell id -> (its table's number, printed row label, printed column label)."""
    return {cid: (spec.tables[c.table].number, *c.labels(lang)) for cid, c in spec.cells.items()}
