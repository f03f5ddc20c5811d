"""LibreOffice headless as the real spreadsheet engine: it must compute what we stored and what the rules say."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import as_decimal, fill_strategy, fill_with_openpyxl, stored_values
from zfxxgk.check.rules import holds
from zfxxgk.libreoffice import convert
from zfxxgk.messages import text
from zfxxgk.roster import Agency
from zfxxgk.spec import LinearForm, Spec, load_spec
from zfxxgk.spec.evaluate import CHECKER, computed_values
from zfxxgk.template.formulas import BAD_TEXT, OK_TEXT
from zfxxgk.template.plan import workbook_plan
from zfxxgk.template.writer import build_template

pytestmark = pytest.mark.libreoffice
SPEC = load_spec("national-2021")


def shown_status(line: str) -> tuple[str, int]:
    """A table's status line read back as (what it reports, how many): errors, blanks or done."""
    for kind in ("errors", "blanks"):
        before, _, after = text(f"sheet.status-{kind}").partition("{n}")
        m = re.fullmatch(re.escape(before) + r"(\d+)" + re.escape(after), line)
        if m:
            return kind, int(m.group(1))
    assert line == text("sheet.status-done"), line
    return "done", 0


def sheet_view(path: Path, spec: Spec) -> dict[str, Any]:
    """Totals, check cells and status lines as stored in a workbook."""
    plan = workbook_plan(spec)
    wb = openpyxl.load_workbook(path, data_only=True)
    out: dict[str, Any] = {}
    for cell_id in spec.computed_order:
        sheet, r, c = plan.positions[cell_id]
        out[cell_id] = wb[sheet].cell(r + 1, c + 1).value
    for ts in plan.tables:
        ws = wb[ts.name]
        out[f"status:{ts.name}"] = shown_status(ws.cell(ts.status[1] + 1, 1).value)
        for spot in ts.checks:
            out[f"check:{spot.instance.key}"] = ws.cell(spot.pos[1] + 1, spot.pos[2] + 1).value
    return out


def summed(value: Any) -> Decimal:
    """What SUM() takes from a cell: a number counts; text (even "12" or "=1+1") and blanks do not."""
    return Decimal(str(value)) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else Decimal(0)


def side(form: LinearForm, values: dict[str, Any]) -> Decimal:
    return form.const + sum((k * summed(values.get(t.cell)) for t, k in form.terms), Decimal(0))


def expected_view(spec: Spec, fill: dict[str, Any]) -> dict[str, Any]:
    """What a spreadsheet must show for these inputs, worked out here from the spec's rule terms.

    Independent of the writer's own model (``template.formulas``): each total is the sum of its
    rule's terms over the cell contents, each check compares both sides of its rule with the rule's
    tolerance, and a status line counts failed checks, else blank input cells.
    """
    values: dict[str, Any] = dict(fill)
    for cell_id in spec.computed_order:  # dependencies first: a total of totals sees their sums
        form = spec.cells[cell_id].formula
        assert form is not None
        values[cell_id] = side(form, values)
    out: dict[str, Any] = {k: values[k] for k in spec.computed_order}
    for ts in workbook_plan(spec).tables:
        bad = 0
        for spot in ts.checks:
            i = spot.instance
            diff, tol = side(i.check.lhs, values) - side(i.check.rhs, values), i.rule.tolerance
            ok = {"=": abs(diff) <= tol, "<=": diff <= tol, ">=": diff >= -tol, "<": diff < tol, ">": diff > -tol}
            out[f"check:{i.key}"] = OK_TEXT if ok[i.check.op] else BAD_TEXT
            bad += not ok[i.check.op]
        blanks = sum(fill.get(c) in (None, "") for c in ts.table.cells if not spec.cells[c].computed)
        out[f"status:{ts.name}"] = ("errors", bad) if bad else ("blanks", blanks) if blanks else ("done", 0)
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("1e-9")
    return bool(a == b)


batches = st.lists(st.one_of(fill_strategy(SPEC), fill_strategy(SPEC, hostile=True)), min_size=4, max_size=4)


@settings(max_examples=3)
@given(fills=batches)
def test_libreoffice_recalculation_agrees_with_stored_results_and_rules(
    fills: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("lo")
    src = work / "in"
    src.mkdir()
    files = []
    for n, fill in enumerate(fills):
        # Written by us, with stored results, and typed in by a script, without stored results.
        ours = src / f"ours{n}.xlsx"
        ours.write_bytes(build_template(SPEC, 2025, Agency(name="甲"), prefill=fill))
        typed = src / f"typed{n}.xlsx"
        fill_with_openpyxl(src / f"ours{n}.xlsx", fill, typed)
        files += [ours, typed]
    outputs = convert(files, "xlsx", work / "out")
    for n, fill in enumerate(fills):
        expected = expected_view(SPEC, fill)
        stored = sheet_view(files[2 * n], SPEC)
        assert stored.keys() == expected.keys()
        assert all(same(stored[k], expected[k]) for k in expected), "stored results differ from the model"
        for out in outputs[2 * n : 2 * n + 2]:
            got = sheet_view(out, SPEC)
            diffs = {k: (got[k], expected[k]) for k in expected if not same(got[k], expected[k])}
            assert not diffs, (out.name, diffs)
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in fill.values()):
            # Valid input: LibreOffice's totals and checks are also exactly what the rules compute.
            decimals = {k: Decimal(str(v)) for k, v in fill.items()}
            totals = computed_values(SPEC, decimals, None, CHECKER)
            got = sheet_view(outputs[2 * n], SPEC)
            assert all(as_decimal(got[k]) == v for k, v in totals.items())
            for ts in workbook_plan(SPEC).tables:
                for spot in ts.checks:
                    ok = holds(spot.instance, {**decimals, **totals})
                    assert (got[f"check:{spot.instance.key}"] == OK_TEXT) == ok, spot.instance.key


def test_a_libreoffice_save_keeps_protection_validation_names_and_map(tmp_path: Path) -> None:
    src = tmp_path / "t.xlsx"
    src.write_bytes(build_template(SPEC, 2025, Agency(name="乙局")))
    (out,) = convert([src], "xlsx", tmp_path / "out")
    wb = openpyxl.load_workbook(out)
    plan = workbook_plan(SPEC)
    for ts in plan.tables:
        ws = wb[ts.name]
        assert ws.protection.sheet
        assert ws.data_validations.dataValidation
    # LibreOffice 7.4 keeps structure protection but writes it as an empty <workbookProtection/> (measured).
    with zipfile.ZipFile(out) as z:
        assert b"<workbookProtection" in z.read("xl/workbook.xml")
    dn = wb.defined_names["ZF_T3_NEW_NATURAL"]
    assert list(dn.destinations) == [("三、依申请公开", "$D$7")]
    assert "_zfxxgk" in wb.sheetnames and wb["_zfxxgk"].sheet_state == "hidden"
    values = stored_values(out, SPEC)
    assert values["info.agency.value"] == "乙局"
