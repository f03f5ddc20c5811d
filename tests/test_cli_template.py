"""``zfxxgk template`` and ``zfxxgk spec``: one workbook per roster row, safe names, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from zfxxgk.cli import main
from zfxxgk.spec import META_SHEET


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_spec_list_and_cells_json() -> None:
    code, out = run("spec", "list", "--json")
    assert code == 0 and {r["id"] for r in json.loads(out)} >= {"national-2021", "national-2019"}
    code, out = run("spec", "cells", "--json")
    cells = json.loads(out)
    assert code == 0 and len(cells) == 220
    first = cells[0]
    assert first == {
        "id": "t2.rules.issued",
        "table": "t2",
        "row": "规章",
        "column": "本年制发件数",
        "role": "input",
        "domain": "count",
        "sheet": "二、主动公开",
        "address": "B6",
        "name": "ZF_T2_RULES_ISSUED",
    }
    code, out = run("spec", "cells", "--spec", "national-2019", "--lang", "en")
    assert code == 0 and "t2.license.change" in out and "computed" in out


def test_single_template(tmp_path: Path) -> None:
    out = tmp_path / "one.xlsx"
    code, text = run("template", "--year", "2025", "--agency", "甲局", "-o", str(out))
    assert code == 0, text
    meta = openpyxl.load_workbook(out)[META_SHEET]
    assert meta["B6"].value == "甲局" and meta["B5"].value == "2025"
    code, text = run("template", "--year", "2025", "-o", str(out))
    assert code == 2 and "已存在" in text


def test_roster_gives_one_workbook_per_agency_with_safe_names(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("单位名称,单位编码\n甲局,A\n乙/丙:镇?,B\nCON,C\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    code, text = run("template", "--year", "2025", "--roster", str(roster), "-o", str(out))
    assert code == 0, text
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "模板清单.csv",
            "甲局_2025年度政府信息公开年报.xlsx",
            "乙_丙_镇__2025年度政府信息公开年报.xlsx",
            "_CON_2025年度政府信息公开年报.xlsx",
        ]
    )
    manifest = (out / "模板清单.csv").read_text(encoding="utf-8-sig")
    assert "乙/丙:镇?" in manifest
    meta = openpyxl.load_workbook(out / "乙_丙_镇__2025年度政府信息公开年报.xlsx")[META_SHEET]
    assert meta["B6"].value == "乙/丙:镇?" and meta["B7"].value == "B"


def test_bad_roster_and_bad_year_exit_2(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("单位名称\n甲局\n甲局\n", encoding="utf-8")
    code, text = run("template", "--year", "2025", "--roster", str(roster), "-o", str(tmp_path / "o"))
    assert code == 2 and "第3行" in text
    code, text = run("template", "--year", "2025", "--spec", "national-2019", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "2019–2020" in text
    code, text = run("template", "--year", "2025", "--spec", "nope", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "找不到这个规格" in text
