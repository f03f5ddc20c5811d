"""What a compile produces: one row of 报送情况 per roster agency or extra file, and the county as a whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..check import STATUS_LABEL, STATUSES
from ..findings import Finding
from ..messages import text
from ..roster import Agency
from ..spec import Spec, SpecError, load_spec
from .decisions import Decisions
from .rowstore import Rows
from .store import Number, Outcome, Store

# A file's own status (ok, warnings, errors, unreadable), and what the county makes of it.
STATUS_KEYS = (*STATUSES, "duplicate", "outsider", "missing")
INCLUDED = ("ok", "warnings")


def status_labels(lang: str = "zh") -> dict[str, str]:
    """Status key -> the word 报送情况 shows for it (合格, 重复报送 …)."""
    own = STATUS_LABEL["en" if lang == "en" else "zh"]
    return {k: own[k] if k in own else text(f"county.status-{k}", lang) for k in STATUS_KEYS}



@dataclass(slots=True)
class Row:
    """One row of 报送情况: a roster agency (with its accepted file, if any) or an extra file."""

    agency: str
    code: str
    status: str  # a key of STATUS_KEYS
    outcome: Outcome | None = None
    note: str = ""
    roster_index: int | None = None
    left_out: tuple[str, ...] = ()  # tables of an included return that are not summed (a local variant's)
    how: str = ""  # how its file was matched to the roster (a key of match.HOWS), "" for no match

    @property
    def included(self) -> bool:
        return self.outcome is not None and self.status in INCLUDED and self.roster_index is not None


@dataclass
class County:
    """Everything compiled: what the output workbook, the report and the CSV are written from."""

    spec: Spec
    year: int
    name: str
    agencies: list[Agency]
    rows: Rows  # on disk, read back one at a time (:mod:`.rowstore`)
    store: Store
    totals: dict[str, Decimal] = field(default_factory=dict)
    sources: int = 0
    ranked: list[tuple[int, str, Number]] = field(default_factory=list)  # (outcome, agency, the ranking cell)
    checks: list[Finding] = field(default_factory=list)  # identities that fail on the county totals
    lang: str = "zh"
    decisions: Decisions | None = None  # the county's reviews, carried into 报送情况 and 问题清单

    @property
    def included(self) -> int:
        """Rows whose return is summed."""
        return self.rows.included

    def finding_count(self) -> int:
        """How many rows of findings 问题清单 would have: the county totals' and every file's."""
        return len(self.checks) + self.store.finding_count()

    def detail_count(self) -> int:
        """How many rows 明细 has: the readable returns with figures."""
        empty = self.store.empty
        return sum(1 for index in self.rows.detail_outcomes() if index not in empty)

    def detail(self) -> Iterator[tuple[Row, dict[str, Number | None]]]:
        """Each row of 明细 with its figures, read back from the store one return at a time."""
        for row in self.rows.detail():
            assert row.outcome is not None
            if row.outcome.index not in self.store.empty:
                yield row, self.store.values(row.outcome.index)

    def summable(self, o: Outcome, table_id: str) -> bool:
        return summable(self.spec, o, table_id)


def summable(spec: Spec, o: Outcome, table_id: str) -> bool:
    """Whether a return's table has exactly the county spec's figures (a local variant's table does not)."""
    spec_id = o.tables.get(table_id)
    return spec_id is not None and _same_figures(spec.id, spec_id, table_id)


def numeric_cells(spec: Spec, table_id: str) -> list[str]:
    """The numeric cells of a table, in spec order (none when the spec has no such table)."""
    table = spec.tables.get(table_id)
    return [c for c in table.cells if spec.cells[c].domain.numeric] if table else []


@lru_cache(maxsize=64)
def _same_figures(county_spec: str, other_spec: str, table_id: str) -> bool:
    try:
        other = load_spec(other_spec)
    except SpecError:
        return False
    return numeric_cells(other, table_id) == numeric_cells(load_spec(county_spec), table_id)
