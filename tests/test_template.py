"""The generated workbook: protection, formulas with correct stored results, validation, names, metadata."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from openpyxl.utils import get_column_letter, range_boundaries

from helpers import as_decimal, fill_strategy, grid_inputs, stored_values
from zfxxgk.check.rules import holds
from zfxxgk.roster import Agency
from zfxxgk.spec import META_SHEET, Spec, load_spec
from zfxxgk.spec.evaluate import CHECKER, computed_values
from zfxxgk.template.formulas import BAD_TEXT, OK_TEXT, status_value
from zfxxgk.template.plan import cell_map, workbook_plan
from zfxxgk.template.writer import build_template


@pytest.fixture(params=["national-2021", "national-2019"])
def spec(request: pytest.FixtureRequest) -> Spec:
    return load_spec(request.param)


def open_both(path: Path) -> tuple[Any, Any]:
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def merged_owner(ws: Any) -> dict[str, str]:
    """Every cell inside a merged range -> the range's top-left coordinate."""
    owner = {}
    for rng in ws.merged_cells.ranges:
        c0, r0, c1, r1 = range_boundaries(str(rng))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[f"{get_column_letter(c)}{r}"] = f"{get_column_letter(c0)}{r0}"
    return owner


def test_only_input_cells_are_unlocked_and_every_sheet_is_protected(spec: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    path = make_template(spec, year=2025 if spec.id.endswith("2021") else 2020)
    wb = openpyxl.load_workbook(path)
    plan = workbook_plan(spec)
    inputs = {(plan.positions[c.id][0], plan.address(c.id)) for c in spec.input_cells}
    assert wb.security is not None and wb.security.lockStructure
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.selectLockedCells, ws.title  # Tab moves between input cells only
        owner = merged_owner(ws)
        for row in ws.iter_rows():
            for cell in row:
                key = (ws.title, owner.get(cell.coordinate, cell.coordinate))
                assert cell.protection.locked == (key not in inputs), (ws.title, cell.coordinate)
        found = {(ws.title, c.coordinate) for row in ws.iter_rows() for c in row if not c.protection.locked}
        assert {k for k in inputs if k[0] == ws.title} <= {(s, owner.get(a, a)) for s, a in found}


def test_defined_names_and_hidden_map_point_where_spec_cells_says(spec: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    path = make_template(spec, year=2025 if spec.id.endswith("2021") else 2020)
    wb = openpyxl.load_workbook(path)
    rows = cell_map(workbook_plan(spec))
    assert len(rows) == len(spec.cells)
    for r in rows:
        dn = wb.defined_names[r["name"]]
        dests = list(dn.destinations)
        assert dests == [(r["sheet"], "$" + "$".join(_split(r["address"])))], r
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    all_rows = list(meta.iter_rows(values_only=True))
    blank = next(n for n, row in enumerate(all_rows) if not row[0])
    head = {row[0]: row[1] for row in all_rows[:blank]}
    assert head["spec_id"] == spec.id and head["spec_hash"] == spec.hash and head["agency"] == "测试县测试局"
    assert all_rows[blank + 1][0] == "cell_id\tsheet\taddress\trole\tdomain"
    listed = [tuple(row[0].split("\t")) for row in all_rows[blank + 2 :]]
    assert listed == [(r["id"], r["sheet"], r["address"], r["role"], r["domain"]) for r in rows]


def _split(address: str) -> tuple[str, str]:
    letters = "".join(ch for ch in address if ch.isalpha())
    return letters, address[len(letters) :]


def test_totals_are_formulas_and_user_text_is_never_one(spec21: Spec, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    hostile = '=HYPERLINK("http://evil.example","点我")'
    path.write_bytes(build_template(spec21, 2025, Agency(name=hostile, contact="+1-2", phone="@SUM(1)")))
    wb = openpyxl.load_workbook(path)
    plan = workbook_plan(spec21)
    for cell in spec21.cells.values():
        sheet, r, c = plan.positions[cell.id]
        x = wb[sheet].cell(r + 1, c + 1)
        if cell.computed:
            assert x.data_type == "f" and x.value.startswith("=SUM("), cell.id
        else:
            assert x.data_type != "f", cell.id
    sheet, r, c = plan.positions["info.agency.value"]
    assert wb[sheet].cell(r + 1, c + 1).value == hostile and wb[sheet].cell(r + 1, c + 1).data_type == "s"
    with zipfile.ZipFile(path) as z:
        assert b"evil.example" not in b"".join(
            z.read(n)
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and b"<f>" in z.read(n) and b"HYPERLINK" in z.read(n)
        )


@settings(max_examples=25)
@given(data=fill_strategy(load_spec("national-2021")))
def test_stored_results_equal_what_the_rules_compute(
    data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = load_spec("national-2021")
    path = tmp_path_factory.mktemp("stored") / "t.xlsx"
    path.write_bytes(build_template(spec, 2025, Agency(name="甲"), prefill=data))
    stored = stored_values(path, spec)
    expected = computed_values(spec, {k: Decimal(str(v)) for k, v in data.items()}, None, CHECKER)
    for cell_id, value in expected.items():
        assert as_decimal(stored[cell_id]) == value, cell_id
    _assert_checks_and_status(spec, path, {**{k: Decimal(str(v)) for k, v in data.items()}, **expected})


def _assert_checks_and_status(spec: Spec, path: Path, values: dict[str, Any]) -> None:
    plan = workbook_plan(spec)
    wb = openpyxl.load_workbook(path, data_only=True)
    for ts in plan.tables:
        ws = wb[ts.name]
        bad = 0
        for spot in ts.checks:
            ok = holds(spot.instance, values)
            shown = ws.cell(spot.pos[1] + 1, spot.pos[2] + 1).value
            assert shown == (OK_TEXT if ok else BAD_TEXT), spot.instance.key
            bad += not ok
        blanks = sum(values.get(c) is None for c in ts.table.cells if not spec.cells[c].computed)
        assert ws.cell(ts.status[1] + 1, 1).value == status_value(bad, blanks)


def test_blank_template_status_counts_blanks(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    path = make_template(spec21)
    wb = openpyxl.load_workbook(path, data_only=True)
    plan = workbook_plan(spec21)
    t3 = next(ts for ts in plan.tables if ts.table.id == "t3")
    assert wb[t3.name]["A2"].value == status_value(0, 144)
    assert all(wb[t3.name].cell(s.pos[1] + 1, s.pos[2] + 1).value == OK_TEXT for s in t3.checks)


def test_every_input_cell_has_validation_matching_its_domain(spec: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    path = make_template(spec, year=2025 if spec.id.endswith("2021") else 2020)
    wb = openpyxl.load_workbook(path)
    plan = workbook_plan(spec)
    for cell in spec.input_cells:
        sheet, r, c = plan.positions[cell.id]
        coord = f"{get_column_letter(c + 1)}{r + 1}"
        rules = [dv for dv in wb[sheet].data_validations.dataValidation if coord in dv.sqref]
        assert len(rules) == 1, cell.id
        dv = rules[0]
        assert dv.showInputMessage and dv.prompt and dv.error and dv.errorStyle in (None, "stop")
        d = cell.domain
        if cell.table == "info":
            assert dv.type == "textLength"
        elif d.kind == "integer" and d.min is not None:
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), cell.id
            assert dv.prompt == d.prompt_zh
        elif d.kind == "integer":
            assert dv.type == "whole" and dv.operator in (None, "between"), cell.id  # OOXML default
        elif d.kind == "decimal":
            assert dv.type == "custom" and f"ROUND({coord},2)={coord}" in dv.formula1 and f"{coord}>=0" in dv.formula1
        else:
            assert dv.type == "textLength"


def test_print_setup_is_a4_fit_to_width_with_repeated_headers(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(make_template(spec21))
    for ts in workbook_plan(spec21).tables:
        ws = wb[ts.name]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows
        assert ws.page_setup.orientation == ("landscape" if ts.table.landscape else "portrait")


def test_layout_follows_the_official_merged_headers(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(make_template(spec21))
    plan = workbook_plan(spec21)
    t3 = next(ts for ts in plan.tables if ts.table.id == "t3")
    ws = wb[t3.name]
    merged = {str(m) for m in ws.merged_cells.ranges}
    values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value}
    corner = next(k for k, v in values.items() if v == spec21.tables["t3"].blocks[0].corner)
    assert corner == "A4" and "A4:C6" in merged  # the 勾稽 note spans the header block
    group = next(k for k, v in values.items() if v == "三、本年度办理结果")
    assert f"{group}:{group[0]}{int(group[1:]) + 21}" in merged  # merged down over the 22 result rows
    assert values["D4"] == "申请人情况" and "D4:J4" in merged
    wb2 = wb[next(ts for ts in plan.tables if ts.table.id == "t2").name]
    captions = [
        c.value for row in wb2.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("第二十条")
    ]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]


def test_prefill_rejects_non_input_cells(spec21: Spec) -> None:
    with pytest.raises(ValueError, match=r"t3\.new\.total"):
        build_template(spec21, 2025, prefill={"t3.new.total": 3})
    assert len(grid_inputs(spec21)) == 10 + 144 + 12


def test_a_password_protects_the_sheets_and_the_workbook_structure(spec21: Spec, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(build_template(spec21, 2025, Agency(name="甲"), password="zfxxgk"))
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    import re

    digest = re.search(r'<sheetProtection[^>]*password="([0-9A-F]{4})"', sheet)
    assert digest and f'workbookPassword="{digest.group(1)}" lockStructure="1"' in workbook


def test_only_error_rules_have_live_check_cells(spec21: Spec) -> None:
    spots = [s.instance.rule for ts in workbook_plan(spec21).tables for s in ts.checks]
    assert spots and all(r.severity == "error" for r in spots)
    assert {r.id for r in spots} == {"S1", "I1", "I2", "I4"}
