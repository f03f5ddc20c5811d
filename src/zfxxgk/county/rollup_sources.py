"""The inputs of a roll-up: each unit's compiled results, as Arrow batches of the shared results schema.

A unit is a county's (or a city's) results folder (``compile --out`` / ``rollup --out``: read with
pyarrow, batch by batch) or a county's 汇总.xlsx (its 报送情况 and 明细 sheets, read with
python-calamine; see :mod:`zfxxgk.county.rollup_book_read`). Either way the roll-up sees the same
thing: a name, a year, a spec, the roster sizes of its units and batches of ``returns``, ``cells``
and ``findings`` in :mod:`zfxxgk.county.results`' schema. A unit that cannot be used carries the
finding that says why instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..findings import Finding, make
from ..messages import text
from ..spec import Spec
from .results import META, SCHEMAS

Chain = tuple[str, ...]  # the units above an agency, top first
Batches = Callable[[str], Iterator[pa.RecordBatch]]  # file name (RETURNS, CELLS, FINDINGS) -> its batches
BATCH_ROWS = 65_536
ROSTERS = "rosters"  # meta.json: [{"units": [...], "agencies": n}, …], the roster size of every unit below


@dataclass
class Unit:
    """One input of a roll-up: what it is called, what it holds, or why it cannot be used."""

    path: Path
    name: str = ""
    year: int | None = None
    spec_id: str = ""
    spec_hash: str = ""
    rosters: dict[Chain, int] | None = None  # None: not recorded (roster rows are told by their status)
    batches: Batches | None = None
    problem: Finding | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.problem is None and self.batches is not None


def open_unit(path: Path, spec: Spec, year: int | None, lang: str) -> Unit:
    """The unit at ``path``, checked against the roll-up's spec and year (a problem, never an exception)."""
    from .rollup_book_read import read_book

    try:
        if path.is_dir():
            unit = _folder(path)
        elif path.suffix.lower() == ".xlsx" and path.is_file():
            unit = read_book(path, spec, lang)
        else:
            raise UnitError(text("rollup.no-results", lang))
    except UnitError as exc:
        return Unit(path, name=path.stem, problem=_problem(code="unit-unreadable", path=path, lang=lang, detail=str(exc)))
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:  # a damaged file of any kind
        detail = f"{type(exc).__name__}: {exc}"
        return Unit(path, name=path.stem, problem=_problem(code="unit-unreadable", path=path, lang=lang, detail=detail))
    unit.name = unit.name or (path.name if path.is_dir() else path.parent.name or path.stem)  # 甲县/汇总.xlsx: 甲县
    if year is not None and unit.year != year:
        unit.problem = _problem(code="unit-other-year", path=path, lang=lang, expected=year, actual=unit.year)
    elif unit.spec_id != spec.id or (unit.spec_hash and unit.spec_hash != spec.hash):
        unit.problem = _problem(code="unit-other-spec", path=path, lang=lang, expected=spec.id, actual=unit.spec_id or "?")
    return unit


class UnitError(ValueError):
    """A unit's results are not what a roll-up reads; the message says why, for the user."""


def twice(unit: Unit, lang: str) -> Finding:
    """The finding for a unit whose results were given already."""
    return _problem(code="unit-twice", path=unit.path, lang=lang, detail=unit.name)


def _problem(*, code: str, path: Path, lang: str, **fields: Any) -> Finding:
    return make(code, lang, **fields).located(str(path))


def _folder(folder: Path) -> Unit:
    """A results folder: its head, its files' schemas checked, its batches read lazily."""
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise UnitError(META)
    for name, schema in SCHEMAS.items():
        have = pq.read_schema(folder / name)
        lacking = [f.name for f in schema if f.name not in have.names]
        if lacking:
            raise UnitError(f"{name}: {', '.join(lacking)}")

    def batches(name: str) -> Iterator[pa.RecordBatch]:
        schema = SCHEMAS[name]
        for batch in pq.ParquetFile(folder / name, page_checksum_verification=True).iter_batches(batch_size=BATCH_ROWS, columns=schema.names):
            yield pa.RecordBatch.from_arrays([batch.column(f.name).cast(f.type) for f in schema], schema=schema)

    for name in SCHEMAS:  # read through once: a damaged page found now, not halfway through the sums
        for _ in batches(name):
            pass
    year = meta.get("year")
    return Unit(
        folder,
        name=str(meta.get("name") or ""),
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
        spec_id=str(meta.get("spec_id") or ""),
        spec_hash=str(meta.get("spec_hash") or ""),
        rosters=rosters_of(meta),
        batches=batches,
        meta=meta,
    )


def rosters_of(meta: dict[str, Any]) -> dict[Chain, int] | None:
    """The roster size of each unit below, from a results folder's head (a county's: its own)."""
    listed = meta.get(ROSTERS)
    if isinstance(listed, list):
        return {tuple(str(u) for u in item["units"]): int(item["agencies"]) for item in listed}
    agencies = meta.get("agencies")  # a county's compile: its roster size
    return {(): agencies} if isinstance(agencies, int) and not isinstance(agencies, bool) else None
