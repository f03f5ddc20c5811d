"""``zfxxgk report``: 公文 DOCX, accessible HTML, Markdown, refusal of returns with errors, PDF that fits."""

from __future__ import annotations

import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import filled_template, set_cells
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.report import build_document, render_docx, render_html, render_markdown
from zfxxgk.spec import Spec, load_spec
from zfxxgk.spec.layout import table_layout


def document(path: Path, draft: bool = False):  # type: ignore[no-untyped-def]
    result = check_file(path)
    assert result.spec is not None
    return build_document(result.spec, result.values, result.agency, result.year, draft=draft), result


@pytest.fixture
def good(tmp_path: Path, spec21: Spec) -> Path:
    path = tmp_path / "good.xlsx"
    filled_template(path, spec21, seed=4, extra={"text.overview_active.title": "（一）自定义的小标题"})
    return path


def east_asia(style) -> str:  # type: ignore[no-untyped-def]
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_docx_is_in_gongwen_format(good: Path) -> None:
    doc, _ = document(good)
    d = docx.Document(io.BytesIO(render_docx(doc)))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) == (
        37,
        35,
        28,
        26,
    )
    assert east_asia(d.styles["Normal"]) == "仿宋_GB2312" and d.styles["Normal"].font.size.pt == 16
    assert east_asia(d.styles["Title"]) == "方正小标宋简体" and d.styles["Title"].font.size.pt == 22
    assert east_asia(d.styles["Heading 1"]) == "黑体" and east_asia(d.styles["Heading 2"]) == "楷体_GB2312"
    footer_xml = s.footer._element.xml + s.even_page_footer._element.xml
    assert footer_xml.count("PAGE") == 2 and d.settings.odd_and_even_pages_header_footer
    paragraphs = [(p.style.name, p.text) for p in d.paragraphs if p.text]
    assert paragraphs[0] == ("Title", "测试县测试局2025年政府信息公开工作年度报告")
    headings = [t for name, t in paragraphs if name.startswith("Heading")]
    assert headings == [
        "一、总体情况",
        "（一）自定义的小标题",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    fee = next(t for n, t in paragraphs if t.startswith("本年度共发出收费通知"))
    assert re.fullmatch(r"本年度共发出收费通知\d+件，收费通知总金额\d+元，实际收取信息处理费\d+元。", fee)


def test_docx_tables_fit_the_type_area_and_repeat_header_rows(good: Path) -> None:
    doc, _ = document(good)
    d = docx.Document(io.BytesIO(render_docx(doc)))
    assert len(d.tables) == 3
    for table in d.tables:
        widths = [col.width for col in table.columns]
        assert sum(w.mm for w in widths) <= 156.5
    t3 = d.tables[1]
    header_rows = [r for r in t3.rows if r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header_rows) == 3
    texts = [c.text for c in t3.rows[0].cells]
    assert texts[0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, str | None]]] = []
        self._open: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td"):
            self._open = dict(attrs) | {"tag": tag}
            self.text = ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._open is not None:
            self.cells.append((self.text, self._open))
            self._open = None


def test_html_tables_follow_the_official_layout_with_real_headers(good: Path, spec21: Spec) -> None:
    doc, result = document(good)
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and "@media print" in page
    parser = _Cells()
    parser.feed(page)
    layout = table_layout(spec21.tables["t3"])
    t3_cells = parser.cells[len(table_layout(spec21.tables["t2"]).items) :][: len(layout.items)]
    by_id = {a["id"]: t for t, a in parser.cells if a.get("id")}
    for (text, attrs), item in zip(t3_cells, sorted(layout.items, key=lambda i: (i.row, i.col)), strict=True):
        assert int(attrs.get("rowspan") or 1) == item.rowspan and int(attrs.get("colspan") or 1) == item.colspan
        if item.kind == "data":
            assert attrs["tag"] == "td" and text == str(result.values[item.cell_id])
            # Every header of the cell, group headers included, is named by id (WCAG H43).
            named = [by_id[h] for h in (attrs["headers"] or "").split()]
            cell = spec21.cells[item.cell_id]
            assert named == [*cell.column_path, *cell.row_path], item.cell_id
        else:
            assert attrs["tag"] == "th" and attrs.get("id") and text == item.text
            assert attrs.get("scope") == (
                None if item.group or item.kind == "corner" else "col" if item.kind == "colhead" else "row"
            )
    row_labels = [t for t, a in t3_cells if a.get("scope") == "row"]
    assert row_labels == [
        spec21.tables["t3"].row_labels[r][0] for r in spec21.tables["t3"].rows
    ]  # every label, in order
    fragment = render_html(doc, fragment=True)
    assert "<html" not in fragment and fragment.lstrip().startswith("<article") and "<table" in fragment


def test_markdown_has_headings_paragraphs_and_merged_tables(good: Path) -> None:
    doc, _ = document(good)
    md = render_markdown(doc)
    assert md.startswith("# 测试县测试局2025年政府信息公开工作年度报告")
    assert "\n## 三、收到和处理政府信息公开申请情况\n" in md and "\n### （一）自定义的小标题\n" in md
    assert md.count("<table") == 3 and 'rowspan="22"' in md  # 三、本年度办理结果 over its 22 rows


def test_a_return_with_errors_is_refused_and_force_writes_a_marked_draft(
    tmp_path: Path, good: Path, spec21: Spec
) -> None:
    bad = tmp_path / "bad.xlsx"
    set_cells(good, bad, {("三、依申请公开", "D7"): None})
    out = tmp_path / "r.docx"
    refused = CliRunner().invoke(main, ["report", str(bad), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    assert "未填写" in refused.output and "--force" in refused.output
    forced = CliRunner().invoke(main, ["report", str(bad), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and "草稿" in forced.output
    d = docx.Document(str(out))
    assert "草稿" in d.sections[0].header.paragraphs[0].text
    html = tmp_path / "r.html"
    CliRunner().invoke(main, ["report", str(bad), "-o", str(html), "--force"])
    assert "zf-draft-mark" in html.read_text(encoding="utf-8")
    unreadable = CliRunner().invoke(main, ["report", str(tmp_path / "none.xlsx"), "-o", str(out)])
    assert unreadable.exit_code == 2


@settings(max_examples=8)
@given(seed=st.integers(0, 10**6))
def test_a_report_states_no_number_that_is_not_in_the_workbook(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    spec = load_spec("national-2021")
    path = tmp_path_factory.mktemp("r") / "r.xlsx"
    values = filled_template(path, spec, seed=seed, extra={"text.problems.body": f"问题{seed % 97}件。"})
    doc, result = document(path)
    allowed = {str(v) for v in result.values.values() if not isinstance(v, str)}
    allowed |= set(re.findall(r"\d+", " ".join(v for v in result.values.values() if isinstance(v, str))))
    allowed |= {str(result.year)}
    for page in (render_markdown(doc), render_html(doc)):
        text = re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
        numbers = set(re.findall(r"(?<![\w.#-])\d+(?:\.\d+)?(?![\w.])", text))
        assert numbers <= allowed, numbers - allowed
        assert str(values["t3.new.total"]) in numbers  # and it does state the figures


@pytest.mark.libreoffice
def test_pdf_tables_fit_the_page(tmp_path: Path, good: Path) -> None:
    from PIL import Image

    out = tmp_path / "r.docx"
    res = CliRunner().invoke(main, ["report", str(good), "-o", str(out), "--pdf"])
    assert res.exit_code == 0, res.output
    pdf = out.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2
    px_per_mm = 50 / 25.4
    for page in pages:
        img = Image.open(page).convert("L")
        w, h = img.size
        left, right = int(20 * px_per_mm), w - int(18 * px_per_mm)  # inside the 28 / 26 mm margins
        for x in list(range(0, left)) + list(range(right, w)):
            column = [img.getpixel((x, y)) for y in range(int(40 * px_per_mm), h - int(40 * px_per_mm))]
            assert min(column) > 200, f"{page.name}: ink at x={x / px_per_mm:.0f} mm, outside the type area"


def test_a_hand_made_workbook_gives_only_a_marked_draft(tmp_path: Path, spec21: Spec) -> None:
    from handmade import handmade
    from helpers import consistent_values

    path = tmp_path / "own.xlsx"
    handmade(path, spec21, consistent_values(spec21, seed=2), title="某某局2025年政府信息公开工作年度报告")
    out = tmp_path / "r.md"
    refused = CliRunner().invoke(main, ["report", str(path), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists() and "不是本系统的模板" in refused.output
    forced = CliRunner().invoke(main, ["report", str(path), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and "草稿" in out.read_text(encoding="utf-8")
