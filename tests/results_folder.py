"""A county compiled into a results folder of ``county/results.py``'s schema, with ``ResultsWriter``.

Stands in for ``compile --out`` (being written in parallel) in the roll-up tests: the county is a
real one, gathered from generated returns by the compile's own ``gather``; only the conversion of
its rows into the shared schema is done here. Once ``compile --out`` lands, the tests use it instead.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from zfxxgk import __version__
from zfxxgk.county.gather import gather
from zfxxgk.county.model import County
from zfxxgk.county.results import CELLS, FINDINGS, RETURNS, ResultsWriter


def compiled_folder(inputs: list[Path], roster: Path, folder: Path, name: str, year: int = 2025) -> Path:
    """Check ``inputs`` against ``roster`` as compile does and write the county's results into ``folder``."""
    with tempfile.TemporaryDirectory() as tmp:
        county = gather(inputs, roster, year, jobs=1, name=name, workdir=Path(tmp))
        try:
            return write_county(county, folder)
        finally:
            county.store.close()


def write_county(county: County, folder: Path) -> Path:
    spec = county.spec
    with ResultsWriter(folder) as writer:
        for row in county.rows:
            o = row.outcome
            who: dict[str, Any] = {"units": [], "agency": row.agency, "code": row.code, "status": row.status}
            who["file"] = o.name if o else ""
            writer.add(
                RETURNS,
                [
                    {
                        **who, "included": row.included, "how": o.source if o else "", "spec_id": o.spec_id if o else "",
                        "year": o.year if o else None, "errors": o.errors if o else 0,
                        "warnings": o.warnings if o else 0, "infos": o.infos if o else 0, "note": row.note,
                        "sha256": o.sha256 if o else "",
                    }
                ],
            )  # fmt: skip
            if o is None or o.status == "unreadable":
                continue
            cells = []
            for cell_id, value in county.store.values(o.index).items():
                cell = spec.cells.get(cell_id)
                if cell is None or not cell.domain.numeric:
                    continue
                row_label, column_label = cell.labels("zh")
                included = row.included and cell.table not in row.left_out
                cells.append(
                    {
                        **who, "included": included, "cell_id": cell_id, "table": spec.tables[cell.table].number,
                        "row": row_label, "column": column_label,
                        "value": Decimal(value) if isinstance(value, int | Decimal) else None,
                    }
                )  # fmt: skip
            writer.add(CELLS, cells)
            found = [
                {**who, "severity": f.severity, "rule": f.rule or f.code, "message": f.message, "fix": f.fix}
                for f in county.store.findings(o.index)
            ]
            writer.add(FINDINGS, found)
        meta = {
            "spec_id": spec.id, "spec_hash": spec.hash, "year": county.year, "name": county.name,
            "tool": __version__, "counts": {"agencies": len(county.agencies)},
        }  # fmt: skip
        return writer.close(meta)
