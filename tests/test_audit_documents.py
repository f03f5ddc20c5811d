"""Word files and PDFs: tables read with python-docx and pdfplumber; hostile PDFs answered with a finding."""

from __future__ import annotations

import zlib
from pathlib import Path

import docx
import pytest

from zfxxgk.audit import audit_file
from zfxxgk.audit.documents import MAX_INFLATED, _without_page_number, continued
from zfxxgk.libreoffice import soffice


def pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF assembled object by object, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def test_encrypted_pdf(tmp_path: Path) -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"11" * 32 + b"> /P -4 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf_bytes([*PAGES, page, encrypt], b"/Encrypt 4 0 R /ID [<01> <01>] "))
    result = audit_file(path)
    assert [f.code for f in result.findings] == ["pdf-encrypted"] and result.status == "unreadable"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([*PAGES, page]))
    assert [f.code for f in audit_file(path).findings] == ["pdf-no-text"]


def test_pdf_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = zlib.compress(b"\0" * (MAX_INFLATED + 1024 * 1024), 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_bytes([*PAGES, page, stream]))
    assert [f.code for f in audit_file(path).findings] == ["audit-too-large"]


def _docx_report(path: Path, rows: list[list[str]], merge_down: tuple[int, int, int] | None = None) -> None:
    document = docx.Document()
    document.add_paragraph("测试县测试局2024年政府信息公开工作年度报告")
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for r0, r1, c in [merge_down] if merge_down else []:
        table.cell(r0, c).merge(table.cell(r1, c))
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("无。")
    document.save(str(path))


def test_docx_table_with_merged_cells(tmp_path: Path) -> None:
    """Table 四 as agencies type it in Word: group headers merged across, a total that does not add up."""
    review = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    head1 = ["行政复议"] * 5 + ["行政诉讼"] * 10
    head2 = [""] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    head3 = review * 3
    figures = ["1", "0", "0", "1", "3"] + ["0"] * 10
    path = tmp_path / "report.docx"
    _docx_report(path, [head1, head2, head3, figures])
    document = docx.Document(str(path))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(1, 4))
    table.cell(0, 5).merge(table.cell(0, 14))
    table.cell(1, 5).merge(table.cell(1, 9))
    table.cell(1, 10).merge(table.cell(1, 14))
    for r, c, value in ((0, 0, "行政复议"), (0, 5, "行政诉讼"), (1, 5, "未经复议直接起诉"), (1, 10, "复议后起诉")):
        table.cell(r, c).text = value
    document.save(str(path))
    result = audit_file(path)
    assert result.intake.kind == "docx" and result.year == 2024
    assert result.values["t4.cases.review_total"] == 3 and result.values["t4.cases.review_upheld"] == 1
    i4 = [f for f in result.findings if f.code == "I4"]
    assert len(i4) == 1 and i4[0].actual == 3 and i4[0].expected == 2 and i4[0].sheet == "Word第1个表格"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_doc_is_converted_by_libreoffice(tmp_path: Path) -> None:
    from zfxxgk.libreoffice import convert

    review = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [["行政复议"] * 5 + ["行政诉讼"] * 10, [""] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5, review * 3]
    source = tmp_path / "report.docx"
    _docx_report(source, [*rows, ["0", "0", "0", "0", "0"] * 3])
    (doc,) = convert([source], "doc:MS Word 97", tmp_path / "doc")
    result = audit_file(doc)
    assert result.intake.kind == "doc" and result.values["t4.cases.after_total"] == 0


def test_continued_table_is_laid_on_the_union_of_columns() -> None:
    """Page 2 splits the row-label column page 1 kept whole, starts a column 2.4 pt off, and repeats the header."""
    header = [["三、申请人情况", "", "自然人", "法人"], ["", "", "甲", "乙"]]
    page1 = [*header, ["一、本年新收", "", 5, 6]]
    page2 = [["三、申请人情况", "", "", "自然人", "法人"], ["", "", "", "甲", "乙"], ["", "(三)不予公开", "1.国家秘密", 1, 2]]
    rows, lefts = continued(page1, [79.4, 97.2, 249.3, 288.2], page2, [79.4, 97.2, 136.9, 249.3, 285.8])
    assert lefts == [79.4, 97.2, 136.9, 249.3, 285.8]
    assert rows == [
        ["三、申请人情况", "", "", "自然人", "法人"],
        ["", "", "", "甲", "乙"],
        ["一、本年新收", "", "", 5, 6],
        ["", "(三)不予公开", "1.国家秘密", 1, 2],
    ]


def test_continued_table_keeps_rows_that_only_look_like_its_header() -> None:
    """Only the continuation's first rows are dropped, and only while they repeat the header's texts."""
    rows, _ = continued([["甲", "乙"], [1, 2]], [0.0, 50.0], [["丙", "丁"], ["甲", "乙"]], [0.0, 50.0])
    assert rows == [["甲", "乙"], [1, 2], ["丙", "丁"], ["甲", "乙"]]


@pytest.mark.parametrize(
    ("last_line", "kept"),
    [("— 3 —", False), ("第3页 共5页", False), ("- 3 -", False), ("3 / 5", False), ("3", False),
     ("13", True), ("合计 3", True), ("（一）予以公开 3", True)],
)  # fmt: skip
def test_page_number_line_is_left_out_of_the_prose(last_line: str, kept: bool) -> None:
    page = "一、本年新收政府信息公开申请数量 1 2 3\n" + last_line
    assert (_without_page_number(page, 3) == page) is kept


def test_a_path_that_is_no_readable_file_is_said_as_check_says_it(tmp_path: Path) -> None:
    """The audit opens files as intake does: a folder, a missing file and an unreadable one each get their finding."""
    (tmp_path / "folder.pdf").mkdir()
    unreadable = Path("/proc/self/mem")  # there, but reading it from the start fails with an OSError (EIO)
    said = {
        p.name: [f.code for f in audit_file(p).findings]
        for p in (tmp_path / "folder.pdf", tmp_path / "gone.pdf", unreadable)
    }
    assert said == {"folder.pdf": ["file-unreadable"], "gone.pdf": ["file-missing"], "mem": ["file-unreadable"]}
    assert audit_file(tmp_path / "folder.pdf").status == "unreadable"
