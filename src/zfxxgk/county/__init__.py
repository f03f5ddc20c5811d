"""``compile``: every returned file of a county checked, matched to the roster, summed and reported.

Pipeline: inputs -> sources (files, folders, zip entries) -> checked in parallel processes -> outcomes
in a temporary SQLite store -> matched to the roster -> 汇总.xlsx (报送情况, 问题清单, 汇总表, 明细, 图表),
and optionally the county report and a long CSV. Nothing is lost: every source becomes a row of 报送情况.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..check import STATUS_LABEL, check_file, status_of
from ..check.rules import rule_findings
from ..fileio import csv_text, write_text_atomic
from ..findings import Finding, counts, make
from ..read.sources import Source, expand, is_system_file
from ..roster import Agency, read_roster
from ..spec import DEFAULT_SPEC, Spec, SpecError, load_spec
from ..template.plan import workbook_plan
from .match import HOW, STATUS_RANK, Assignment, assign
from .store import Number, Outcome, Store

# A file's own status, and what the county makes of it.
STATUS_ZH = {**STATUS_LABEL["zh"], "duplicate": "重复报送", "outsider": "不在名单", "missing": "未报送"}
STATUS_EN = {**STATUS_LABEL["en"], "duplicate": "duplicate", "outsider": "not in roster", "missing": "not returned"}
INCLUDED = ("ok", "warnings")
SUMMARY_SHEET = "汇总表"


@dataclass
class Row:
    """One row of 报送情况: a roster agency (with its accepted file, if any) or an extra file."""

    agency: str
    code: str
    status: str  # a key of STATUS_ZH
    outcome: Outcome | None = None
    note: str = ""
    roster_index: int | None = None

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
    rows: list[Row]
    store: Store
    totals: dict[str, Decimal] = field(default_factory=dict)
    sources: int = 0
    new_applications: list[tuple[int, str, Number]] = field(default_factory=list)  # (outcome, agency, 本年新收)
    checks: list[Finding] = field(default_factory=list)  # identities that fail on the county totals

    @property
    def detail_rows(self) -> list[Row]:
        """Rows of 明细, in input order: every return that could be read (duplicates and outsiders too)."""
        rows = [r for r in self.rows if r.outcome is not None and r.outcome.status != "unreadable"]
        return sorted(rows, key=lambda r: r.outcome.index if r.outcome else 0)

    def summable(self, o: Outcome, table_id: str) -> bool:
        return summable(self.spec, o, table_id)


def summable(spec: Spec, o: Outcome, table_id: str) -> bool:
    """Whether a return's table has exactly the county spec's figures (a local variant's table does not)."""
    spec_id = o.tables.get(table_id)
    return spec_id is not None and _same_figures(spec.id, spec_id, table_id)


def _numeric_cells(spec: Spec, table_id: str) -> list[str]:
    table = spec.tables.get(table_id)
    return [c for c in table.cells if spec.cells[c].domain.numeric] if table else []


@lru_cache(maxsize=64)
def _same_figures(county_spec: str, other_spec: str, table_id: str) -> bool:
    try:
        other = load_spec(other_spec)
    except SpecError:
        return False
    return _numeric_cells(other, table_id) == _numeric_cells(load_spec(county_spec), table_id)


Progress = Callable[[int, int], None]


def check_source(task: tuple[Source, int, int | None, str | None, str]) -> Outcome:
    """Check one source (runs in a worker process); never raises."""
    try:
        return _check_source(*task)
    except Exception as exc:  # the batch goes on; the file is listed with what went wrong
        source, index, _, _, lang = task
        o = Outcome(index=index, name=source.name, file_name=source.file_name, errors=1)
        o.findings = [make("read-failed", lang, detail=f"{type(exc).__name__}: {exc}"[:200]).located(source.name)]
        return o


def _check_source(source: Source, index: int, year: int | None, spec_ref: str | None, lang: str) -> Outcome:
    o = Outcome(index=index, name=source.name, file_name=source.file_name, modified=source.modified)
    if source.problem:
        o.kind = "archive"
        o.findings = [make("file-corrupt", lang, detail=source.problem).located(source.name)]
        o.errors = 1
        return o
    try:
        data = source.read()
    except (OSError, KeyError, ValueError, EOFError) as exc:
        o.findings = [make("file-unreadable", lang, detail=str(exc)).located(source.name)]
        o.errors = 1
        return o
    result = check_file(source.name, year=year, spec=spec_ref, lang=lang, data=data)
    findings = list(result.findings)
    if is_system_file(source.name):
        findings.insert(0, make("file-system", lang).located(source.name))
    c = counts(findings)
    o.sha256, o.kind, o.status = result.intake.sha256, result.intake.kind, result.status
    o.errors, o.warnings, o.infos = c["error"], c["warning"], c["info"]
    o.findings = findings
    ret = result.ret
    if ret is not None:
        o.source = ret.source
        o.spec_id = result.spec.id if result.spec else ""
        o.year = result.year
        o.agency = ret.agency
        o.meta_agency = ret.meta.get("agency", "")
        o.meta_code = ret.meta.get("agency_code", "")
        o.application = ret.application
        o.tables = {t: part.spec.id for part in ret.parts for t in part.tables}
        if ret.source == "template":
            o.tables["text"] = o.spec_id
        o.values = {k: v for k, v in result.values.items() if not isinstance(v, str)}
        if ret.source != "template":  # a template's places are its spec's plan
            o.places = {k: f"{c.sheet}!{c.a1}" for k, c in ret.cells.items()}
    return o


def _outcomes(tasks: list[tuple[Source, int, int | None, str | None, str]], jobs: int) -> Iterator[Outcome]:
    if jobs <= 1 or len(tasks) < 2:
        yield from map(check_source, tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(check_source, tasks, chunksize=max(1, min(32, len(tasks) // (jobs * 8))))


def check_all(
    inputs: Iterable[Path],
    year: int | None,
    spec_ref: str | None,
    lang: str,
    jobs: int,
    store: Store,
    progress: Progress | None = None,
    each: Callable[[Outcome], None] | None = None,
    skip: Iterable[Path] = (),
) -> int:
    """Check every source into the store, in input order; returns the number of sources.

    ``each`` sees every outcome as it arrives (the 明细 sheet is written from it while checking goes on).
    """
    sources = list(expand(list(inputs), skip))
    tasks = [(s, n, year, spec_ref, lang) for n, s in enumerate(sources)]
    for done, outcome in enumerate(_outcomes(tasks, jobs), start=1):
        store.add(outcome)
        if each:
            each(outcome)
        if progress:
            progress(done, len(tasks))
    store.commit()
    return len(sources)


def compile_county(
    inputs: list[Path],
    roster: Path,
    year: int,
    *,
    spec_ref: str = DEFAULT_SPEC,
    previous: Path | None = None,
    jobs: int | None = None,
    lang: str = "zh",
    name: str = "",
    workdir: Path,
    progress: Progress | None = None,
    each: Callable[[Outcome], None] | None = None,
    skip: Iterable[Path] = (),
) -> County:
    """Check, match and sum; the returned :class:`County` is written out by ``county.workbook`` and friends.

    ``workdir`` holds the temporary store; it must live as long as the result is used. ``skip`` lists
    this run's own output files, which are not inputs even when written into an input folder.
    """
    spec = load_spec(spec_ref)
    agencies = read_roster(roster)
    jobs = jobs or os.cpu_count() or 1
    store = Store(workdir / "returns.sqlite")
    running = _Running(spec)

    def arrived(o: Outcome) -> None:
        running.add(o)
        if each:
            each(o)

    n_sources = check_all(inputs, year, spec_ref, lang, jobs, store, progress, arrived, skip)
    heads = store.heads()
    assignment = assign(agencies, heads)
    if previous is not None:
        _compare_with_previous(spec, agencies, assignment, store, previous, year, lang, jobs, workdir)
    county = County(
        spec, year, name or county_name(agencies), agencies, _rows(agencies, assignment), store, sources=n_sources
    )
    county.totals, county.new_applications = running.settle(county)
    # Sums of valid tables are valid: a failing identity here is a summation or transcription error.
    county.checks = [
        f
        for f in rule_findings(spec, county.totals, lambda _: (SUMMARY_SHEET, ""), None, lang)
        if f.severity == "error"
    ]
    listed = sum(1 for r in county.rows if r.outcome is not None)
    assert listed == n_sources, f"files in {n_sources} != files listed {listed}"
    return county


def county_name(agencies: list[Agency]) -> str:
    """The common prefix of the roster's names up to a 县/区/市/旗 (示范县教育局, 示范县财政局 -> 示范县)."""
    names = [a.name for a in agencies]
    prefix = os.path.commonprefix(names)  # noqa: RUF071 - characters, not path components
    for end in range(len(prefix), 0, -1):
        if prefix[end - 1] in "县区市旗州盟":
            return prefix[:end]
    return ""


def _rows(agencies: list[Agency], assignment: Assignment) -> list[Row]:
    rows: list[Row] = []
    extra: list[Row] = []
    for n, agency in enumerate(agencies):
        accepted = assignment.accepted(n)
        if accepted is None:
            rows.append(Row(agency.name, agency.code, "missing", roster_index=n))
            continue
        how = HOW[assignment.how(n)]
        dups = assignment.duplicates(n)
        note = how + (f"；另有 {len(dups)} 份重复报送" if dups else "")
        rows.append(Row(agency.name, agency.code, accepted.status, accepted, note, roster_index=n))
        for dup in dups:
            same = "，内容完全相同" if dup.sha256 and dup.sha256 == accepted.sha256 else ""
            extra.append(
                Row(
                    agency.name,
                    agency.code,
                    "duplicate",
                    dup,
                    f"与“{accepted.file_name}”重复报送{same}，已采用后者（{STATUS_ZH[accepted.status]}）",
                )
            )
    for o in assignment.unmatched:
        status = "unreadable" if o.status == "unreadable" else "outsider"
        note = "" if status == "unreadable" else "文件中的单位名称不在花名册中，请核对名称或补充花名册"
        extra.append(Row(o.agency or o.meta_agency, o.meta_code, status, o, note))
    return rows + sorted(extra, key=lambda r: r.outcome.index if r.outcome else 0)


NEW_APPLICATIONS = "t3.new.total"


class _Running:
    """Cell-wise sums kept while returns arrive, so no return is read back to sum it.

    Every return that passed its check is added as it arrives; once returns are matched to the
    roster, the few that are not included after all (duplicates, not in the roster, failed against
    last year) are taken out again.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.tables = {
            t: _numeric_cells(spec, t) for t in sorted({c.table for c in spec.cells.values() if c.domain.numeric})
        }
        self.totals = {c: Decimal(0) for cells in self.tables.values() for c in cells}
        self.counted: dict[int, Number] = {}  # outcome index -> its new applications

    def _apply(self, o: Outcome, values: dict[str, Number | None], sign: int) -> None:
        for table_id, cells in self.tables.items():
            if summable(self.spec, o, table_id):
                for cell_id in cells:
                    v = values.get(cell_id)
                    if isinstance(v, int | Decimal):
                        self.totals[cell_id] += sign * v

    def add(self, o: Outcome) -> None:
        if o.status in INCLUDED:
            self._apply(o, o.values, 1)
            ok = summable(self.spec, o, NEW_APPLICATIONS.split(".")[0])
            self.counted[o.index] = (o.values.get(NEW_APPLICATIONS) or 0) if ok else 0

    def settle(self, county: County) -> tuple[dict[str, Decimal], list[tuple[int, str, Number]]]:
        """The county totals over the included returns, and each included agency's new applications."""
        included = {r.outcome.index: r for r in county.rows if r.included and r.outcome is not None}
        for row in county.rows:
            o = row.outcome
            if o is not None and o.index in self.counted and o.index not in included:
                self._apply(o, county.store.values(o.index), -1)
        new = [(index, included[index].agency, n) for index, n in self.counted.items() if index in included]
        return self.totals, new


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
) -> None:
    """Last year's returns, matched to the roster, checked against this year's (carry-over, roll-forward)."""
    old = Store(workdir / "previous.sqlite")
    check_all([previous], year - 1, None, lang, jobs, old)
    old_assignment = assign(agencies, old.heads())
    across_years = {r.id for r in spec.rules if any(i.uses_prev for i in r.instances)}
    for n in range(len(agencies)):
        current, before = assignment.accepted(n), old_assignment.accepted(n)
        if current is None or before is None or current.status == "unreadable" or before.status == "unreadable":
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
    old.close()


@lru_cache(maxsize=8)
def _plan_places(spec_id: str) -> dict[str, str]:
    plan = workbook_plan(load_spec(spec_id))
    return {cell_id: f"{sheet}!{plan.address(cell_id)}" for cell_id, (sheet, _, _) in plan.positions.items()}


def long_csv(county: County) -> str:
    """The long table (agency, file, status, included, cell id, labels, value) for analysts."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["单位名称", "文件", "状态", "纳入汇总", "单元格编号", "表", "行", "列", "数值"])
    for row in county.detail_rows:
        assert row.outcome is not None
        values = county.store.values(row.outcome.index)
        for cell_id, value in values.items():
            cell = county.spec.cells.get(cell_id)
            table = county.spec.tables[cell.table].number if cell else ""
            w.writerow(
                [
                    csv_text(row.agency),
                    csv_text(row.outcome.name),
                    STATUS_ZH[row.status],
                    "是" if row.included else "否",
                    cell_id,
                    table,
                    csv_text(cell.row_label if cell else ""),
                    csv_text(cell.column_label if cell else ""),
                    "" if value is None else str(value),
                ]
            )
    return "\ufeff" + buf.getvalue()


def write_csv(county: County, path: Path) -> None:
    write_text_atomic(path, long_csv(county))


def workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="zfxxgk-compile-")


__all__ = [
    "INCLUDED",
    "STATUS_EN",
    "STATUS_ZH",
    "County",
    "Finding",
    "Number",
    "Row",
    "compile_county",
    "county_name",
    "workdir",
    "write_csv",
]
