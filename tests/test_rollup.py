"""``rollup``: counties' compiled results into a city, cities into a province, with completeness per level.

Three counties are compiled from generated returns (a missing agency, an unreadable return); each
gives a 汇总.xlsx and a results folder (one ``compile_county`` call, as ``compile --out``). The city's totals
must equal a flat compile of every agency's return against the union roster, cell by cell.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from helpers import filled_template
from zfxxgk.cli import main
from zfxxgk.county import compile_county
from zfxxgk.county.results import CELLS, META, read_results
from zfxxgk.county.rollup import RollupError, rollup_units
from zfxxgk.county.rollup_tally import Node
from zfxxgk.spec import load_spec

YEAR = 2025
COUNTIES = {  # county -> (roster, agencies that return a file, agencies whose file cannot be read)
    "甲县": (["甲县教育局", "甲县财政局", "甲县公安局"], ["甲县教育局", "甲县财政局"], []),
    "乙县": (["乙县教育局", "乙县财政局", "乙县民政局"], ["乙县教育局", "乙县财政局"], ["乙县民政局"]),
    "丙县": (["丙县教育局", "丙县水利局"], ["丙县教育局", "丙县水利局"], []),
}


@dataclass
class Area:
    root: Path
    books: dict[str, Path]  # county -> its 汇总.xlsx
    folders: dict[str, Path]  # county -> its results folder
    flat: dict[str, Decimal]  # a flat compile's totals over every agency


def roster(path: Path, names: list[str]) -> Path:
    path.write_text("单位名称\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> Area:
    root = tmp_path_factory.mktemp("area")
    spec = load_spec(None)
    books, folders, inputs, everyone = {}, {}, [], []
    seed = 0
    for county, (names, returned, broken) in COUNTIES.items():
        returns = root / county / "returns"
        returns.mkdir(parents=True)
        for name in returned:
            seed += 1
            filled_template(returns / f"{name}_{YEAR}年度政府信息公开年报.xlsx", spec, YEAR, seed, name, code=f"C{seed}")
        for name in broken:
            (returns / f"{name}_{YEAR}年度政府信息公开年报.xlsx").write_bytes(b"not a workbook")
        listed = roster(root / county / "roster.csv", names)
        books[county] = root / county / "汇总.xlsx"
        folders[county] = root / county / "results"
        compile_county([returns], listed, YEAR, books[county], jobs=1, name=county, results=folders[county])
        inputs.append(returns)
        everyone += names
    flat = compile_county(inputs, roster(root / "all.csv", everyone), YEAR, root / "flat" / "汇总.xlsx", jobs=1)
    return Area(root, books, folders, flat.county.totals)


def same_totals(got: dict[str, Decimal], want: dict[str, Decimal]) -> None:
    cells = set(got) | set(want)
    assert {c: got.get(c, 0) for c in cells} == {c: want.get(c, 0) for c in cells}
    assert any(want.values())  # the returns have figures: the comparison is not of zeros


def counts(node: Node) -> tuple[int, int, int, int, int]:
    return node.listed, node.returned, node.included, node.missing, node.files


def sheet(path: Path, name: str) -> list[list[Any]]:
    rows: list[list[Any]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return rows


def test_the_city_totals_equal_a_flat_compile_and_completeness_is_per_county(area: Area, tmp_path: Path) -> None:
    roll = rollup_units(list(area.folders.values()), tmp_path / "市汇总.xlsx", name="某市")
    same_totals(roll.totals, area.flat)
    assert counts(roll.node(("甲县",))) == (3, 2, 2, 1, 2)  # 甲县公安局 did not return
    assert counts(roll.node(("乙县",))) == (3, 3, 2, 0, 3)  # 乙县民政局's file cannot be read
    assert counts(roll.node(("丙县",))) == (2, 2, 2, 0, 2)
    assert counts(roll.node(())) == (8, 7, 6, 1, 7)
    assert roll.node(("甲县",)).rate(2) == Decimal("66.7")
    rows = sheet(tmp_path / "市汇总.xlsx", "完整性")
    by_unit = {r[2]: r for r in rows[4:]}
    assert by_unit["甲县"][3:8] == [3, 2, 2, 1, 2]
    assert by_unit["合计"][3:8] == [8, 7, 6, 1, 7]
    assert by_unit["合计"][8] == pytest.approx(7 / 8)
    assert "报送率 87.5%" in rows[1][0]


def test_the_summary_sheet_sums_the_units_rows_of_the_drill_down(area: Area, tmp_path: Path) -> None:
    out = tmp_path / "市汇总.xlsx"
    roll = rollup_units(list(area.folders.values()), out, name="某市")
    detail = sheet(out, "明细")
    ids = detail[1][5:]
    units = {r[1]: r for r in detail[2:5]}
    assert set(units) == {"甲县", "乙县", "丙县"} and all(r[4] == "是" for r in units.values())
    for k, cell_id in enumerate(ids, start=5):
        assert sum(Decimal(str(r[k] or 0)) for r in units.values()) == roll.totals[cell_id]
    agencies = [r for r in detail[6:] if r[2]]
    assert {(r[1], r[2]) for r in agencies} >= {("甲县", "甲县教育局"), ("乙县", "乙县民政局"), ("甲县", "甲县公安局")}
    formulas = [c.value for row in openpyxl.load_workbook(out)["汇总表"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(re.search(r"'明细'!\$[A-Z]+\$3:\$[A-Z]+\$5,", f) for f in formulas)  # the unit rows only


def test_workbook_inputs_give_the_totals_and_counts_of_results_folders(area: Area, tmp_path: Path) -> None:
    from_books = rollup_units(list(area.books.values()), tmp_path / "a.xlsx", name="某市")
    from_folders = rollup_units(list(area.folders.values()), tmp_path / "b.xlsx", name="某市")
    assert from_books.totals == from_folders.totals
    same_totals(from_books.totals, area.flat)
    for chain in [(), ("甲县",), ("乙县",), ("丙县",)]:
        assert counts(from_books.node(chain)) == counts(from_folders.node(chain))
    assert not any(u.problem for u in from_books.units)


def test_a_province_rolls_up_its_cities_the_same_way_with_a_drill_down_to_the_agency(
    area: Area, tmp_path: Path
) -> None:
    f = area.folders
    rollup_units([f["甲县"], area.books["乙县"]], tmp_path / "东市.xlsx", name="东市", out_dir=tmp_path / "东市")
    rollup_units([f["丙县"]], tmp_path / "西市.xlsx", name="西市", out_dir=tmp_path / "西市")
    out = tmp_path / "省汇总.xlsx"
    province = rollup_units([tmp_path / "东市", tmp_path / "西市"], out, name="某省", out_dir=tmp_path / "省")
    same_totals(province.totals, area.flat)
    assert province.tree() == [("东市",), ("东市", "甲县"), ("东市", "乙县"), ("西市",), ("西市", "丙县")]
    assert counts(province.node(("东市",))) == (6, 5, 4, 1, 5)
    assert counts(province.node(("东市", "乙县"))) == (3, 3, 2, 0, 3)
    assert counts(province.node(())) == (8, 7, 6, 1, 7)
    results = read_results(tmp_path / "省")
    assert results.meta["counts"]["agencies"] == 8 and results.meta["year"] == YEAR
    cells = results.cells
    mine = cells[cells["agency"] == "甲县教育局"]
    assert {tuple(u) for u in mine["units"]} == {("东市", "甲县")}
    included = cells[cells["included"]]
    assert sum(included["value"].dropna()) == sum(area.flat.values())
    detail = sheet(out, "明细")
    units = [(r[1], r[4]) for r in detail[2:7]]
    assert units == [("东市", "小计"), ("东市 › 甲县", "是"), ("东市 › 乙县", "是"), ("西市", "小计"), ("西市 › 丙县", "是")]
    assert ["东市 › 甲县", "甲县教育局"] in [r[1:3] for r in detail[8:]]


def test_broken_other_year_other_spec_and_twice_given_inputs_are_reported_not_summed(
    area: Area, tmp_path: Path
) -> None:
    broken = tmp_path / "坏县"
    shutil.copytree(area.folders["丙县"], broken)
    (broken / CELLS).write_bytes(b"PAR1 not parquet")
    older = tmp_path / "旧县"
    shutil.copytree(area.folders["丙县"], older)
    meta = json.loads((older / META).read_text(encoding="utf-8"))
    (older / META).write_text(json.dumps({**meta, "name": "旧县", "year": YEAR - 1}), encoding="utf-8")
    other = tmp_path / "他县"
    shutil.copytree(area.folders["丙县"], other)
    (other / META).write_text(json.dumps({**meta, "name": "他县", "spec_id": "national-2019"}), encoding="utf-8")
    city = tmp_path / "城.xlsx"
    rollup_units([area.folders["甲县"]], city, name="城")
    inputs = [area.folders["甲县"], area.folders["乙县"], area.books["甲县"], broken, older, other, city, tmp_path / "x.txt"]
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    roll = rollup_units(inputs, tmp_path / "市汇总.xlsx", name="某市")
    problems = {u.path.name: u.problem.code for u in roll.units if u.problem}
    assert problems == {
        "汇总.xlsx": "unit-twice", "坏县": "unit-unreadable", "旧县": "unit-other-year", "他县": "unit-other-spec",
        "城.xlsx": "unit-unreadable", "x.txt": "unit-unreadable",
    }  # fmt: skip
    good = rollup_units([area.folders["甲县"], area.folders["乙县"]], tmp_path / "好.xlsx")
    assert roll.totals == good.totals
    findings = sheet(tmp_path / "市汇总.xlsx", "问题清单")
    assert {r[4] for r in findings[1:]} >= {"unit-twice", "unit-unreadable", "unit-other-year", "unit-other-spec"}
    assert any("逐级汇总" in str(r[9]) for r in findings[1:])  # a city's workbook: give its results folder
    completeness = sheet(tmp_path / "市汇总.xlsx", "完整性")
    assert any(r[2] == "旧县" and "2024" in str(r[11]) for r in completeness)


def test_nothing_to_sum_and_a_wrong_output_are_refused(area: Area, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(RollupError, match="没有可以汇总"):
        rollup_units([tmp_path / "x.txt"], tmp_path / "a.xlsx")
    with pytest.raises(RollupError, match=r"\.xlsx"):
        rollup_units([area.folders["甲县"]], tmp_path / "a.csv")
    assert not (tmp_path / "a.xlsx").exists()


def test_an_identity_failing_on_a_units_totals_is_listed(area: Area, tmp_path: Path) -> None:
    tampered = tmp_path / "甲县"
    shutil.copytree(area.folders["甲县"], tampered)
    table = pq.read_table(tampered / CELLS).to_pylist()
    spec = load_spec(None)
    first = next(r for r in table if r["included"] and r["value"] and spec.cells[r["cell_id"]].computed)
    first["value"] += 1000  # a total that no longer adds up
    pq.write_table(pa.Table.from_pylist(table, pq.read_schema(tampered / CELLS)), tampered / CELLS)
    roll = rollup_units([tampered, area.folders["乙县"]], tmp_path / "市汇总.xlsx", name="某市")
    assert {chain for chain, _ in roll.checks} == {(), ("甲县",)}
    findings = sheet(tmp_path / "市汇总.xlsx", "问题清单")
    assert {r[1] for r in findings[1:]} == {"合计", "甲县"}


def test_the_drill_down_points_to_the_results_folder_past_its_limit(area: Area, tmp_path: Path) -> None:
    out = tmp_path / "市汇总.xlsx"
    rollup_units(list(area.folders.values()), out, name="某市", out_dir=tmp_path / "市", limit=3)
    detail = sheet(out, "明细")
    assert sum(1 for r in detail[6:] if r[2]) == 3
    assert f"其余 5 行见结果文件夹 {tmp_path / '市'}" in str(detail[-1][0])


def test_the_command_line_rolls_up_and_writes_the_results_folder(area: Area, tmp_path: Path) -> None:
    args = ["rollup", *map(str, area.folders.values()), "-o", str(tmp_path / "市汇总.xlsx"), "--out"]
    res = CliRunner().invoke(main, [*args, str(tmp_path / "市"), "--name", "某市"])
    assert res.exit_code == 0, res.output
    assert "花名册 8 个单位，已报送 7 个，纳入汇总 6 个，未报送 1 个" in res.output
    assert read_results(tmp_path / "市").meta["name"] == "某市"
    res = CliRunner().invoke(main, ["rollup", str(area.folders["甲县"]), "-o", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and ".xlsx" in res.output


def test_an_english_workbook_and_a_damaged_page_are_read_or_reported(area: Area, tmp_path: Path) -> None:
    english = tmp_path / "Bing.xlsx"
    compile_county([area.root / "丙县" / "returns"], area.root / "丙县" / "roster.csv", YEAR, english, jobs=1, lang="en")
    roll = rollup_units([english], tmp_path / "a.xlsx", name="某市")
    assert roll.totals == rollup_units([area.books["丙县"]], tmp_path / "b.xlsx").totals
    assert counts(roll.node(("丙县",))) == (2, 2, 2, 0, 2)
    damaged = tmp_path / "坏县"
    shutil.copytree(area.folders["丙县"], damaged)
    table = pq.read_table(damaged / CELLS)
    pq.write_table(table, damaged / CELLS, row_group_size=50, compression="zstd", write_page_checksum=True)
    data = bytearray((damaged / CELLS).read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    (damaged / CELLS).write_bytes(bytes(data))
    roll = rollup_units([damaged, area.folders["甲县"]], tmp_path / "c.xlsx", name="某市")
    assert [u.problem.code if u.problem else "" for u in roll.units] == ["unit-unreadable", ""]
