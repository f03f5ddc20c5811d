"""The seed: a real published report (清河县行政审批局, 2022) reproduced from its filled workbook.

The expected output is the published text itself (examples/qinghe-2022/expected.txt, extracted from the
PDF). That extraction broke some lines, lost the merged row labels of table 三 and the 合计 figure of
table 二, and scrambled table 三's columns; the comparison normalises line breaks and spacing and
says explicitly where it allows for those losses.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers import QINGHE, QINGHE_WORKBOOK
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.report import build_document, render_docx

HEADING = re.compile(r"^(?:[一二三四五六七八九十]、|（[一二三四五六七八九十]）)")
TABLE_SECTIONS = ("二、", "三、", "四、")
NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")


def squash(text: str) -> str:
    """Compare text without line breaks and spacing (PDF extraction adds both)."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def parse_published(text: str) -> dict[str, object]:
    """Title, headings, prose per heading and figures per table section of the published text."""
    lines = [line.strip() for line in text.splitlines()]
    content = [line for line in lines if line]
    title = squash(content[0] + content[1])
    headings: list[str] = []
    prose: dict[str, str] = {"": ""}
    figures: dict[str, list[str]] = {}
    current = ""
    in_table = False
    for line in content[2:]:
        if HEADING.match(line) and "\t" not in line:  # table rows like "四、结转下年度继续办理\t0…" carry tabs
            headings.append(squash(line))
            current = squash(line)
            top = line[:2]
            in_table = top in TABLE_SECTIONS and not line.startswith("（")
            prose.setdefault(current, "")
            figures.setdefault(current, []) if in_table else None
            continue
        if in_table:
            figures[current] += NUMBER.findall(line)
        else:
            prose[current] += squash(line)
    return {"title": title, "headings": headings, "prose": prose, "figures": figures}


def parse_docx(path_or_bytes: bytes) -> dict[str, object]:
    import io

    d = docx.Document(io.BytesIO(path_or_bytes))
    body = d.element.body
    title = ""
    headings: list[str] = []
    prose: dict[str, str] = {"": ""}
    figures: dict[str, list[str]] = {}
    current = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(child, d)
            style = p.style.name if p.style is not None else ""
            if style == "Title":
                title = squash(p.text)
            elif style.startswith("Heading"):
                current = squash(p.text)
                headings.append(current)
                prose.setdefault(current, "")
            else:
                prose[current] += squash(p.text)
        elif tag == "tbl":
            table = docx.table.Table(child, d)
            seen: list[object] = []  # merged cells repeat: keep each <w:tc> once (kept alive, so identity holds)
            cells = []
            for row in table.rows:
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    cells.append(cell.text)
            figures[current] = [c for c in cells if NUMBER.fullmatch(c.strip())]
    return {"title": title, "headings": headings, "prose": prose, "figures": figures}


@pytest.fixture(scope="module")
def published() -> dict[str, object]:
    return parse_published((QINGHE / "expected.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ours() -> dict[str, object]:
    result = check_file(QINGHE_WORKBOOK, year=2022)
    assert result.spec is not None
    doc = build_document(result.spec, result.values, result.agency, result.year)
    return parse_docx(render_docx(doc))


def test_check_passes_the_seed_workbook_and_finds_the_prose_consistent() -> None:
    result = check_file(QINGHE_WORKBOOK, year=2022)
    assert result.findings == []
    assert result.values["t2.total.count"] == 2253  # "主动公开各类信息共计2253条" agrees with table 二
    spec = result.spec
    assert spec is not None and spec.id == "qinghe-2022" and "national-2021" in spec.extends
    assert [n.id for n in spec.narrative if n.id == "N7"]  # the narrative rule that compared them


def test_the_narrative_check_would_catch_a_different_figure() -> None:
    from zfxxgk.check.narrative import narrative_findings

    result = check_file(QINGHE_WORKBOOK, year=2022)
    assert result.spec is not None and result.ret is not None
    values = dict(result.values)
    values["text.overview_request.body"] = str(values["text.overview_request.body"]).replace("2253", "2254")
    (f,) = narrative_findings(result.spec, values, result.ret.locate)
    assert (f.rule, f.actual, f.expected) == ("N7", 2254, 2253)


def test_title_and_headings_are_the_published_ones(published: dict, ours: dict) -> None:  # type: ignore[type-arg]
    assert ours["title"] == published["title"]
    assert ours["headings"] == published["headings"]


def test_every_paragraph_is_the_published_text(published: dict, ours: dict) -> None:  # type: ignore[type-arg]
    for heading, text in published["prose"].items():  # type: ignore[attr-defined]
        assert ours["prose"][heading] == text, heading  # type: ignore[index]


def test_table_figures_are_the_published_ones(published: dict, ours: dict) -> None:  # type: ignore[type-arg]
    pub, our = published["figures"], ours["figures"]
    t2, t3, t4 = (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    )
    # Table 二: every published figure in order; the PDF lost only the 合计 figure, which we print.
    assert our[t2][:-1] == pub[t2] and our[t2][-1] == "2253"  # type: ignore[index]
    # Table 三: the extraction scrambled its columns, but every published figure is 0, as are our 175.
    assert set(pub[t3]) == {"0"} and len(pub[t3]) >= 175 and our[t3] == ["0"] * 175  # type: ignore[index]
    # Table 四: all 15 figures in order.
    assert our[t4] == pub[t4] and len(pub[t4]) == 15  # type: ignore[index]


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_markdown_and_html_carry_the_same_text(tmp_path: Path, published: dict, suffix: str) -> None:  # type: ignore[type-arg]
    out = tmp_path / f"report{suffix}"
    result = CliRunner().invoke(main, ["report", str(QINGHE_WORKBOOK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = squash(re.sub(r"<[^>]+>|[#\\]", "", out.read_text(encoding="utf-8")))
    assert published["title"] in text  # type: ignore[operator]
    for heading, prose in published["prose"].items():  # type: ignore[attr-defined]
        assert heading in text and prose in text
