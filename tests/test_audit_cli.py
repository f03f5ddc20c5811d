"""``zfxxgk audit``: a folder of published files -> 审查结果.xlsx, JSON, every input accounted for."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from test_audit_textlayer import flat_text
from zfxxgk.audit import audit_files
from zfxxgk.cli import main
from zfxxgk.figures import consistent_figures, seeded
from zfxxgk.spec import load_spec

N2021 = load_spec("national-2021")


def county_folder(tmp_path: Path) -> Path:
    """Two text layers (one with a total that does not add up), one in a zip, a workbook and a binary file."""
    folder = tmp_path / "published"
    folder.mkdir()
    good = consistent_figures(N2021, seeded(7), size=20, whole=True)
    (folder / "a.txt").write_text(flat_text(N2021, good), encoding="utf-8")
    bad = good | {"t3.new.total": int(good["t3.new.total"]) + 1}
    (folder / "b.txt").write_text(flat_text(N2021, bad).replace("测试县测试局", "测试县乙局"), encoding="utf-8")
    with zipfile.ZipFile(folder / "more.zip", "w") as zf:
        zf.writestr("c.txt", flat_text(N2021, good).replace("测试县测试局", "测试县丙局"))
    with zipfile.ZipFile(folder / "return.xlsx", "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "image.bin").write_bytes(b"\x00\x01\x02" * 100)
    return folder


def test_audit_folder_to_workbook_and_json(tmp_path: Path) -> None:
    folder = county_folder(tmp_path)
    out = tmp_path / "审查结果.xlsx"
    run = CliRunner().invoke(main, ["audit", str(folder), "-o", str(out), "--json", "--jobs", "2"])
    assert run.exit_code == 2, run.output  # as for check: some files could not be read
    doc = json.loads(run.output)
    files = {Path(f["file"].split("!/")[-1]).name: f for f in doc["files"]}
    assert set(files) == {"a.txt", "b.txt", "c.txt", "return.xlsx", "image.bin"}
    assert files["a.txt"]["status"] == "ok" and files["a.txt"]["kind"] == "txt"
    assert files["b.txt"]["status"] == "errors" and "I1" in {f["code"] for f in files["b.txt"]["findings"]}
    assert files["return.xlsx"]["status"] == "unreadable"
    assert [f["code"] for f in files["image.bin"]["findings"]] == ["audit-unsupported"]
    book = openpyxl.load_workbook(out, read_only=True)
    reports = list(book["审查结果"].iter_rows(values_only=True))
    assert reports[0][:6] == ("文件", "单位", "年度", "格式", "文件类型", "状态") and len(reports) == 6
    row = next(r for r in reports if r[1] == "测试县乙局")
    assert row[2:6] == (2023, "national-2021", "纯文本", "有错误") and row[6] >= 1
    findings = list(book["问题清单"].iter_rows(values_only=True))
    i1 = [r for r in findings if r[3] == "I1"]
    assert i1 and i1[0][1] == "测试县乙局" and i1[0][4] == "正文中的表三" and i1[0][5]


def test_english_and_progress(tmp_path: Path) -> None:
    folder = county_folder(tmp_path)
    seen: list[tuple[int, int]] = []
    results = audit_files([folder], lang="en", jobs=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (5, 5) and len(results) == 5
    run = CliRunner().invoke(main, ["audit", str(folder / "a.txt"), "--lang", "en"])
    assert run.exit_code == 0 and "national-2021" in run.output
