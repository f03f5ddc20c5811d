"""Saved portal pages: the report's tables inside navigation, scripts and footer, read by their labels."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import filled_template
from zfxxgk.audit import audit_file
from zfxxgk.audit.extract import MAX_BYTES
from zfxxgk.audit.html import extract_html
from zfxxgk.report.publish import publish
from zfxxgk.spec import load_spec

N2021 = load_spec("national-2021")
CHROME_HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="测试县测试局2025年政府信息公开工作年度报告">
<script>document.write('<table><tr><td>一、本年新收政府信息公开申请数量</td><td>999</td></tr></table>')</script>
<style>td { color: red }</style></head><body>
<div class="nav"><a href="/">首页</a> <a href="/x">某某局2024年政府信息公开工作年度报告</a></div>
<div class="article">"""
CHROME_FOOT = """</div><div class="footer">版权所有 <script>var gklist = [1, 2, 3];</script></div></body></html>"""


def published_page(tmp_path: Path, edit: dict[str, str] | None = None) -> tuple[Path, dict[str, object]]:
    """A report written by ``zfxxgk report`` as an HTML fragment, wrapped in a portal page, cells edited."""
    workbook = tmp_path / "return.xlsx"
    values = filled_template(workbook, N2021, year=2025)
    fragment = tmp_path / "fragment.html"
    publish(workbook, fragment, fragment=True, force=True)
    body = fragment.read_text(encoding="utf-8")
    for old, new in (edit or {}).items():
        assert old in body
        body = body.replace(old, new, 1)
    page = tmp_path / "page.html"
    page.write_text(CHROME_HEAD + body + CHROME_FOOT, encoding="utf-8")
    return page, values


def test_portal_page_reads_back_the_figures(tmp_path: Path) -> None:
    page, values = published_page(tmp_path)
    result = audit_file(page)
    tables = {t.id for t in N2021.grid_tables}
    assert result.values == {k: v for k, v in values.items() if k.split(".")[0] in tables}
    assert result.agency == "测试县测试局" and result.year == 2025 and result.spec.id == "national-2021"
    assert result.intake.kind == "html" and result.status == "ok"
    extracted = [f for f in result.findings if f.code == "audit-extracted"]
    assert sorted(f.sheet for f in extracted) == ["网页第1个表格", "网页第2个表格", "网页第3个表格"]


def test_published_errors_are_found_with_their_location(tmp_path: Path) -> None:
    """A total that does not add up (padded with &nbsp;) and a cell published empty, as real pages have them."""
    page, values = published_page(tmp_path)
    html = page.read_text(encoding="utf-8")
    natural = re.compile(r'(<td headers="t3-r0c3 t3-r1c3 t3-r3c0">)(\d+)(</td>)')  # 一、本年新收 / 自然人
    business = re.compile(r'(<td headers="[^"]*t3-r2c4 t3-r4c0">)(\d+)(</td>)')  # 二、上年结转 / 商业企业
    html = natural.sub(lambda m: f"{m[1]}&nbsp;{int(m[2]) + 5}&nbsp;{m[3]}", html, count=1)
    html = business.sub(lambda m: f"{m[1]}<br/>{m[3]}", html, count=1)
    page.write_text(html, encoding="utf-8")
    result = audit_file(page)
    assert result.values["t3.new.natural"] == values["t3.new.natural"] + 5
    assert result.values["t3.carried.business"] is None
    i1 = next(f for f in result.findings if f.code == "I1" and f.rule == "I1[r=new]")
    assert i1.sheet == "网页第2个表格" and i1.row_label == "一、本年新收政府信息公开申请数量" and i1.difference == -5
    blank = next(f for f in result.findings if f.code == "blank-cell")
    assert (blank.cell_id, blank.column_label) == ("t3.carried.business", "商业企业")
    assert {"S1", "I1"} <= {f.code for f in result.findings} and result.status == "errors"


def test_spans_nested_tables_and_nbsp() -> None:
    html = """<html><body><table>
    <tr><td rowspan="2">甲</td><td colspan="2">乙</td></tr>
    <tr><td>&nbsp;1&nbsp;</td><td><p>2</p><table><tr><td>内</td></tr></table></td></tr>
    <tr><td>结果</p><p>纠正</td><td><span>0</span>&nbsp;</td><td><br/></td></tr>
    </table></body></html>"""
    ex = extract_html(html, "zh")
    outer, inner = ex.grids
    assert outer.rows == [["甲", "乙", ""], ["", 1, 2], ["结果纠正", 0, ""]]
    assert inner.rows == [["内"]]


def test_scripts_never_count_and_huge_pages_are_refused(tmp_path: Path) -> None:
    ex = extract_html(CHROME_HEAD + "<p>一、总体情况</p>" + CHROME_FOOT, "zh")
    assert ex.grids == [] and "999" not in ex.prose and "gklist" not in ex.prose
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:
        f.write(b"<html><body>")
        f.truncate(MAX_BYTES + 10)
    result = audit_file(huge)
    assert [f.code for f in result.findings] == ["audit-too-large"] and result.status == "unreadable"
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>")
    assert {f.code for f in audit_file(deep).findings} <= {"tables-not-found", "read-failed"}
