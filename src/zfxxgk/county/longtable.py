"""The long CSV of a compile: one line per (return, cell) for analysts, streamed from the store."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ..fileio import atomic_path, csv_text
from ..messages import text
from .model import County, status_labels

HEAD_KEYS = ("agency", "file", "status", "included", "cell-id", "table", "row", "column", "value")
BOM = "\ufeff"  # so that Excel opens the file as UTF-8


def _lines(county: County) -> Iterator[list[str]]:
    lang = county.lang
    labels = status_labels(lang)
    yes, no = text("county.included-yes", lang), text("county.included-no", lang)
    yield [text(f"county.csv-{k}", lang) for k in HEAD_KEYS]
    for row, values in county.detail():
        assert row.outcome is not None
        for cell_id, value in values.items():
            cell = county.spec.cells.get(cell_id)
            table = county.spec.tables[cell.table].number if cell else ""
            row_label, column_label = cell.labels(lang) if cell else ("", "")
            yield [
                csv_text(row.agency),
                csv_text(row.outcome.name),
                labels[row.status],
                yes if row.included and cell and cell.table not in row.left_out else no,
                cell_id,
                table,
                csv_text(row_label),
                csv_text(column_label),
                "" if value is None else str(value),
            ]


def long_csv(county: County) -> str:
    """The long table (agency, file, status, included, cell id, labels, value), UTF-8 with a BOM for Excel."""
    buf = io.StringIO()
    csv.writer(buf).writerows(_lines(county))
    return BOM + buf.getvalue()


def write_csv(county: County, path: Path) -> None:
    """Write :func:`long_csv` atomically, a line at a time (memory stays flat)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(BOM)
        csv.writer(fh).writerows(_lines(county))
