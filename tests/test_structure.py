"""A template's structure is verified, not trusted (issue 9.2).

Rows and columns are inserted and deleted for real by LibreOffice headless (a Basic macro run by
``soffice``: the oracle of what an app does to defined names and formulas), and moved by editing the
sheet XML as an app would. Each gives one ``structure-changed`` finding, the values read from where
they now are, and no identity or formula finding.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers import filled_template, patch_part, where
from zfxxgk.check.file import check_file
from zfxxgk.libreoffice import soffice
from zfxxgk.read.structure import _axis
from zfxxgk.spec import Spec

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Edit(src As String, dst As String, sheetIndex As String, op As String, pos As String, n As String)
  On Error GoTo Fail
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  doc.unprotect(&quot;&quot;)
  sh = doc.Sheets.getByIndex(CLng(sheetIndex))
  sh.unprotect(&quot;&quot;)
  If op = &quot;insrow&quot; Then sh.Rows.insertByIndex(CLng(pos), CLng(n))
  If op = &quot;delrow&quot; Then sh.Rows.removeByIndex(CLng(pos), CLng(n))
  If op = &quot;inscol&quot; Then sh.Columns.insertByIndex(CLng(pos), CLng(n))
  If op = &quot;delcol&quot; Then sh.Columns.removeByIndex(CLng(pos), CLng(n))
  Dim f(0) As New com.sun.star.beans.PropertyValue
  f(0).Name = &quot;FilterName&quot;
  f(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(ConvertToURL(dst), f())
  doc.close(True)
  Exit Sub
Fail:
  h = FreeFile
  Open dst &amp; &quot;.err&quot; For Output As #h
  Print #h, Err, Error$, Erl
  Close #h
End Sub
</script:module>
"""

IGNORED = {"sheet-unprotected", "workbook-unprotected"}  # the filler had to lift protection to edit rows
TABLE3 = 2  # index of the sheet 三、依申请公开 in a national-2021 template


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private LibreOffice profile holding the editing macro."""
    binary = soffice()
    if binary is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp_path_factory.mktemp("lo-profile")
    _run([binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"], profile)
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.parent.is_dir()
    module.write_text(MACRO, encoding="utf-8")
    return profile


def _run(cmd: list[str], profile: Path) -> None:
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run(cmd, capture_output=True, timeout=120, env=env, check=False)


def lo_edit(profile: Path, src: Path, dst: Path, op: str, pos: int, n: int, sheet: int = TABLE3) -> Path:
    """Insert or delete rows or columns with LibreOffice, as a filler would in the app; save as .xlsx."""
    binary = soffice()
    assert binary is not None
    macro = f'macro:///Standard.Module1.Edit("{src}","{dst}","{sheet}","{op}","{pos}","{n}")'
    _run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck", macro],
        profile,
    )
    err = Path(str(dst) + ".err")
    assert not err.exists(), err.read_text(errors="replace")
    assert dst.exists()
    return dst


def _codes(path: Path, year: int = 2025) -> tuple[list[str], dict[str, object], list[str]]:
    result = check_file(path, year=year)
    codes = [f.code for f in result.findings if f.code not in IGNORED]
    messages = [f.message for f in result.findings if f.code == "structure-changed"]
    return codes, dict(result.values), messages


def _assert_read_right(
    values: dict[str, object], expected: dict[str, object], spec: Spec, lost: frozenset[str] = frozenset()
) -> None:
    for cell_id, value in expected.items():
        if cell_id in spec.cells and cell_id not in lost:
            assert values.get(cell_id) == value, cell_id


@pytest.mark.libreoffice
def test_rows_inserted_by_libreoffice_are_one_finding_and_values_read_where_they_are(
    tmp_path: Path, spec21: Spec, lo_profile: Path
) -> None:
    blank = tmp_path / "t.xlsx"
    expected = filled_template(blank, spec21)
    sheet, a1 = where(spec21, "t3.carried.natural")
    row = int(a1[1:])  # 8: 二、上年结转政府信息公开申请数量
    # Above a row of inputs, and inside the rows a column total sums (its SUM range stretches).
    for name, pos, n, said in [("above", row - 1, 1, "第7行后插入了1行"), ("inside", row + 4, 2, "第12行后插入了2行")]:
        path = lo_edit(lo_profile, blank, tmp_path / f"{name}.xlsx", "insrow", pos, n)
        codes, values, messages = _codes(path)
        assert codes == ["structure-changed"], (name, codes)
        assert messages[0].count(sheet) == 1 and said in messages[0], messages
        _assert_read_right(values, expected, spec21)


@pytest.mark.libreoffice
def test_a_column_inserted_by_libreoffice_is_read_where_it_is(tmp_path: Path, spec21: Spec, lo_profile: Path) -> None:
    blank = tmp_path / "t.xlsx"
    expected = filled_template(blank, spec21, seed=3)
    path = lo_edit(lo_profile, blank, tmp_path / "col.xlsx", "inscol", 4, 1)  # after column D (自然人)
    codes, values, messages = _codes(path)
    assert codes == ["structure-changed"]  # the row totals' SUM(D7:J7) is the template's, stretched
    assert "第D列后插入了1列" in messages[0]
    _assert_read_right(values, expected, spec21)


@pytest.mark.libreoffice
def test_a_row_deleted_by_libreoffice_leaves_its_cells_unread_and_no_identity_findings(
    tmp_path: Path, spec21: Spec, lo_profile: Path
) -> None:
    blank = tmp_path / "t.xlsx"
    expected = filled_template(blank, spec21, seed=1)
    _, a1 = where(spec21, "t3.partial.natural")
    path = lo_edit(lo_profile, blank, tmp_path / "del.xlsx", "delrow", int(a1[1:]) - 1, 1)
    codes, values, messages = _codes(path)
    assert codes == ["structure-changed"], codes
    lost = {c for c in spec21.tables["t3"].cells if c.startswith("t3.partial.")}
    assert "7个单元格找不到了" in messages[0]
    assert not lost & set(values)
    totals = {c for c in spec21.cells if spec21.cells[c].computed}
    _assert_read_right(values, expected, spec21, lost | totals)


@pytest.mark.libreoffice
def test_without_defined_names_the_labels_find_the_moved_cells(tmp_path: Path, spec21: Spec, lo_profile: Path) -> None:
    blank = tmp_path / "t.xlsx"
    expected = filled_template(blank, spec21, seed=2)
    path = lo_edit(lo_profile, blank, tmp_path / "ins.xlsx", "insrow", 7, 1)
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml")
    stripped = re.sub(rb'<definedName [^>]*name="ZF_[^"]*"[^>]*>[^<]*</definedName>', b"", book)
    assert stripped != book
    patch_part(path, "xl/workbook.xml", book, stripped)
    codes, values, messages = _codes(path)
    assert codes == ["structure-changed"], codes
    assert "第7行后插入了1行" in messages[0]
    _assert_read_right(values, expected, spec21)


def _swap_rows(xml: bytes, a: int, b: int) -> bytes:
    """Rows a and b (1-based) exchanged as an app moves a row: its cells and its formulas' own-row references."""

    def renumber(row: bytes, old: int, new: int) -> bytes:
        row = re.sub(rb'(<row [^>]*?r=")%d"' % old, rb'\g<1>%d"' % new, row)
        row = re.sub(rb'( r="[A-Z]+)%d"' % old, rb'\g<1>%d"' % new, row)
        ref = re.compile(rb"\b([A-Z]+)%d\b" % old)
        return re.sub(rb"<f>[^<]*</f>", lambda m: ref.sub(rb"\g<1>%d" % new, m.group(0)), row)

    rows = {int(m.group(1)): m.group(0) for m in re.finditer(rb'<row [^>]*?r="(\d+)".*?</row>', xml, re.S)}
    moved = xml.replace(rows[a], b"\0").replace(rows[b], renumber(rows[a], a, b))
    return moved.replace(b"\0", renumber(rows[b], b, a))


def _swap_names(book: bytes, sheet: str, a: int, b: int) -> bytes:
    """The defined names of the sheet's rows a and b exchanged, as the app moves them with the cells."""

    def swap(m: re.Match[bytes]) -> bytes:
        target = m.group(1).decode()
        if not target.startswith(f"'{sheet}'!"):
            return m.group(0)
        row = int(target.rsplit("$", 1)[1])
        new = {a: b, b: a}.get(row, row)
        return b">" + f"{target.rsplit('$', 1)[0]}${new}".encode() + b"</definedName>"

    return re.sub(rb">([^<]*)</definedName>", swap, book)


def test_rows_moved_in_the_sheet_xml_are_read_by_their_names_and_labels(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "t.xlsx"
    expected = filled_template(path, spec21, seed=4)
    sheet, a1 = where(spec21, "t3.new.natural")
    r = int(a1[1:])
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml")
        sheets = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        part = next(n for n in sheets if b"SUM(D%d:I%d)" % (r, r) in z.read(n))
        xml = z.read(part)
    patch_part(path, part, xml, _swap_rows(xml, r, r + 1))
    patch_part(path, "xl/workbook.xml", book, _swap_names(book, sheet, r, r + 1))
    codes, values, messages = _codes(path)
    assert codes == ["structure-changed"], codes
    assert "第7行移到了第8行" in messages[0], messages
    _assert_read_right(values, expected, spec21)


def test_an_intact_template_has_no_structure_finding(tmp_path: Path, spec21: Spec, spec19: Spec) -> None:
    for spec, year in [(spec21, 2025), (spec19, 2020)]:
        path = tmp_path / f"{spec.id}.xlsx"
        filled_template(path, spec, year=year)
        codes, _, _ = _codes(path, year)
        assert "structure-changed" not in codes


def test_what_moved_is_said_plainly() -> None:
    inserted = [(6, 6), (7, 8), (8, 9)]
    assert _axis(inserted, "row", "zh") == ["第7行后插入了1行"]
    assert _axis(inserted, "row", "en") == ["1 row(s) inserted after row 7"]
    assert _axis([(6, 6), (9, 7)], "row", "zh") == ["第7行后删除了2行"]
    assert _axis([(3, 4), (4, 5)], "column", "zh") == ["第D列前插入了1列"]
    assert _axis([(6, 7), (7, 6), (8, 8)], "row", "zh") == ["第7行移到了第8行", "第8行移到了第7行"]
    assert _axis([(1, 1), (2, 2)], "row", "zh") == []


def test_a_template_read_before_does_not_vouch_for_a_return_whose_labels_moved(tmp_path: Path, spec21: Spec) -> None:
    """Returns of one template share a layout (their cells found as written); a return whose label cells
    moved while its names and map stayed is searched as if no return of the template had been read."""
    from zfxxgk.read import structure

    path, edited = tmp_path / "t.xlsx", tmp_path / "rows-moved.xlsx"
    expected = filled_template(path, spec21, seed=4)
    edited.write_bytes(path.read_bytes())
    _, a1 = where(spec21, "t3.new.natural")
    r = int(a1[1:])
    with zipfile.ZipFile(edited) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and b"SUM(D%d:I%d)" % (r, r) in z.read(n))
        xml = z.read(part)
    patch_part(edited, part, xml, _swap_rows(xml, r, r + 1))  # the names still say row r: only the labels tell

    structure._LAYOUTS.clear()
    assert _codes(path)[0] == [] and structure._LAYOUTS  # the intact return leaves its template's layout
    warm = _codes(edited)
    structure._LAYOUTS.clear()
    cold = _codes(edited)
    assert warm == cold and "structure-changed" in warm[0], warm[0]
    _assert_read_right(warm[1], expected, spec21)


def test_a_return_with_a_cell_its_map_does_not_place_shares_no_layout(tmp_path: Path, spec21: Spec) -> None:
    """A cell found by its name or labels alone may be elsewhere in another return of the template, so such a
    return keeps no layout (whose expected formulas assume every cell where the map puts it)."""
    from zfxxgk.read import structure
    from zfxxgk.read.package import Package
    from zfxxgk.read.workbook import read_meta

    path = tmp_path / "t.xlsx"
    filled_template(path, spec21, seed=4)
    pkg = Package(path.read_bytes())
    _, cell_map = read_meta(pkg)
    partial = {k: v for k, v in cell_map.items() if k != "t3.new.natural"}
    structure._LAYOUTS.clear()
    assert structure.locate_cells(pkg, spec21, cell_map, "", "zh").layout is not None
    for _ in range(2):  # the first return of this map, then one that finds the layout it left
        located = structure.locate_cells(pkg, spec21, partial, "", "zh")
        assert located.layout is None and "t3.new.natural" in located.where
