"""A county gathered: every source checked, matched to the roster, compared with last year and summed."""

from __future__ import annotations

import logging
import os
import shutil
import time
from array import array
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..check import status_of
from ..check.rules import rule_findings
from ..findings import counts
from ..messages import text
from ..roster import Agency, read_roster
from ..spec import Spec, default_spec_id, load_spec
from ..template.plan import workbook_plan
from .checking import Checker, Limits, Progress, check_all, release_memory
from .match import STATUS_RANK, Assignment, assign
from .model import INCLUDED, County, numeric_cells, summable
from .rows import status_rows
from .store import Number, Outcome, Store

log = logging.getLogger(__name__)


def gather(
    inputs: list[Path | str],
    roster: Path,
    year: int,
    *,
    spec_ref: str | None = None,
    previous: Path | None = None,
    jobs: int | None = None,
    lang: str = "zh",
    name: str = "",
    workdir: Path,
    progress: Progress | None = None,
    skip: Iterable[Path] = (),
    checker: Checker | None = None,
    limits: Limits | None = None,
    cache: Path | None = None,
) -> County:
    """Check, match and sum; the returned :class:`County` is what 汇总.xlsx, the report and the CSV show.

    ``workdir`` holds the temporary store; it must live as long as the result is used. ``skip`` lists
    this run's own output files, which are not inputs even when written into an input folder.
    ``limits`` bound each file's check (time, memory); ``checker`` replaces the per-file check (tests).
    ``cache`` is the compile cache file (:mod:`.cache`); ``None`` checks every file.
    """
    spec_ref = spec_ref or default_spec_id()
    spec = load_spec(spec_ref)
    # A bad roster is refused before anything is checked, but the agencies are read (from a copy of these
    # bytes) only once the workers are done: a worker forked from this process maps all its memory too.
    read_roster(roster)
    kept = workdir / "roster" / Path(roster).name
    kept.parent.mkdir()
    shutil.copyfile(roster, kept)
    release_memory()
    jobs = jobs or os.cpu_count() or 1
    store = Store(workdir / "returns.sqlite")
    running = _Running(spec)

    started = time.perf_counter()
    n_sources = check_all(inputs, year, spec_ref, lang, jobs, store, progress, running.add, skip, checker, limits, cache)
    checked = time.perf_counter()
    agencies = read_roster(kept)
    assignment = assign(agencies, store.heads(), store.head)
    if previous is not None:
        _compare_with_previous(spec, agencies, assignment, store, previous, year, lang, jobs, workdir, limits, cache)
    rows = status_rows(spec, agencies, assignment, store, lang)
    county = County(spec, year, name or county_name(agencies), agencies, rows, store, sources=n_sources, lang=lang)
    county.totals, county.ranked = running.settle(county)
    # Sums of valid tables are valid: a failing identity here is a summation or transcription error.
    sheet = text("county.sheet-summary", lang)
    county.checks = [
        f for f in rule_findings(spec, county.totals, lambda _: (sheet, ""), None, lang) if f.severity == "error"
    ]
    listed = county.rows.with_file
    assert listed == n_sources, f"files in {n_sources} != files listed {listed}"
    log.info("%d files, %d agencies, %d included", n_sources, len(agencies), rows.included)
    log.info("time: checking %.2f s, matching and summing %.2f s", checked - started, time.perf_counter() - checked)
    return county


def county_name(agencies: list[Agency]) -> str:
    """The common prefix of the roster's names up to a 县/区/市/旗 (示范县教育局, 示范县财政局 -> 示范县)."""
    names = [a.name for a in agencies]
    prefix = os.path.commonprefix(names)  # noqa: RUF071 - characters, not path components
    for end in range(len(prefix), 0, -1):
        if prefix[end - 1] in "县区市旗州盟":
            return prefix[:end]
    return ""


class _Running:
    """Cell-wise sums kept while returns arrive, so no return is read back to sum it.

    Every return that passed its check is added as it arrives; once returns are matched to the
    roster, the few that are not included after all (duplicates, not in the roster, failed against
    last year) are taken out again. The spec's ranking cell (本年新收) is kept per return.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.tables = {
            t: numeric_cells(spec, t) for t in sorted({c.table for c in spec.cells.values() if c.domain.numeric})
        }
        self.table_of = {c: t for t, cells in self.tables.items() for c in cells}
        # Whole numbers are summed as ints (most figures; far faster than Decimal), the rest as Decimal.
        self.ints = dict.fromkeys(self.table_of, 0)
        self.decimals = {c: Decimal(0) for c in self.table_of}
        self.ranking = spec.county.ranking if spec.county else None
        # Per outcome index, compact (a province has 200,000): summed as it arrived, and its ranking figure.
        self.added = bytearray()
        self.counted = array("q")  # the ranking figure when it is a whole number that fits
        self.counted_other: dict[int, Number] = {}  # the others (a decimal figure, a huge one)
        self._summed: dict[tuple[tuple[str, str], ...], frozenset[str]] = {}  # table map -> tables summed

    @property
    def totals(self) -> dict[str, Decimal]:
        return {c: self.decimals[c] + self.ints[c] for c in self.table_of}

    def _apply(self, o: Outcome, values: dict[str, Number | None], sign: int) -> None:
        key = tuple(o.tables.items())
        ok = self._summed.get(key)
        if ok is None:
            ok = self._summed[key] = frozenset(t for t in self.tables if summable(self.spec, o, t))
        table_of, ints, decimals = self.table_of, self.ints, self.decimals
        for cell_id, v in values.items():
            if v is None or table_of.get(cell_id) not in ok:
                continue
            if isinstance(v, int):
                ints[cell_id] += sign * v
            elif isinstance(v, Decimal):
                decimals[cell_id] += sign * v

    def add(self, o: Outcome) -> None:
        if o.status not in INCLUDED:
            return
        self._apply(o, o.values, 1)
        if len(self.added) <= o.index:
            grow = o.index + 1 - len(self.added)
            self.added.extend(bytes(grow))
            self.counted.extend([0] * grow)
        self.added[o.index] = 1
        if self.ranking:
            ok = summable(self.spec, o, self.spec.cells[self.ranking].table)
            figure = (o.values.get(self.ranking) or 0) if ok else 0
            if isinstance(figure, int) and -(2**63) <= figure < 2**63:
                self.counted[o.index] = figure
            else:
                self.counted_other[o.index] = figure

    def _was_added(self, index: int) -> bool:
        return index < len(self.added) and self.added[index] == 1

    def settle(self, county: County) -> tuple[dict[str, Decimal], list[tuple[int, str, Number]]]:
        """The county totals over the included returns, and the top included agencies by the ranking figure.

        One pass over the rows (read back from disk): the returns summed as they came but not included
        are taken out again, and only as many ranked agencies are kept as a chart shows.
        """
        charts = county.spec.county.charts if county.spec.county else ()
        top = max((c.top for c in charts if c.kind != "groups"), default=0)
        ranked: list[tuple[int, str, Number]] = []
        for row in county.rows:
            o = row.outcome
            if o is None or not self._was_added(o.index):
                continue
            if not row.included:
                self._apply(o, county.store.values(o.index), -1)
            elif self.ranking and top:
                ranked.append((o.index, row.agency, self.counted_other.get(o.index, self.counted[o.index])))
                if len(ranked) > 4 * top + 64:
                    ranked = _top(ranked, top)
        return self.totals, _top(ranked, top)  # what a chart shows


def _top(ranked: list[tuple[int, str, Number]], top: int) -> list[tuple[int, str, Number]]:
    return sorted(ranked, key=lambda item: (-item[2], item[0]))[:top]


def _compare_with_previous(
    spec: Spec,
    agencies: list[Agency],
    assignment: Assignment,
    store: Store,
    previous: Path,
    year: int,
    lang: str,
    jobs: int,
    workdir: Path,
    limits: Limits | None,
    cache: Path | None,
) -> None:
    """Last year's returns, matched to the roster, checked against this year's (carry-over, roll-forward)."""
    old = Store(workdir / "previous.sqlite")
    check_all([previous], year - 1, None, lang, jobs, old, limits=limits, cache=cache)
    old_assignment = assign(agencies, old.heads(), old.head)
    across_years = {r.id for r in spec.rules if any(i.uses_prev for i in r.instances)}
    for n in range(len(agencies)):
        now, then = assignment.accepted(n), old_assignment.accepted(n)
        if now is None or then is None:
            continue
        current, before = store.head(now), old.head(then)
        if current.status == "unreadable" or before.status == "unreadable":
            continue
        places = store.places(current.index) or _plan_places(current.spec_id)

        def locate(cell_id: str, places: dict[str, str] = places) -> tuple[str, str] | None:
            where = places.get(cell_id)
            return tuple(where.rsplit("!", 1)) if where else None  # type: ignore[return-value]

        found = [
            f.located(current.name)
            for f in rule_findings(spec, store.values(current.index), locate, old.values(before.index), lang)
            if f.rule.split("[")[0] in across_years
        ]
        if not found:
            continue
        store.add_findings(current.index, found)
        c = counts(found)
        current.errors += c["error"]
        current.warnings += c["warning"]
        worst = status_of(current.errors, current.warnings)
        if STATUS_RANK[worst] > STATUS_RANK[current.status]:
            current.status = worst
        store.update_head(current)
    old.close()


@lru_cache(maxsize=8)
def _plan_places(spec_id: str) -> dict[str, str]:
    plan = workbook_plan(load_spec(spec_id))
    return {cell_id: f"{sheet}!{plan.address(cell_id)}" for cell_id, (sheet, _, _) in plan.positions.items()}
