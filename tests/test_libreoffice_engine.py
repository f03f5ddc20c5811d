"""LibreOffice headless as the real spreadsheet engine: it must compute what we stored and what the rules say."""

from __future__ import annotations

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
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec, load_spec
from zfxxgk.spec.evaluate import CHECKER, computed_values, linear_value
from zfxxgk.template.formulas import OK_TEXT, status_value
from zfxxgk.template.plan import workbook_plan
from zfxxgk.template.writer import build_template

pytestmark = pytest.mark.libreoffice
SPEC = load_spec("national-2021")


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
        out[f"status:{ts.name}"] = ws.cell(ts.status[1] + 1, 1).value
        for spot in ts.checks:
            out[f"check:{spot.instance.key}"] = ws.cell(spot.pos[1] + 1, spot.pos[2] + 1).value
    return out


def expected_view(spec: Spec, fill: dict[str, Any]) -> dict[str, Any]:
    """What a spreadsheet shows for these inputs, by our model of spreadsheet semantics."""
    inputs = {c.id: None for c in spec.input_cells} | fill
    values = {**inputs, **computed_values(spec, inputs)}
    out: dict[str, Any] = {k: values[k] for k in spec.computed_order}
    from zfxxgk.template.formulas import check_value, is_blank

    for ts in workbook_plan(spec).tables:
        bad = 0
        for spot in ts.checks:
            i = spot.instance
            v = check_value(
                linear_value(i.check.lhs, values.get),
                i.check.op,
                linear_value(i.check.rhs, values.get),
                i.rule.tolerance,
            )
            out[f"check:{i.key}"] = v
            bad += v != OK_TEXT
        blanks = sum(is_blank(inputs[c]) for c in ts.table.cells if not spec.cells[c].computed)
        out[f"status:{ts.name}"] = status_value(bad, blanks)
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
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
