"""What a roll-up counts while the units' batches stream past: completeness and sums per unit, drill-down rows.

Everything kept is per unit (a chain of names: city, county), never per agency, except the first
``limit`` agency rows the drill-down sheet shows; so memory stays flat in the number of agencies.
Cells are summed with Arrow's group-by over each batch, exactly (decimal128).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as arrow_compute

from ..findings import Finding
from ..spec import Spec
from .model import INCLUDED
from .rollup_sources import Chain, Unit
from .sheets.detail import detail_columns

pc: Any = arrow_compute  # the stubs' overloads reject Arrow's own implicit casts (a column as any array)
SEP = "\x1f"  # joins a chain's names into one Arrow string
ROSTER_ONLY = (*INCLUDED, "errors", "missing")  # statuses only a roster agency's row has


@dataclass
class Node:
    """Completeness of one unit (DHIS2's reporting rate: returned of expected)."""

    listed: int = 0  # agencies on the roster (expected reports)
    returned: int = 0  # roster agencies with a file
    included: int = 0  # roster agencies whose return is summed
    missing: int = 0
    files: int = 0  # files received, duplicates and strays too

    def add(self, other: Node) -> None:
        for k in ("listed", "returned", "included", "missing", "files"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def rate(self, part: int) -> Decimal | None:
        """``part`` of the roster, in per cent with one decimal (none for an empty roster)."""
        return (Decimal(100 * part) / self.listed).quantize(Decimal("0.1")) if self.listed else None


@dataclass
class AgencyRow:
    """One row of the drill-down: an agency (or a file) under its unit, with its figures."""

    chain: Chain
    agency: str
    file: str
    status: str
    included: bool
    values: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Rollup:
    """A roll-up: what its workbook and its results folder are written from."""

    spec: Spec
    year: int
    name: str
    lang: str
    units: list[Unit] = field(default_factory=list)  # every input, in order; a problem when not summed
    counts: dict[Chain, Node] = field(default_factory=dict)  # per unit at the agencies' level
    sums: dict[Chain, dict[str, Decimal]] = field(default_factory=dict)  # the same units' totals
    drill: list[AgencyRow] = field(default_factory=list)
    drill_rest: int = 0  # agency rows past the drill-down's limit
    limit: int = 2_000
    checks: list[tuple[Chain, Finding]] = field(default_factory=list)  # identities failing on a unit's totals
    out_dir: Path | None = None

    @property
    def columns(self) -> list[str]:
        return detail_columns(self.spec)

    @property
    def totals(self) -> dict[str, Decimal]:
        return self.totals_of(())

    @property
    def included(self) -> int:
        return self.node(()).included

    def tree(self) -> list[Chain]:
        """Every unit, parents before their children, in input order."""
        seen: dict[Chain, None] = {}
        for chain in self.counts:
            for depth in range(1, len(chain) + 1):
                seen.setdefault(chain[:depth])
        return list(seen)

    def leaves(self, under: Chain) -> list[Chain]:
        return [c for c in self.counts if c[: len(under)] == under]

    def node(self, chain: Chain) -> Node:
        total = Node()
        for leaf in self.leaves(chain):
            total.add(self.counts[leaf])
        return total

    def totals_of(self, chain: Chain) -> dict[str, Decimal]:
        out = dict.fromkeys(self.columns, Decimal(0))
        for leaf in self.leaves(chain):
            for cell_id, v in self.sums.get(leaf, {}).items():
                out[cell_id] = out.get(cell_id, Decimal(0)) + v
        return out


def prefixed(batch: pa.RecordBatch, name: str) -> tuple[pa.RecordBatch, Any]:
    """The batch with ``name`` put before every row's units, and each row's new chain as one string."""
    units = batch.column("units")
    old = pc.fill_null(pc.binary_join(units, SEP), "")
    encoded = pc.dictionary_encode(old)
    chains = [str(k) for k in encoded.dictionary.to_pylist()]
    new = pa.array([[name, *k.split(SEP)] if k else [name] for k in chains], units.type)
    keys = pa.array([SEP.join([name, k]) if k else name for k in chains], pa.string())
    arrays = [new.take(encoded.indices) if f.name == "units" else batch.column(f.name) for f in batch.schema]
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema), keys.take(encoded.indices)


def chain_of(key: str) -> Chain:
    return tuple(key.split(SEP))


class Counting:
    """The returns of one unit counted in order (roster rows come first in each unit, in roster order)."""

    def __init__(self, roll: Rollup, unit: Unit) -> None:
        self.roll = roll
        self.rosters = unit.rosters
        self.seen: dict[Chain, int] = {}
        self.picked: dict[str, AgencyRow] = {}  # drill-down key -> row, for this unit's cells

    def returns(self, batch: pa.RecordBatch, keys: Any) -> None:
        cols = {n: batch.column(n).to_pylist() for n in ("agency", "file", "status", "included")}
        for k, key in enumerate(keys.to_pylist()):
            chain = chain_of(str(key))
            status = str(cols["status"][k])
            node = self.roll.counts.setdefault(chain, Node())
            listed = self._listed(chain, status)
            node.listed += listed
            node.returned += listed and status != "missing"
            node.included += bool(listed and cols["included"][k])
            node.missing += listed and status == "missing"
            node.files += status != "missing"
            who = (str(key), str(cols["agency"][k] or ""), str(cols["file"][k] or ""), str(status))
            self._pick(chain, *who, bool(cols["included"][k]))

    def _listed(self, chain: Chain, status: str) -> bool:
        """Whether this row is a roster agency's: by the recorded roster size, else by its status."""
        size = self.rosters.get(chain[1:]) if self.rosters else None
        if size is None:
            return status in ROSTER_ONLY
        n = self.seen.get(chain, 0)
        self.seen[chain] = n + 1
        return n < size

    def _pick(self, chain: Chain, key: str, agency: str, file: str, status: str, included: bool) -> None:
        if len(self.roll.drill) >= self.roll.limit:
            self.roll.drill_rest += 1
            return
        row = AgencyRow(chain, agency, file, status, included)
        self.roll.drill.append(row)
        self.picked[SEP.join((key, agency, file, status))] = row

    def cells(self, batch: pa.RecordBatch, keys: Any) -> None:
        """Sum the included figures per unit and cell; keep the drill-down agencies' figures."""
        counted = pc.and_(pc.fill_null(batch.column("included"), False), pc.is_valid(batch.column("value")))
        summed = pa.table({"k": keys, "c": batch.column("cell_id"), "v": batch.column("value")}).filter(counted)
        grouped = summed.group_by(["k", "c"]).aggregate([("v", "sum")])
        for key, cell_id, v in zip(grouped["k"], grouped["c"], grouped["v_sum"], strict=True):
            sums = self.roll.sums.setdefault(chain_of(key.as_py()), {})
            sums[cell_id.as_py()] = sums.get(cell_id.as_py(), Decimal(0)) + v.as_py()
        if self.picked:
            self._drill(batch, keys)

    def _drill(self, batch: pa.RecordBatch, keys: Any) -> None:
        cols = [pc.fill_null(batch.column(n), "") for n in ("agency", "file", "status")]
        whole = pc.binary_join_element_wise(keys, *cols, SEP)
        mine = pc.and_(pc.is_in(whole, value_set=pa.array(list(self.picked))), pc.is_valid(batch.column("value")))
        hits = pa.table({"w": whole, "c": batch.column("cell_id"), "v": batch.column("value")}).filter(mine)
        for w, cell_id, v in zip(*(c.to_pylist() for c in hits.columns), strict=True):
            self.picked[w].values[cell_id] = v
