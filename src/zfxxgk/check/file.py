"""Checking one returned file: intake -> read -> values -> tampering -> rules -> narrative -> findings.

:func:`check_file` never raises for a bad file and never writes to it; every problem becomes a
:class:`~zfxxgk.findings.Finding`. The library returns a :class:`CheckResult`; the CLI prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..findings import Finding, counts, make, sort_key
from ..read.intake import Intake, take
from ..read.package import Package, PackageError, a1_to_rc
from ..read.values import Issue, Value, chinese_number, coerce, plain_number
from ..read.workbook import Part, Return, base_specs, read_workbook
from ..roster import name_key
from ..spec import Cell, Spec
from ..spec.compiled import forest_paths
from ..template.formulas import computed_values, linear_formula
from ..template.layout import with_agency
from ..template.plan import workbook_plan
from .narrative import narrative_findings, section_findings
from .rules import Number, recompute, rule_findings

STATUSES = ("ok", "warnings", "errors", "unreadable")  # best first
STATUS_LABEL = {
    "zh": {"ok": "合格", "warnings": "有警告", "errors": "有错误", "unreadable": "无法读取"},
    "en": {"ok": "passed", "warnings": "warnings", "errors": "errors", "unreadable": "unreadable"},
}


def status_of(errors: int, warnings: int) -> str:
    """The status of a file that could be read, from its numbers of errors and warnings."""
    return "errors" if errors else "warnings" if warnings else "ok"


@dataclass
class CheckResult:
    """Everything known about one file after checking it."""

    path: str
    intake: Intake
    ret: Return | None = None
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)  # stated values by cell id
    year: int | None = None

    @property
    def readable(self) -> bool:
        return self.ret is not None

    @property
    def status(self) -> str:
        if self.ret is None:
            return "unreadable"
        c = counts(self.findings)
        return status_of(c["error"], c["warning"])

    @property
    def spec(self) -> Spec | None:
        return self.ret.spec if self.ret and self.ret.parts else None

    @property
    def agency(self) -> str:
        return self.ret.agency if self.ret else ""

    @property
    def application(self) -> str:
        return self.ret.application if self.ret else ""


def check_file(
    path: str | Path,
    *,
    year: int | None = None,
    spec: str | None = None,
    previous: str | Path | None = None,
    lang: str = "zh",
    data: bytes | None = None,
) -> CheckResult:
    """Check one file (or ``data`` that came from an archive, named ``path``)."""
    intake = take(path, lang, data=data)
    result = CheckResult(str(path), intake)
    found: list[Finding] = []
    if intake.finding is not None:
        found.append(intake.finding)
    if intake.data is not None:
        try:
            ret = read_workbook(Package(intake.data), spec, lang)
            prev = _previous_values(previous, lang, found) if previous else None
            checked = ret.findings + _check_return(ret, year, prev, lang, result)
        except PackageError as exc:
            found.append(make(exc.code, lang, detail=exc.detail))
            result.values = {}
        except Exception as exc:  # a file no rule foresaw: tell the user, keep the batch going
            found.append(make("read-failed", lang, detail=f"{type(exc).__name__}: {exc}"[:200]))
            result.values = {}
        else:
            result.ret = ret
            found += checked
    result.findings = sorted((_named(f, result.agency, lang).located(result.path) for f in found), key=sort_key)
    return result


def _named(f: Finding, agency: str, lang: str) -> Finding:
    """Labels that name the agency (a local table's column "{agency}") say its name."""
    if "{agency}" not in f.row_label + f.column_label:
        return f
    return replace(
        f, row_label=with_agency(f.row_label, agency, lang), column_label=with_agency(f.column_label, agency, lang)
    )


def _previous_values(path: str | Path, lang: str, found: list[Finding]) -> dict[str, Value] | None:
    prev = check_file(path, lang=lang)
    if not prev.readable or not prev.values:
        why = next((f.message for f in prev.findings if f.severity == "error"), str(path))
        found.append(make("previous-unreadable", lang, detail=why))
        return None
    return prev.values


def _check_return(
    ret: Return, year: int | None, prev: dict[str, Value] | None, lang: str, result: CheckResult
) -> list[Finding]:
    out: list[Finding] = []
    if not ret.parts:
        return out
    if year is not None and ret.year is not None and ret.year != year:
        out.append(make("year-mismatch", lang, actual=ret.year, expected=year))
    result.year = year or ret.year
    if result.year is None:
        out.append(make("year-unknown", lang))
    prev_numbers = {k: v for k, v in prev.items() if not isinstance(v, str)} if prev else None
    for part in ret.parts:
        stated, found, computed = (_template_values if ret.source == "template" else _label_values)(ret, part, lang)
        result.values.update(stated)
        out += found
        numbers = {k: v for k, v in stated.items() if not isinstance(v, str)}
        out += rule_findings(part.spec, numbers, _locator(ret, part), prev_numbers, lang, computed)
    if ret.source == "template":
        out += _tampering(ret, lang)
        out += section_findings(ret.spec, result.values, ret.locate, lang)
        if not ret.agency:
            out.append(make("agency-missing", lang))
        elif ret.meta.get("agency") and name_key(ret.meta["agency"]) != name_key(ret.agency):
            where = ret.locate("info.agency.value") or ("", "")
            out.append(
                make(
                    "agency-mismatch",
                    lang,
                    expected=ret.meta["agency"],
                    actual=ret.agency,
                    sheet=where[0],
                    cell=where[1],
                    cell_id="info.agency.value",
                )
            )
    else:
        out += _label_facts(ret, result.year, lang)
    out += narrative_findings(ret.spec, result.values, ret.locate, lang)
    out += _format_findings(ret, result.year, lang)
    return out


def _locator(ret: Return, part: Part):  # type: ignore[no-untyped-def]
    tables = set(part.tables) | ({"text", "info"} if ret.source == "template" else set())

    def locate(cell_id: str) -> tuple[str, str] | None:
        return ret.locate(cell_id) if cell_id.split(".", 1)[0] in tables else None

    return locate


def value_finding(issue: Issue, cell: Cell, where: tuple[str, str], raw: object, lang: str) -> Finding:
    """A value problem of a cell, located and labelled."""
    row_label, column_label = cell.labels(lang)
    return make(
        issue.code,
        lang,
        sheet=where[0],
        cell=where[1],
        cell_id=cell.id,
        row_label=row_label,
        column_label=column_label,
        actual=raw if raw != "" else None,
        expected=issue.expected,
        detail=issue.detail_en if lang == "en" and issue.detail_en else issue.detail,
        cells=(f"{where[0]}!{where[1]}",),
    )


def _read_value(ret: Return, cell: Cell, lang: str, out: list[Finding]) -> Value:
    read = ret.cells[cell.id]
    where = (read.sheet, read.a1)
    raw = read.raw
    if read.formula is not None and not cell.computed:
        if raw in ("", None) and not read.error:
            out.append(value_finding(Issue("input-formula-unreadable", read.formula), cell, where, raw, lang))
            return None
        out.append(value_finding(Issue("input-formula", read.formula), cell, where, raw, lang))
    value, issues = coerce(raw, cell.domain, read.error)
    for issue in issues:
        shown = read.error if issue.code == "error-value" else raw
        out.append(value_finding(issue, cell, where, shown, lang))
    return value


def _template_values(ret: Return, part: Part, lang: str) -> tuple[dict[str, Value], list[Finding], set[str]]:
    """Stated values of a template, the value and tampering findings, and the totals computed here."""
    spec = part.spec
    out: list[Finding] = []
    stated: dict[str, Value] = {}
    for cell in spec.cells.values():
        if cell.id in ret.cells and not cell.computed:
            stated[cell.id] = _read_value(ret, cell, lang, out)
    inputs: dict[str, Number | None] = {k: v for k, v in stated.items() if not isinstance(v, str)}
    typed_over: dict[str, Number | None] = {}  # totals whose formula was replaced by a constant
    for cell_id in spec.computed_order:
        read = ret.cells.get(cell_id)
        if read is not None and read.formula is None:
            literal, _ = coerce(read.raw, spec.cells[cell_id].domain)
            typed_over[cell_id] = None if isinstance(literal, str) else literal
    proper = recompute(spec, inputs)  # what every total should be
    totals = recompute(spec, inputs, typed_over) if typed_over else proper  # what the intact formulas show
    shown: dict[str, float] = {}  # what the spreadsheet computes from the raw cells, filled when needed
    computed: set[str] = set()
    positions = _Positions(ret)
    for cell_id in spec.computed_order:
        if cell_id not in ret.cells:
            continue
        cell, read = spec.cells[cell_id], ret.cells[cell_id]
        expected = proper[cell_id] if cell_id in typed_over else totals[cell_id]
        row_label, column_label = cell.labels(lang)
        at: dict[str, Any] = {
            "sheet": read.sheet,
            "cell": read.a1,
            "cell_id": cell_id,
            "row_label": row_label,
            "column_label": column_label,
            "cells": (f"{read.sheet}!{read.a1}",),
        }
        if cell_id in typed_over:
            out.append(make("formula-replaced", lang, actual=typed_over[cell_id], expected=expected, **at))
            stated[cell_id] = typed_over[cell_id]
            continue
        assert cell.formula is not None and read.formula is not None
        stored = read.raw if isinstance(read.raw, int | float) and not isinstance(read.raw, bool) else None
        # An empty text is a shared-formula child: a formula, but its text lives in another cell.
        got = _norm_formula(read.formula, read.sheet)
        intact = not read.formula or got == template_formulas(spec).get(cell_id)
        want = ""
        if not intact:  # the file's map may differ from this version's plan: compare with the file's own
            want = linear_formula(cell.formula, positions.__getitem__, read.sheet)
            intact = got == _norm_formula(want, read.sheet)
        if not intact:
            out.append(make("formula-altered", lang, actual="=" + read.formula, expected="=" + want, **at))
            stated[cell_id] = plain_number(Decimal(repr(float(stored)))) if stored is not None else expected
            continue
        stated[cell_id] = plain_number(expected)
        computed.add(cell_id)
        if stored is not None and abs(float(stored) - float(expected)) > 1e-6:
            # Stale only if the spreadsheet itself would now show something else (SUM ignores text, so
            # a total over "12件" legitimately differs from ours, which reads it as 12).
            shown = shown or computed_values(
                spec,
                {k: c.raw for k, c in ret.cells.items() if not spec.cells[k].computed},
                {k: ret.cells[k].raw for k in typed_over},
            )
            if abs(float(stored) - shown[cell_id]) > 1e-6:
                out.append(
                    make(
                        "stale-result", lang, actual=stored, expected=plain_number(Decimal(repr(shown[cell_id]))), **at
                    )
                )
    return stated, out, computed


def _label_values(ret: Return, part: Part, lang: str) -> tuple[dict[str, Value], list[Finding], set[str]]:
    out: list[Finding] = []
    stated: dict[str, Value] = {}
    for table_id in part.tables:
        for cell_id in part.spec.tables[table_id].cells:
            if cell_id in ret.cells:
                stated[cell_id] = _read_value(ret, part.spec.cells[cell_id], lang, out)
    return stated, out, set()


class _Positions(dict[str, tuple[str, int, int]]):
    """Cell id -> (sheet, row, column) in this file, worked out only when asked for."""

    def __init__(self, ret: Return) -> None:
        super().__init__()
        self.ret = ret

    def __missing__(self, cell_id: str) -> tuple[str, int, int]:
        c = self.ret.cells[cell_id]
        self[cell_id] = pos = (c.sheet, *a1_to_rc(c.a1))
        return pos


@lru_cache(maxsize=16)
def template_formulas(spec: Spec) -> dict[str, str]:
    """Normalised formula text of every computed cell where the template puts it."""
    plan = workbook_plan(spec)
    out = {}
    for cell_id in spec.computed_order:
        form = spec.cells[cell_id].formula
        assert form is not None
        sheet = plan.positions[cell_id][0]
        out[cell_id] = _norm_formula(linear_formula(form, plan.positions.__getitem__, sheet), sheet)
    return out


@lru_cache(maxsize=4096)
def _norm_formula(text: str, home: str) -> str:
    t = text.lstrip("=").replace("$", "").replace(" ", "").upper()
    t = t.replace("_XLFN.", "").replace("_XLWS.", "")
    quoted = "'" + home.replace("'", "''").upper() + "'!"
    return t.replace(quoted, "").replace(home.upper() + "!", "")


def _tampering(ret: Return, lang: str) -> list[Finding]:
    out = [make("sheet-unprotected", lang, sheet=s) for s, ok in sorted(ret.sheet_protection.items()) if not ok]
    if not ret.structure_protected:
        out.append(make("workbook-unprotected", lang))
    return out


def _tables_text(spec: Spec, table_ids: list[str], lang: str) -> str:
    """ "表二、三" or "tables 2, 3"."""
    numbers = [spec.tables[t].number for t in table_ids]
    if lang == "en":
        return "tables " + ", ".join(str(chinese_number(n) or n) for n in numbers)
    return "表" + "、".join(numbers)


def _spec_name(spec: Spec, lang: str) -> str:
    return spec.name_en if lang == "en" and spec.name_en else spec.name


def _label_facts(ret: Return, year: int | None, lang: str) -> list[Finding]:
    out: list[Finding] = []
    joiner = "; " if lang == "en" else "；"
    how = " as " if lang == "en" else "按"
    described = joiner.join(f"{_tables_text(p.spec, p.tables, lang)}{how}{_spec_name(p.spec, lang)}" for p in ret.parts)
    out.append(make("read-by-labels", lang, detail=described))
    expected = _spec_for_year(year) or ret.spec
    found = {part.spec.tables[t].number for part in ret.parts for t in part.tables}
    for table in expected.grid_tables:
        if table.number not in found:
            out.append(make("table-missing", lang, detail=f"{table.number}（{table.heading(lang)}）"))
    return out


@lru_cache(maxsize=64)
def _spec_for_year(year: int | None) -> Spec | None:
    if year is None:
        return None
    return next((spec for spec in base_specs() if spec.covers(year)), None)


def _format_findings(ret: Return, year: int | None, lang: str) -> list[Finding]:
    out: list[Finding] = []
    en = lang == "en"
    if len(ret.parts) > 1:
        detail = ("; " if en else "；").join(
            f"{_tables_text(p.spec, p.tables, lang)}{' in ' if en else '为'}{_spec_name(p.spec, lang)}"
            for p in ret.parts
        )
        out.append(make("format-mixed", lang, detail=detail))
    if year is None:
        return out
    expected = _spec_for_year(year)
    for part in ret.parts:
        if part.spec.covers(year) or expected is None:
            continue
        present = part.spec.labels() if ret.source == "template" else _matched_labels(part)
        seen = sorted((part.spec.labels() - expected.labels()) & present)
        notes = (
            [("labels of the old format: " if en else "出现了旧格式的标签：") + ("、".join(seen[:8]))] if seen else []
        )
        notes += [
            f"{label} has no sub-rows" if en else f"{label}没有细分项" for label in _collapsed_groups(part, expected)
        ]
        if not notes:
            notes = [f"spec {part.spec.id}" if en else f"格式编号 {part.spec.id}"]
        detail = (
            _tables_text(part.spec, part.tables, lang) + (": " if en else "：") + ("; " if en else "；").join(notes)
        )
        out.append(
            make(
                "format-outdated",
                lang,
                year=year,
                expected=_spec_name(expected, lang),
                actual=_spec_name(part.spec, lang),
                detail=detail,
            )
        )
    return out


def _collapsed_groups(part: Part, expected: Spec) -> list[str]:
    """Rows read as single rows that the expected format divides (2019's （六）其他处理)."""
    out = []
    for table_id in part.tables:
        theirs, ours = part.spec.tables[table_id], expected.tables.get(table_id)
        if ours is None:
            continue
        groups = {h.label for b in ours.blocks for path in forest_paths(b.rows) for h in path[:-1]}
        out += [theirs.row_labels[r][0] for r in theirs.rows if theirs.row_labels[r][0] in groups]
    return out


def _matched_labels(part: Part) -> set[str]:
    """Every header label on the path of a cell that was found by its labels."""
    out: set[str] = set()
    for m in part.match.values():
        for cell_id in m.cells:
            cell = part.spec.cells[cell_id]
            out.update(cell.row_path + cell.column_path)
    return out
