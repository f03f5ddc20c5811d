"""``rollup`` as one library call: a city's summary of its counties' compiled results, a province's of its cities.

::

    roll = rollup_units([Path("甲县结果"), Path("乙县/汇总.xlsx")], Path("市汇总.xlsx"), name="某市",
                        out_dir=Path("市结果"))
    roll.totals            # cell id -> the city's total, equal to a flat compile of every agency's return
    roll.node(("甲县",))   # its completeness: listed, returned, included, missing, files

Each input (a results folder or a county's 汇总.xlsx, see ``rollup_sources``) is streamed once:
its rows get the unit's name put before their ``units``, are counted (``rollup_tally``) and, with
``out_dir``, written into a results folder of the same schema; so a province rolls up cities with
the same code as a city rolls up counties, at any depth. An input that cannot be read, of another
year or spec, or given twice is reported and left out of the sums, never a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..check.rules import rule_findings
from ..contract import GENERATOR
from ..findings import Finding
from ..messages import text
from ..spec import load_spec
from .export import finding_row
from .results import CELLS, FINDINGS, RETURNS, SCHEMAS, ResultsWriter
from .rollup_sources import ROSTERS, Chain, Unit, open_unit, twice
from .rollup_tally import Counting, Rollup, prefixed

log = logging.getLogger(__name__)
DRILL_LIMIT = 2_000  # agency rows the drill-down sheet lists (XlsxWriter holds them in memory); the rest: --out


class RollupError(ValueError):
    """The roll-up cannot start (an output name is wrong, nothing can be summed); the message is for the user."""


def rollup_units(
    inputs: Sequence[Path],
    out: Path,
    *,
    name: str = "",
    year: int | None = None,
    spec: str | None = None,
    out_dir: Path | None = None,
    lang: str = "zh",
    limit: int = DRILL_LIMIT,
) -> Rollup:
    """Roll the compiled results in ``inputs`` up into ``out`` (汇总.xlsx) and, with ``out_dir``, a results folder.

    ``year`` defaults to the first readable input's; ``spec`` to the default spec. Raises
    :class:`RollupError` for an output that is not .xlsx or when no input can be summed, before
    anything is written.
    """
    from .rollup_book import write_book

    if out.suffix.lower() != ".xlsx":
        raise RollupError(text("rollup.out-not-xlsx", lang))
    roll_spec = load_spec(spec)
    units = _units(list(inputs), roll_spec, year, lang)
    if not any(u.usable for u in units):
        raise RollupError(text("rollup.no-units", lang))
    year = year if year is not None else next(u.year for u in units if u.year is not None)
    roll = Rollup(roll_spec, year, name, lang, units=units, limit=limit, out_dir=out_dir)
    writer = ResultsWriter(out_dir) if out_dir else None
    try:
        for unit in units:
            if unit.usable:
                _take(roll, unit, writer)
        roll.checks = _checks(roll)
        if writer and out_dir:
            _own_findings(roll, writer)
            writer.close(_meta(roll))
    except BaseException:
        if writer:
            writer.abort()
        raise
    write_book(roll, out)
    log.info("rolled up %d units into %s", sum(u.usable for u in units), out)
    return roll


def _units(inputs: list[Path], spec: Any, year: int | None, lang: str) -> list[Unit]:
    """Every input opened and checked; the year is the first readable one's when not given."""
    units: list[Unit] = []
    names: set[str] = set()
    for path in inputs:
        unit = open_unit(path, spec, year, lang)
        if year is None and unit.problem is None and unit.year is not None:
            year = unit.year
            units = [open_unit(u.path, spec, year, lang) if u.problem is None else u for u in units]
        if unit.usable and unit.name in names:
            unit.problem = twice(unit, lang)
        if unit.usable:
            names.add(unit.name)
        units.append(unit)
    return units


def _take(roll: Rollup, unit: Unit, writer: ResultsWriter | None) -> None:
    """Stream one unit's returns, cells and findings: count them, sum them, copy them with its name."""
    assert unit.batches is not None
    counting = Counting(roll, unit)
    for name in (RETURNS, CELLS, FINDINGS):
        for batch in unit.batches(name):
            moved, keys = prefixed(batch, unit.name)
            if writer:
                writer.add_batch(name, moved)
            if name == RETURNS:
                counting.returns(moved, keys)
            elif name == CELLS:
                counting.cells(moved, keys)


def _checks(roll: Rollup) -> list[tuple[Chain, Finding]]:
    """Identities failing on the totals of the roll-up and of each unit (a summing or transcription error)."""
    sheet = text("county.sheet-summary", roll.lang)
    out: list[tuple[Chain, Finding]] = []
    for chain in [(), *roll.tree()]:
        found = rule_findings(roll.spec, roll.totals_of(chain), lambda _: (sheet, ""), None, roll.lang)
        out.extend((chain, f) for f in found if f.severity == "error")
    return out


def _own_findings(roll: Rollup, writer: ResultsWriter) -> None:
    """The roll-up's own findings: its inputs' problems, then the identities failing on its totals."""
    rows = [finding_row({"units": [u.name], "agency": "", "code": "", "file": str(u.path), "status": ""}, u.problem) for u in roll.units if u.problem]
    rows += [finding_row({"units": [], "agency": "", "code": "", "file": "", "status": ""}, f) for chain, f in roll.checks if chain == ()]
    if rows:
        writer.add_batch(FINDINGS, pa.RecordBatch.from_pylist(rows, schema=SCHEMAS[FINDINGS]))


def _meta(roll: Rollup) -> dict[str, Any]:
    total = roll.node(())
    return {
        "spec_id": roll.spec.id,
        "spec_hash": roll.spec.hash,
        "year": roll.year,
        "name": roll.name,
        "tool": GENERATOR,
        ROSTERS: [{"units": list(chain), "agencies": n.listed} for chain, n in roll.counts.items()],
        "counts": {
            "units": sum(u.usable for u in roll.units),
            "agencies": total.listed,
            "returned": total.returned,
            "included": total.included,
            "missing": total.missing,
            "files": total.files,
        },
    }
