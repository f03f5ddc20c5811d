"""The long CSV of a compile: one line per (return, cell) for analysts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..fileio import csv_text, write_text_atomic
from ..messages import text
from .model import County, status_labels

HEAD_KEYS = ("agency", "file", "status", "included", "cell-id", "table", "row", "column", "value")


def long_csv(county: County) -> str:
    """The long table (agency, file, status, included, cell id, labels, value), UTF-8 with a BOM for Excel."""
    lang = county.lang
    labels = status_labels(lang)
    yes, no = text("county.included-yes", lang), text("county.included-no", lang)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([text(f"county.csv-{k}", lang) for k in HEAD_KEYS])
    for row in county.detail_rows:
        assert row.outcome is not None
        values = county.store.values(row.outcome.index)
        for cell_id, value in values.items():
            cell = county.spec.cells.get(cell_id)
            table = county.spec.tables[cell.table].number if cell else ""
            row_label, column_label = cell.labels(lang) if cell else ("", "")
            w.writerow(
                [
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
            )
    return "\ufeff" + buf.getvalue()


def write_csv(county: County, path: Path) -> None:
    """Write :func:`long_csv` atomically."""
    write_text_atomic(path, long_csv(county))
