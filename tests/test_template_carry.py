"""Templates prefilled from last year's return (the spec's ``carry_over:``, ``template --previous``)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from helpers import PROSE, consistent_values, fill_with_openpyxl, filled_template, inputs_only, where
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.messages import text
from zfxxgk.roster import Agency
from zfxxgk.spec import INFO_SHEET, Spec, SpecError, load_spec
from zfxxgk.spec.loader import _digest
from zfxxgk.template.carry import Carried
from zfxxgk.template.roster_batch import write_for_roster, write_one

APPLICANTS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
IN_FORCE = ("t2.rules.in_force", "t2.normative.in_force")
CROSS_YEAR = {"P1", "P2", "P3"}


def carried_cells(spec: Spec) -> list[str]:
    return [cell for item in spec.carry_over for cell, _ in item.cells]


def expected_carry(last: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """What the spec says carries: this year's 上年结转 is last year's 结转下年度, 现行有效件数 last year's."""
    out = {f"t3.carried.{c}": last[f"t3.forward.{c}"] for c in APPLICANTS}
    out.update({c: last[c] for c in IN_FORCE if c in spec.cells})
    return out


def openpyxl_values(path: Path, spec: Spec, cells: list[str]) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {c: wb[where(spec, c)[0]][where(spec, c)[1]].value for c in cells}


def calamine_values(path: Path, spec: Spec, cells: list[str]) -> dict[str, Any]:
    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for c in cells:
        sheet, a1 = where(spec, c)
        ws = openpyxl.utils.cell.coordinate_from_string(a1)
        rows = wb.get_sheet_by_name(sheet).to_python()
        col = openpyxl.utils.column_index_from_string(ws[0]) - 1
        out[c] = rows[ws[1] - 1][col]
    return out


def info_text(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[INFO_SHEET]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_the_spec_says_what_carries_and_it_is_not_hashed(spec21: Spec, spec19: Spec) -> None:
    assert carried_cells(spec21) == [*(f"t3.carried.{c}" for c in APPLICANTS), *IN_FORCE]
    qinghe = load_spec("qinghe-2022")
    assert carried_cells(spec19) == carried_cells(qinghe) == [f"t3.carried.{c}" for c in APPLICANTS]
    for spec in (spec21, spec19, qinghe):
        assert all(not spec.cells[c].computed for c in carried_cells(spec))
        for item in spec.carry_over:
            assert all(t.prev for _, form in item.cells for t, _ in form.terms)
    raw = {"id": "x", "tables": [], "carry_over": [{"id": "a", "set": "t3.carried.natural = prev(t3.forward.natural)"}]}
    assert _digest(raw) == _digest({k: v for k, v in raw.items() if k != "carry_over"})


@pytest.mark.parametrize(
    "item",
    [
        "{id: bad, name: x, set: t3.carried.total = prev(t3.forward.total)}",  # a total, not an input cell
        "{id: bad, name: x, set: t3.carried.natural = t3.forward.natural}",  # not last year's cell
        "{id: bad, name: x, set: t3.carried.natural = prev(t3.forward.nobody)}",  # unknown cell
        "{id: bad, name: x, for_each: {c: 't3.[nosuch]'}, set: 't3.carried.{c} = prev(t3.forward.{c})'}",
    ],
)
def test_a_carry_over_that_is_not_input_cell_from_last_year_is_refused(tmp_path: Path, item: str) -> None:
    path = tmp_path / "variant.yaml"
    path.write_text(f'id: variant\nextends: national-2021\nversion: "1"\ncarry_over:\n  - {item}\n', encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_spec(str(path))
    assert "carry_over[bad].set" in str(exc.value)


def test_a_template_carries_last_years_figures_as_input_cells(tmp_path: Path, spec21: Spec) -> None:
    last = filled_template(tmp_path / "上年.xlsx", spec21, year=2024, seed=5, agency="甲局", code="A")
    told: list[Carried] = []
    out = write_one(tmp_path / "t.xlsx", spec21, 2025, Agency("甲局", "A"), previous=tmp_path / "上年.xlsx",
                    on_carry=told.append)  # fmt: skip
    want = expected_carry(last, spec21)
    (c,) = told
    assert c.values == want and c.source.endswith("上年.xlsx") and c.year == 2024 and c.errors == 0
    cells = carried_cells(spec21)
    assert openpyxl_values(out, spec21, cells) == want
    assert {k: int(v) for k, v in calamine_values(out, spec21, cells).items()} == want
    # The carried total is a formula holding the right result; the carried cells stay unlocked inputs.
    total = openpyxl_values(out, spec21, ["t3.carried.total"])["t3.carried.total"]
    assert total == sum(last[f"t3.forward.{a}"] for a in APPLICANTS)
    wb = openpyxl.load_workbook(out)
    for cell in cells:
        sheet, a1 = where(spec21, cell)
        assert wb[sheet].protection.sheet and wb[sheet][a1].protection.locked is False
    shown = info_text(out)
    assert "上年.xlsx" in shown and "2024年度" in shown and spec21.carry_over[0].name in shown
    # Read back, the template is a clean template: the notice is no structure change.
    assert not {"structure-changed", "label-changed", "input-formula"} & {f.code for f in check_file(out).findings}


def this_year(spec: Spec, last: dict[str, Any], seed: int) -> dict[str, Any]:
    """This year's inputs, consistent, with last year's carry-over kept and 现行有效件数 rolled forward."""
    v = inputs_only(spec, consistent_values(spec, seed=seed))
    for a in APPLICANTS:
        v[f"t3.carried.{a}"] = last[f"t3.forward.{a}"]
        handled = sum(v[c] for c in spec.cells if c.startswith("t3.") and c.endswith(f".{a}") and c in v
                      and c.split(".")[1] in spec.tables["t3"].sets["outcomes"])  # fmt: skip
        v[f"t3.new.{a}"] = handled + v[f"t3.forward.{a}"] - v[f"t3.carried.{a}"]
        if v[f"t3.new.{a}"] < 0:  # more carried in than handled and carried on: carry more forward
            v[f"t3.forward.{a}"] -= v[f"t3.new.{a}"]
            v[f"t3.new.{a}"] = 0
    for r in ("rules", "normative"):
        v[f"t2.{r}.repealed"] = min(v[f"t2.{r}.repealed"], last[f"t2.{r}.in_force"] + v[f"t2.{r}.issued"])
        v[f"t2.{r}.in_force"] = last[f"t2.{r}.in_force"] + v[f"t2.{r}.issued"] - v[f"t2.{r}.repealed"]
    return v


def test_a_filled_copy_of_a_carried_template_passes_the_cross_year_rules(tmp_path: Path, spec21: Spec) -> None:
    last = filled_template(tmp_path / "2024.xlsx", spec21, year=2024, seed=8, agency="甲局", code="A")
    template = write_one(tmp_path / "t.xlsx", spec21, 2025, Agency("甲局", "A"), previous=tmp_path / "2024.xlsx")
    filled = this_year(spec21, last, seed=9)
    typed = {k: v for k, v in filled.items() if k not in expected_carry(last, spec21) or k in IN_FORCE}
    fill_with_openpyxl(template, {**typed, **PROSE}, tmp_path / "filled.xlsx")
    result = check_file(tmp_path / "filled.xlsx", year=2025, previous=tmp_path / "2024.xlsx")
    codes = {f.code for f in result.findings}
    assert not CROSS_YEAR & codes and not {c for c in codes if c.startswith("previous-")}, result.findings
    assert result.status != "errors", [f for f in result.findings if f.severity == "error"]
    # Not rolled forward (the carried 现行有效件数 kept as it was): P2 says so.
    fill_with_openpyxl(template, {k: v for k, v in {**typed, **PROSE}.items() if k not in IN_FORCE}, tmp_path / "stale.xlsx")
    stale = check_file(tmp_path / "stale.xlsx", year=2025, previous=tmp_path / "2024.xlsx")
    moved = any(filled[c] != last[c] for c in IN_FORCE)
    assert moved and "P2" in {f.code for f in stale.findings}  # the fill's figures do move (seeded)


def test_unreadable_wrong_year_and_other_agency_priors_are_not_carried(tmp_path: Path, spec21: Spec) -> None:
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    filled_template(tmp_path / "旧.xlsx", spec21, year=2023, seed=5, agency="甲局", code="A")
    filled_template(tmp_path / "乙.xlsx", spec21, year=2024, seed=5, agency="乙局", code="B")
    cases = {
        "坏.xlsx": text("template.carry-previous-unreadable", detail=""),  # and why it cannot be read
        "旧.xlsx": text("template.carry-previous-year-mismatch", detail=tmp_path / "旧.xlsx", actual=2023, expected=2024),
        "乙.xlsx": text("template.carry-previous-agency-mismatch", detail=tmp_path / "乙.xlsx", actual="乙局", expected="甲局"),
    }
    for name, note in cases.items():
        told: list[Carried] = []
        out = write_one(tmp_path / f"t-{name}", spec21, 2025, Agency("甲局", "A"), previous=tmp_path / name,
                        on_carry=told.append)  # fmt: skip
        (c,) = told
        assert not c.carried and c.note().startswith(note) and len(c.note()) > len(text("template.carry-previous-unreadable", detail="")), c
        assert all(v is None for v in openpyxl_values(out, spec21, carried_cells(spec21)).values())
        assert name not in info_text(out)


def test_a_prior_with_errors_still_carries_and_says_so(tmp_path: Path, spec21: Spec) -> None:
    base = filled_template(tmp_path / "p.xlsx", spec21, year=2024, seed=5, agency="甲局", code="A")
    last = filled_template(tmp_path / "p.xlsx", spec21, year=2024, seed=5, agency="甲局", code="A",
                           extra={"t3.new.natural": base["t3.new.natural"] + 4})  # fmt: skip  # S1 fails
    told: list[Carried] = []
    out = write_one(tmp_path / "t.xlsx", spec21, 2025, Agency("甲局", "A"), previous=tmp_path / "p.xlsx",
                    on_carry=told.append)  # fmt: skip
    (c,) = told
    assert c.carried and c.errors >= 1 and text("template.carry-errors", count=c.errors) in c.note()
    assert openpyxl_values(out, spec21, ["t3.carried.natural"]) == {"t3.carried.natural": last["t3.forward.natural"]}
    assert text("template.carry-errors", count=c.errors) in info_text(out)


def test_a_return_of_the_2019_format_carries_into_a_2021_template(tmp_path: Path, spec21: Spec, spec19: Spec) -> None:
    last = filled_template(tmp_path / "2020.xlsx", spec19, year=2020, seed=3, agency="甲局", code="A")
    told: list[Carried] = []
    write_one(tmp_path / "t.xlsx", spec21, 2021, Agency("甲局", "A"), previous=tmp_path / "2020.xlsx",
              on_carry=told.append)  # fmt: skip
    assert told[0].values == {f"t3.carried.{a}": last[f"t3.forward.{a}"] for a in APPLICANTS}  # no 现行有效件数 in 2019


def test_a_roster_batch_pairs_each_agency_with_its_own_prior(tmp_path: Path, spec21: Spec) -> None:
    prev = tmp_path / "上年"
    prev.mkdir()
    a = filled_template(prev / "a.xlsx", spec21, year=2024, seed=1, agency="示范县国土资源局", code="A")  # renamed
    c = filled_template(prev / "c.xlsx", spec21, year=2024, seed=3, agency="示范县丙局", code="")  # by name
    filled_template(prev / "b.xlsx", spec21, year=2023, seed=2, agency="示范县乙局", code="B")  # a year too old
    filled_template(prev / "d.xlsx", spec21, year=2024, seed=4, agency="示范县丁局", code="D")  # not on the roster
    (prev / "坏.xlsx").write_bytes(b"\x00junk")
    with zipfile.ZipFile(tmp_path / "上年.zip", "w") as z:
        for p in sorted(prev.iterdir()):
            z.write(p, p.name)
    roster = tmp_path / "花名册.csv"
    roster.write_text("单位名称,单位编码\n示范县自然资源和规划局,A\n示范县乙局,B\n示范县丙局,C\n", encoding="utf-8")
    for given in (prev, tmp_path / "上年.zip"):
        out = tmp_path / f"out-{given.suffix or 'dir'}"
        batch = write_for_roster(roster, out, spec21, 2025, previous=given)
        cells = carried_cells(spec21)
        got = {n: openpyxl_values(p, spec21, cells) for n, p in batch.files.items()}
        assert got["示范县自然资源和规划局"] == expected_carry(a, spec21)
        assert got["示范县丙局"] == expected_carry(c, spec21)
        assert all(v is None for v in got["示范县乙局"].values())
        assert batch.listing is not None
        rows = list(csv.reader(io.StringIO(batch.listing.read_text(encoding="utf-8-sig"))))
        assert rows[0][-2:] == [text("jobs.list-carried"), text("jobs.list-carry-note")]
        by_name = {r[1]: r for r in rows[1:]}
        assert by_name["示范县自然资源和规划局"][-2] == text("jobs.carried-yes") and "a.xlsx" in by_name["示范县自然资源和规划局"][-1]
        assert by_name["示范县乙局"][-2] == text("jobs.carried-no") and "2023" in by_name["示范县乙局"][-1]
        unused = {p.name for p in batch.priors} - {x.source for x in batch.carried.values() if x.carried}
        assert {Path(n).name for n in unused} == {"b.xlsx", "d.xlsx", "坏.xlsx"}


def test_cli_template_previous(tmp_path: Path, spec21: Spec) -> None:
    last = filled_template(tmp_path / "上年.xlsx", spec21, year=2024, seed=5, agency="甲局", code="")
    runner = CliRunner()
    done = runner.invoke(main, ["template", "--year", "2025", "--agency", "甲局", "-o", str(tmp_path / "t.xlsx"),
                                "--previous", str(tmp_path / "上年.xlsx")])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "上年.xlsx" in done.output and "2024" in done.output
    assert openpyxl_values(tmp_path / "t.xlsx", spec21, carried_cells(spec21)) == expected_carry(last, spec21)
    done = runner.invoke(main, ["template", "--year", "2025", "--agency", "乙局", "-o", str(tmp_path / "u.xlsx"),
                                "--previous", str(tmp_path / "上年.xlsx"), "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0 and "Nothing carried" in done.output and "甲局" in done.output
    roster = tmp_path / "r.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    (tmp_path / "junk.xlsx").write_bytes(b"junk")
    done = runner.invoke(main, ["template", "--year", "2025", "--roster", str(roster), "-o", str(tmp_path / "out"),
                                "--previous", str(tmp_path / "上年.xlsx"), "--previous", str(tmp_path / "junk.xlsx")])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert text("template.carry-batch", carried=1, missing=1) in done.output and "junk.xlsx" in done.output


@pytest.mark.libreoffice
def test_libreoffice_recalculates_a_carried_template_to_the_stored_figures(tmp_path: Path, spec21: Spec) -> None:
    from zfxxgk.libreoffice import convert

    last = filled_template(tmp_path / "上年.xlsx", spec21, year=2024, seed=6, agency="甲局", code="A")
    (tmp_path / "in").mkdir()
    out = write_one(tmp_path / "in" / "t.xlsx", spec21, 2025, Agency("甲局", "A"), previous=tmp_path / "上年.xlsx")
    (recalculated,) = convert([out], "xlsx", tmp_path / "out")
    cells = [*carried_cells(spec21), "t3.carried.total"]
    want = {**expected_carry(last, spec21), "t3.carried.total": sum(last[f"t3.forward.{a}"] for a in APPLICANTS)}
    assert openpyxl_values(out, spec21, cells) == want
    assert {k: int(v) for k, v in openpyxl_values(recalculated, spec21, cells).items()} == want
