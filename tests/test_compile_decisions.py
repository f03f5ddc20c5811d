"""Compile decisions a county clerk can defend: which file counts, which names match, what is summed.

Every workbook is written here: templates filled by the test, their save time set in
docProps/core.xml the way an office application records it, file times set with os.utime.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from helpers import filled_template
from zfxxgk.county import compile_county
from zfxxgk.county.versions import saved_stamp
from zfxxgk.spec import Spec, load_spec
from zfxxgk.template.writer import build_template


def saved_at(path: Path, when: str, revision: int | None = None) -> None:
    """Record a save time (and revision) in the workbook, as Excel, WPS or LibreOffice do on saving."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in items:
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*<", rb"\g<1>" + when.encode() + b"<", body)
                if revision is not None:
                    body = re.sub(rb"<cp:revision>\d+<", b"<cp:revision>%d<" % revision, body)
            z.writestr(info, body)


def roster(tmp: Path, *names: str) -> Path:
    path = tmp / "roster.csv"
    path.write_text("单位名称\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    return path


def compile_rows(tmp: Path, folder: Path, roster_path: Path, spec: str | None = None) -> list[dict[str, Any]]:
    out = tmp / "汇总.xlsx"
    compile_county([folder], roster_path, 2025, out, jobs=1, spec=spec, csv=tmp / "long.csv")
    rows = list(openpyxl.load_workbook(out)["报送情况"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "序号")
    keys = rows[head]
    return [dict(zip(keys, r, strict=True)) for r in rows[head + 1 :]]


def by_file(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {Path(str(r["文件"])).name: r for r in rows if r["文件"]}


def test_the_latest_submission_wins_not_the_one_with_fewest_problems(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    first = folder / "甲局-第一版.xlsx"
    filled_template(first, spec21, agency="甲局", seed=1)
    second = folder / "甲局-第二版.xlsx"
    # The second version: different figures, one of them wrong (an error), saved two days later.
    values = filled_template(second, spec21, agency="甲局", seed=2, extra={"t3.new.natural": 999999})
    saved_at(first, "2026-01-10T08:00:00Z")
    saved_at(second, "2026-01-12T08:00:00Z")
    os.utime(second, (1_000_000_000, 1_000_000_000))  # an older file time does not outweigh the workbook's
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "甲局")))
    taken, passed = rows["甲局-第二版.xlsx"], rows["甲局-第一版.xlsx"]
    assert (taken["状态"], passed["状态"]) == ("有错误", "重复报送")
    assert "采用最新报送的一份（工作簿保存于 2026-01-12" in taken["说明"] and "另有 1 份未采用" in taken["说明"]
    assert "采用的是“甲局-第二版.xlsx”（有错误）" in passed["说明"]
    first_values = filled_template(tmp_path / "again.xlsx", spec21, agency="甲局", seed=1)
    changed = next(c for c in spec21.tables["t2"].cells if first_values[c] != values[c])
    assert f"{changed} {first_values[changed]}→{values[changed]}" in passed["说明"]
    assert re.search(r"等\d+处", passed["说明"])


def test_without_save_times_the_file_time_decides_and_a_revision_breaks_a_tie(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(("a.xlsx", "b.xlsx", "c.xlsx")):
        filled_template(folder / name, spec21, agency="甲局", seed=n)
    os.utime(folder / "a.xlsx", (1_700_000_000, 1_700_000_000))
    os.utime(folder / "b.xlsx", (1_600_000_000, 1_600_000_000))
    os.utime(folder / "c.xlsx", (1_650_000_000, 1_650_000_000))
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "甲局")))
    assert [rows[n]["状态"] for n in ("a.xlsx", "b.xlsx", "c.xlsx")] == ["合格", "重复报送", "重复报送"]
    assert "文件时间" in rows["a.xlsx"]["说明"]
    # The same save time: the higher revision is the later save.
    saved_at(folder / "b.xlsx", "2026-01-10T08:00:00Z", revision=3)
    saved_at(folder / "c.xlsx", "2026-01-10T08:00:00Z", revision=7)
    rows = by_file(compile_rows(tmp_path / "2", folder, roster(tmp_path, "甲局")))
    assert rows["c.xlsx"]["状态"] == "合格" and rows["b.xlsx"]["状态"] == "重复报送"


def test_a_zip_entry_counts_by_its_date(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(("old.xlsx", "new.xlsx")):
        filled_template(tmp_path / name, spec21, agency="甲局", seed=n)
    with zipfile.ZipFile(folder / "mail.zip", "w") as zf:
        for name, date in (("new.xlsx", (2026, 1, 20, 9, 0, 0)), ("old.xlsx", (2026, 1, 2, 9, 0, 0))):
            zf.writestr(zipfile.ZipInfo(name, date), (tmp_path / name).read_bytes())
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "甲局")))
    assert rows["new.xlsx"]["状态"] == "合格" and rows["old.xlsx"]["状态"] == "重复报送"


def test_identical_content_and_identical_figures_are_said_as_such(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    filled_template(folder / "a.xlsx", spec21, agency="甲局", seed=1)
    (folder / "b.xlsx").write_bytes((folder / "a.xlsx").read_bytes())
    filled_template(folder / "c.xlsx", spec21, agency="甲局", seed=1, extra={"text.other.body": "另一段文字。"})
    os.utime(folder / "a.xlsx", (1_700_000_000, 1_700_000_000))
    os.utime(folder / "b.xlsx", (1_600_000_000, 1_600_000_000))
    os.utime(folder / "c.xlsx", (1_600_000_000, 1_600_000_000))
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "甲局")))
    assert rows["a.xlsx"]["状态"] == "合格"
    assert rows["b.xlsx"]["说明"].endswith("内容完全相同")
    assert rows["c.xlsx"]["说明"].endswith("与采用的文件相比，数字完全相同")


def test_a_newer_file_that_cannot_be_read_does_not_replace_a_readable_one(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    filled_template(folder / "甲局.xlsx", spec21, agency="甲局")
    (folder / "甲局-更正.xlsx").write_bytes(b"PK\x03\x04 cut off")
    os.utime(folder / "甲局.xlsx", (1_600_000_000, 1_600_000_000))
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "甲局")))
    assert rows["甲局.xlsx"]["状态"] == "合格"
    assert "较新的“甲局-更正.xlsx”无法读取" in rows["甲局.xlsx"]["说明"]
    assert rows["甲局-更正.xlsx"]["状态"] == "重复报送"


def test_names_that_differ_by_own_level_width_or_spaces_match_with_a_note(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    written = {"a.xlsx": "示范县财政局（本级）", "b.xlsx": "示范县 教育局", "c.xlsx": "示范县ＡＢ局"}
    for n, (name, agency) in enumerate(written.items()):
        filled_template(folder / name, spec21, agency="某某", seed=n, extra={"info.agency.value": agency})
    (folder / "a.xlsx").rename(folder / "x1.xlsx")
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "示范县财政局", "示范县教育局", "示范县AB局")))
    assert rows["x1.xlsx"]["单位名称"] == "示范县财政局" and rows["x1.xlsx"]["纳入汇总"] == "是"
    assert "不计“本级”" in rows["x1.xlsx"]["说明"] and "文件中填写为“示范县财政局（本级）”" in rows["x1.xlsx"]["说明"]
    assert rows["b.xlsx"]["单位名称"] == "示范县教育局" and "文件中填写为" in rows["b.xlsx"]["说明"]
    assert rows["c.xlsx"]["单位名称"] == "示范县AB局" and "文件中填写为“示范县ＡＢ局”" in rows["c.xlsx"]["说明"]


def test_a_unit_of_a_roster_agency_is_not_counted_for_it_but_both_rows_say_so(tmp_path: Path, spec21: Spec) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    office = folder / "示范县财政局办公室_2025年报.xlsx"  # the file name holds the roster name too
    filled_template(office, spec21, agency="某某", extra={"info.agency.value": "示范县财政局办公室"})
    filled_template(folder / "教育.xlsx", spec21, agency="示范县教育局", seed=1)
    rows = compile_rows(tmp_path, folder, roster(tmp_path, "示范县财政局", "示范县教育局"))
    finance = next(r for r in rows if r["单位名称"] == "示范县财政局")
    outsider = next(r for r in rows if r["状态"] == "不在名单")
    assert finance["状态"] == "未报送"
    assert "示范县财政局办公室_2025年报.xlsx" in finance["说明"] and "示范县财政局办公室" in finance["说明"]
    assert outsider["单位名称"] == "示范县财政局办公室" and "可能是：示范县财政局" in outsider["说明"]


def test_a_table_left_out_of_the_sums_shows_on_the_agencys_row(tmp_path: Path) -> None:
    """A return on the local variant qinghe-2022 (its table 二 is another table) in a national compile."""
    qinghe = load_spec("qinghe-2022")
    folder = tmp_path / "in"
    folder.mkdir()
    filled_template(folder / "清河.xlsx", qinghe, agency="清河县行政审批局")
    filled_template(folder / "甲.xlsx", load_spec("national-2021"), agency="甲局", seed=3)
    rows = by_file(compile_rows(tmp_path, folder, roster(tmp_path, "清河县行政审批局", "甲局")))
    local, national = rows["清河.xlsx"], rows["甲.xlsx"]
    assert local["纳入汇总"] == "部分" and national["纳入汇总"] == "是"
    assert "未纳入汇总的表：表二（按 qinghe-2022 读取" in local["说明"]
    assert "表三" not in local["说明"]
    lines = list(csv.DictReader(io.StringIO((tmp_path / "long.csv").read_text(encoding="utf-8-sig"))))
    mine = [r for r in lines if r["单位名称"] == "清河县行政审批局"]
    assert {r["纳入汇总"] for r in mine if r["单元格编号"].startswith("t2.")} == {"否"}
    assert {r["纳入汇总"] for r in mine if r["表"] == "三"} == {"是"}


def test_a_workbooks_save_time_is_read_and_a_fresh_templates_stamp_is_no_save(spec21: Spec) -> None:
    from zfxxgk.roster import Agency

    fresh = build_template(spec21, 2025, Agency(name="甲局"))
    with zipfile.ZipFile(io.BytesIO(fresh)) as z:
        assert saved_stamp(z) == (0.0, 0)
    buf = io.BytesIO()
    core = (
        '<cp:coreProperties xmlns:cp="c" xmlns:dcterms="d"><dcterms:modified xsi:type="x">2026-01-12T08:30:00Z'
        "</dcterms:modified><cp:revision>4</cp:revision></cp:coreProperties>"
    )
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("docProps/core.xml", core)
    with zipfile.ZipFile(buf) as z:
        assert saved_stamp(z) == (1768206600.0, 4)
    assert saved_stamp(None) == (0.0, 0)
