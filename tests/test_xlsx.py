"""The sheet reader (formulas, error values, protection) agrees with a plain DOM reading of the XML.

``reference`` below is the obvious reading with lxml's tree: every cell of ``sheetData``, its address
its ``r`` or the next column (rows: the next row), its first ``<f>`` child's text, ``t="e"`` values.
The reader's fast XPath path and its cell-by-cell walk (and the streaming walk of large sheets) must
all find what it finds, on the cases Excel, WPS and LibreOffice write and on generated sheets.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from zfxxgk.libreoffice import convert
from zfxxgk.read import sheetxml
from zfxxgk.read.package import Package, SheetXml
from zfxxgk.read.refs import a1_to_rc, rc_to_a1
from zfxxgk.read.sheetxml import read_sheet
from zfxxgk.spec import Spec

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
M = f"{{{NS}}}"


def reference(data: bytes) -> SheetXml:
    """The DOM reading the reader must agree with."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    out = SheetXml()
    prot = root.find(f"{M}sheetProtection")
    out.protected = prot is not None and prot.get("sheet") in ("1", "true")
    r = -1
    for row in root.findall(f"{M}sheetData/{M}row"):
        r = int(row.get("r")) - 1 if row.get("r") else r + 1
        c = -1
        for cell in row.findall(f"{M}c"):
            rr, c = a1_to_rc(cell.get("r")) if cell.get("r") else (r, c + 1)
            a1 = rc_to_a1(rr, c)
            f = cell.find(f"{M}f")
            if f is not None:
                out.formulas[a1] = "".join(f.itertext())
            if cell.get("t") == "e":
                out.errors[a1] = cell.findtext(f"{M}v") or "#ERROR"
    return out


def assert_scan_agrees(data: bytes) -> SheetXml:
    """Every path of the reader finds what the DOM reading finds; return what it found."""
    expected = reference(data)
    found = [
        read_sheet(data, "sheet"),  # the XPath path where it applies, else the walk
        sheetxml._read_rows(sheetxml.parse(data, "sheet"), "sheet"),  # the walk over the tree
        read_sheet(io.BytesIO(data), "sheet"),  # the streaming walk, as for large sheets
    ]
    for got in found:
        assert (got.formulas, got.errors, got.protected) == (expected.formulas, expected.errors, expected.protected)
    return found[0]


def sheets_of(path: Path) -> list[bytes]:
    pkg = Package(path.read_bytes())
    return [pkg._read(s.part) for s in pkg.sheets]


@pytest.mark.libreoffice
def test_scan_agrees_on_templates_and_their_libreoffice_saves(tmp_path: Path, spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    template = make_template(spec21)
    (saved,) = convert([template], "xlsx", tmp_path / "lo")  # LibreOffice writes attributes and types its own way
    datas = sheets_of(template) + sheets_of(saved)
    assert len(datas) >= 10
    found = [assert_scan_agrees(data) for data in datas]  # the fast path serves templates and LibreOffice's saves
    assert all(f.protected for f in found)
    assert sum(len(f.formulas) for f in found[: len(datas) // 2]) > 50  # the template's totals and checks


def test_scan_agrees_on_formulas_errors_escapes_and_shared_formulas(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = '=IF(B1>0,"a&b","<c>")'
    ws["A2"] = "=1/0"
    ws["B1"] = 5
    ws.protection.sheet = True
    path = tmp_path / "x.xlsx"
    wb.save(path)
    (data,) = sheets_of(path)
    scanned = assert_scan_agrees(data)
    assert scanned.formulas == {"A1": 'IF(B1>0,"a&b","<c>")', "A2": "1/0"}
    assert scanned.errors == {} and scanned.protected
    shared = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f>'
        '<v>2</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c>'
        '<c r="B2" t="e"><v>#REF!</v></c></row></sheetData>'
        '<sheetProtection sheet="1" objects="1"/></worksheet>'
    ).encode()
    scanned = assert_scan_agrees(shared)
    assert (scanned.formulas, scanned.errors, scanned.protected) == ({"A1": "B1*2", "A2": ""}, {"B2": "#REF!"}, True)
    prefixed = (
        shared.replace(b"<", b"<x:")
        .replace(b"<x:/", b"</x:")
        .replace(f'xmlns="{NS}"'.encode(), f'xmlns:x="{NS}"'.encode())
    )
    scanned = assert_scan_agrees(prefixed)  # a namespace prefix on every element, as some writers use
    assert (scanned.formulas, scanned.errors, scanned.protected) == ({"A1": "B1*2", "A2": ""}, {"B2": "#REF!"}, True)


def test_scan_agrees_on_quoting_spacing_and_attribute_order() -> None:
    data = (
        f"<worksheet xmlns='{NS}'><sheetData><row r='3'>"
        "<c s='2' r = 'C3' ><f>SUM(A3:B3)</f><v>3</v></c>"
        "<c r='D3' t = 'e'><f>C3/0</f><v>#DIV/0!</v></c>"
        "<c r='E3' t='str'><f>\"x&amp;y\"</f><v>x&amp;y</v></c>"
        "</row></sheetData><sheetProtection objects='1' sheet='true'/></worksheet>"
    ).encode()
    scanned = assert_scan_agrees(data)
    assert scanned.formulas == {"C3": "SUM(A3:B3)", "D3": "C3/0", "E3": '"x&y"'}
    assert scanned.errors == {"D3": "#DIV/0!"} and scanned.protected
    unprotected = assert_scan_agrees(data.replace(b"sheet='true'", b"sheet='0'"))
    assert not unprotected.protected


def test_scan_agrees_when_the_type_attribute_comes_first() -> None:
    data = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1">'
        '<c r="A1"><v>1</v></c><c t="e" r="B1"><v>#N/A</v></c>'
        "</row></sheetData></worksheet>"
    ).encode()
    assert assert_scan_agrees(data).errors == {"B1": "#N/A"}


@pytest.mark.parametrize(
    ("body", "formulas", "errors"),
    [
        (b'<c s="1"><f>SUM(A1:A2)</f></c>', {"A1": "SUM(A1:A2)"}, {}),  # no r: the first column
        (b'<c r="C1"><v>1</v></c><c t="e"><v>#N/A</v></c>', {}, {"D1": "#N/A"}),  # no r: the next column
        (b'<c r="A1" t="e"></c>', {}, {"A1": "#ERROR"}),  # an error cell without a value
        (b'<c\n  t="e"\n  r="B1"\n><f><![CDATA[1/0]]><!-- x --></f><v>#DIV/0!</v></c>', {"B1": "1/0"}, {"B1": "#DIV/0!"}),
        (b'<c r="$b$1"><f>A1&amp;"&lt;"</f></c>', {"B1": 'A1&"<"'}, {}),  # an odd address, entities in formulas
    ],
    ids=["formula-without-r", "error-without-r", "error-without-value", "newlines-cdata-comment", "odd-address"],
)
def test_unusual_cells_are_read_by_position(body: bytes, formulas: dict[str, str], errors: dict[str, str]) -> None:
    data = f'<worksheet xmlns="{NS}"><sheetData><row r="1">'.encode() + body + b"</row></sheetData></worksheet>"
    found = assert_scan_agrees(data)
    assert (found.formulas, found.errors) == (formulas, errors)


def test_rows_without_r_and_formulas_in_extlst() -> None:
    data = (
        f'<x:worksheet xmlns:x="{NS}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"'
        ' xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        "<x:sheetData><x:row><x:c><x:f>1+1</x:f></x:c></x:row><x:row><x:c/><x:c t=\"e\"><x:v>#REF!</x:v></x:c></x:row>"
        "</x:sheetData><x:extLst><x:ext><x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule>"
        "<xm:f>$A$1&gt;0</xm:f></x14:cfRule><xm:sqref>A1</xm:sqref></x14:conditionalFormatting>"
        "</x14:conditionalFormattings><x14:dataValidations><x14:dataValidation><x14:formula1><xm:f>Z1</xm:f>"
        "</x14:formula1></x14:dataValidation></x14:dataValidations></x:ext></x:extLst></x:worksheet>"
    ).encode()
    found = assert_scan_agrees(data)
    assert (found.formulas, found.errors) == ({"A1": "1+1"}, {"B2": "#REF!"})  # xm:f in extLst are not cells


# --------------------------------------------------------------------------- generated sheets

_ATTR_SPACE = st.sampled_from([" ", "\n  ", "\t", "  "])
_QUOTE = st.sampled_from(['"', "'"])


@st.composite
def cells(draw: st.DrawFn, row: int) -> str:
    """One cell as Excel, WPS, LibreOffice or a script may write it."""
    col = draw(st.integers(0, 40))
    attrs = []
    if draw(st.booleans()):
        attrs.append(("r", rc_to_a1(row, col) if draw(st.integers(0, 9)) else f"${rc_to_a1(row, col)}".lower()))
    kind = draw(st.sampled_from(["n", "e", "s", "str", "inlineStr", ""]))
    if kind:
        attrs.append(("t", kind))
    if draw(st.booleans()):
        attrs.append(("s", str(draw(st.integers(0, 9)))))
    attrs = draw(st.permutations(attrs))
    q = draw(_QUOTE)
    open_tag = "<c" + "".join(f"{draw(_ATTR_SPACE)}{k}{draw(_ATTR_SPACE) if draw(st.booleans()) else ''}={q}{v}{q}" for k, v in attrs)
    text = draw(st.sampled_from(["SUM(A1:B2)", "A1&amp;&quot;x&quot;", "<![CDATA[IF(A1<0,1,2)]]>", "1<!-- c -->+2", ""]))
    body = ""
    if draw(st.booleans()):
        shared = draw(st.sampled_from(["", ' t="shared" si="0"', ' t="shared" ref="A1:A9" si="1"', ' t="array" ref="A1"']))
        body += f"<f{shared}/>" if not text and shared else f"<f{shared}>{text}</f>"
    if kind == "inlineStr":
        body += "<is><t>a&amp;b</t></is>"
    elif draw(st.booleans()):
        body += f"<v>{draw(st.sampled_from(['1', '#N/A', '#DIV/0!', '&lt;x&gt;', '']))}</v>"
    if draw(st.booleans()):
        body += "<extLst><ext><f>not a cell formula</f></ext></extLst>"
    return f"{open_tag}/>" if not body else f"{open_tag}>{body}</c>"


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    rows = []
    r = 0
    for _ in range(draw(st.integers(0, 6))):
        r += draw(st.integers(1, 3))
        row_attr = f' r="{r}"' if draw(st.booleans()) else ""
        rows.append(f"<row{row_attr}>" + "".join(draw(st.lists(cells(r - 1), max_size=5))) + "</row>")
    prot = draw(st.sampled_from(["", '<sheetProtection sheet="1"/>', "<sheetProtection sheet='true' objects='1'/>",
                                 '<sheetProtection objects="1" sheet="0"/>']))
    prefix = draw(st.sampled_from(["", "x:", "main:"]))
    body = f"<sheetPr/><sheetData>{''.join(rows)}</sheetData>{prot}<extLst><ext><xm:f>A1</xm:f></ext></extLst>"
    if prefix:
        body = body.replace("</", "\0").replace("<", f"<{prefix}").replace("\0", f"</{prefix}").replace(f"<{prefix}![", "<![")
        body = body.replace(f"<{prefix}!--", "<!--").replace(f"<{prefix}xm:", "<xm:").replace(f"</{prefix}xm:", "</xm:")
    decl = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']))
    ns = f'xmlns{":" + prefix[:-1] if prefix else ""}="{NS}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"'
    comment = draw(st.sampled_from(["", "<!-- written by a script -->"]))
    return f"{decl}{comment}<{prefix}worksheet {ns}>{body}</{prefix}worksheet>".encode()


@settings(max_examples=300, deadline=None)
@given(sheets())
def test_reader_agrees_with_the_dom_on_generated_sheets(data: bytes) -> None:
    assert_scan_agrees(data)


def test_merged_ranges_are_read_from_the_sheet_xml(tmp_path: Path) -> None:
    from markdown import write_workbook

    path = write_workbook(tmp_path / "m.xlsx", {"S": "| a | < | b |\n| ^ | ^ | c |\n| d | e | ^ |"})
    pkg = Package(path.read_bytes())
    assert sorted(pkg.merges("S")) == [(0, 0, 1, 1), (1, 2, 2, 2)]
    assert pkg.merges("no such sheet") == []
