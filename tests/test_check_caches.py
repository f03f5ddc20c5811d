"""What the per-file check computes once and reuses: per spec, per workbook part, per sheet's bytes.

Each cache must give what computing afresh gives, and a changed input (a changed spec file, other
workbook bytes) must never be served what was computed for the old one.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from zfxxgk.normalize import label_key
from zfxxgk.read import package as package_module
from zfxxgk.read import sheetxml
from zfxxgk.read.package import SMALL_PART, Package, workbook_facts
from zfxxgk.read.package_errors import PackageError
from zfxxgk.read.sheetxml import NS, _read_rows, may_hold_errors, read_sheet
from zfxxgk.read.structure import Labels, _spec_labels, expected_labels
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec, load_spec
from zfxxgk.spec.layout import table_layout
from zfxxgk.template.writer import build_template


def labels_afresh(spec: Spec, agency: str) -> dict[str, Labels]:
    """The labels of each cell computed directly from the layout, for this agency (no cache)."""
    out: dict[str, Labels] = {}
    for table in spec.grid_tables:
        layout = table_layout(table)
        items = {(i.row, i.col): i for i in layout.items}
        for item in layout.items:
            if item.cell_id:
                heads = [items[h] for h in item.headers if h in items and items[h].text]
                row = tuple(label_key(h.label(agency=agency)) for h in heads if h.kind == "rowhead" and h.row == item.row)
                col = tuple(label_key(h.label(agency=agency)) for h in heads if h.kind == "colhead" and h.col == item.col)
                out[item.cell_id] = (row, col)
    for table in (t for t in spec.tables.values() if t.kind == "form"):
        for cell_id in table.cells:
            out[cell_id] = ((label_key(spec.cells[cell_id].row_path[-1]),), ())
    return out


@settings(max_examples=25, deadline=None)
@given(agency=st.text(max_size=12))
def test_expected_labels_are_what_the_layout_gives_for_any_agency(agency: str) -> None:
    for spec_id in ("national-2021", "national-2019"):
        spec = load_spec(spec_id)
        assert expected_labels(spec, agency) == labels_afresh(spec, agency)


def test_a_local_column_naming_the_agency_is_labelled_per_file(tmp_path: Path) -> None:
    """Labels that name ``{agency}`` are made for each file; the rest are computed once per spec."""
    source = Path(load_spec("national-2021").source).read_text(encoding="utf-8")
    marker = "label: 自然人"
    assert marker in source
    folder = tmp_path / "local"
    folder.mkdir()
    path = folder / "national-2021.yaml"
    path.write_text(source.replace(marker, "label: '{agency}受理的自然人'", 1), encoding="utf-8")
    spec = load_spec(str(path))
    fixed, named = _spec_labels(spec)
    assert named and not set(named) & set(fixed)
    for agency in ("财政局", "教育局", ""):
        labels = expected_labels(spec, agency)
        assert labels == labels_afresh(spec, agency)
        assert any(label_key(f"{agency or '本单位'}受理的自然人") in keys for row, col in labels.values() for keys in (row, col))


def test_the_per_spec_cache_is_not_served_for_a_changed_spec_file(tmp_path: Path) -> None:
    source = Path(load_spec("national-2021").source).read_text(encoding="utf-8")
    folder = tmp_path / "spec"
    folder.mkdir()
    path = folder / "national-2021.yaml"
    path.write_text(source, encoding="utf-8")
    before = load_spec(str(path))
    assert _spec_labels(before) is _spec_labels(before)  # computed once
    assert any(label_key("自然人") in col for _, col in expected_labels(before, "").values())
    path.write_text(source.replace("label: 自然人", "label: 个人", 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later version of the file
    after = load_spec(str(path))
    assert after is not before and after.hash != before.hash
    cols = {k for _, col in expected_labels(after, "").values() for k in col}
    assert label_key("个人") in cols and label_key("自然人") not in cols
    assert _spec_labels(before) is not _spec_labels(after)


def test_the_per_spec_cache_is_recomputed_when_the_hash_it_was_made_for_is_gone() -> None:
    spec = load_spec("national-2021")
    first = _spec_labels(spec)
    real = spec.hash
    try:
        object.__setattr__(spec, "hash", "changed")  # as if the spec object had been rebuilt in place
        assert _spec_labels(spec) is not first
    finally:
        object.__setattr__(spec, "hash", real)
        _spec_labels.cache_clear()  # type: ignore[attr-defined]


def _template() -> bytes:
    return build_template(load_spec(), 2025, Agency("缓存局"))


def _with_part(data: bytes, part: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == part else src.read(info))
    return out.getvalue()


def test_workbook_facts_are_shared_by_returns_of_one_template_and_read_only() -> None:
    data = _template()
    one, two = Package(data), Package(data)
    assert one.defined_names is two.defined_names and one.sheets == two.sheets
    assert one.sheets is not two.sheets  # each package has its own list
    with pytest.raises(TypeError):
        one.defined_names["ZF_X"] = ("a", "A1")  # type: ignore[index]
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    renamed = workbook.replace(b'name="', b'name="Z', 1)  # the first sheet renamed
    other = Package(_with_part(data, "xl/workbook.xml", renamed))
    assert other.sheets[0].name == "Z" + one.sheets[0].name
    assert [s.name for s in other.sheets[1:]] == [s.name for s in one.sheets[1:]]


def test_a_large_workbook_part_is_read_but_not_kept() -> None:
    data = _template()
    zf = zipfile.ZipFile(io.BytesIO(data))
    workbook, rels = zf.read("xl/workbook.xml"), zf.read("xl/_rels/workbook.xml.rels")
    padded = workbook.replace(b"<sheets>", b"<!--" + b" " * SMALL_PART + b"--><sheets>", 1)
    hits = package_module._cached_facts.cache_info().currsize
    facts = workbook_facts(padded, rels)
    assert package_module._cached_facts.cache_info().currsize == hits
    assert list(facts.sheets) == Package(data).sheets and dict(facts.defined_names) == dict(Package(data).defined_names)


_ERROR_VALUES = st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#VALUE!"])
_T_ATTRIBUTES = st.sampled_from(['t="e"', "t='e'", 't = "e"', 't=\n"e"', 't="&#101;"', "t='&#x65;'"])


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    """A sheet with numbers, strings, formulas and (sometimes) error cells written in any legal way."""
    rows = []
    addressed = draw(st.booleans())  # every cell with its r, as the quick reading needs
    for r in range(1, draw(st.integers(1, 6)) + 1):
        cells = []
        for c in "ABCD"[: draw(st.integers(1, 4))]:
            kind = draw(st.sampled_from(["n", "s", "f", "e", "str"]))
            ref = f' r="{c}{r}"' if addressed or draw(st.booleans()) else ""
            if kind == "n":
                cells.append(f'<c{ref} s="1"><v>{draw(st.integers(0, 99))}</v></c>')
            elif kind == "s":
                cells.append(f'<c{ref} t="s"><v>{draw(st.integers(0, 9))}</v></c>')
            elif kind == "str":
                cells.append(f'<c{ref} t="str"><f>"e"&amp;"x"</f><v>ex</v></c>')
            elif kind == "f":
                cells.append(f"<c{ref}><f>SUM(A1:A{r})</f><v>1</v></c>")
            else:
                cells.append(f"<c{ref} {draw(_T_ATTRIBUTES)}><v>{draw(_ERROR_VALUES)}</v></c>")
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    protection = '<sheetProtection sheet="1"/>' if draw(st.booleans()) else ""
    body = f'<worksheet xmlns="{NS[1:-1]}"><sheetData>{"".join(rows)}</sheetData>{protection}</worksheet>'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


@settings(max_examples=200, deadline=None)
@given(data=sheet_xml())
def test_the_quick_sheet_reading_finds_what_walking_every_cell_finds(data: bytes) -> None:
    """The XPath reading (with its byte-level screen for error cells) equals the cell-by-cell walk."""
    assert read_sheet(data, "sheet.xml") == _read_rows(data, "sheet.xml")
    if b"#" in data.split(b"<sheetData>", 1)[1]:  # an error cell is there
        assert may_hold_errors(data)


def test_error_cells_are_found_in_a_sheet_in_utf16() -> None:
    body = f'<worksheet xmlns="{NS[1:-1]}"><sheetData><row r="1"><c r="A1" t="e"><v>#N/A</v></c></row></sheetData></worksheet>'
    data = ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")
    assert may_hold_errors(data)
    assert read_sheet(data, "sheet.xml").errors == {"A1": "#N/A"}


_REF_TEXT = st.one_of(
    st.from_regex(r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}", fullmatch=True),
    st.text(alphabet="AZaz0159$ :Ａ１", max_size=7),
)


@settings(max_examples=400, deadline=None)
@given(refs=st.lists(st.one_of(st.none(), _REF_TEXT), min_size=1, max_size=4))
def test_the_quick_sheet_reading_takes_any_address_as_walking_every_cell_does(refs: list[str | None]) -> None:
    """Whatever the cells' r (plain, absolute, lower case, out of range, missing, not an address)."""
    root = etree.Element(f"{NS}worksheet")
    row = etree.SubElement(etree.SubElement(root, f"{NS}sheetData"), f"{NS}row")
    for ref in refs:
        cell = etree.SubElement(row, f"{NS}c")
        if ref is not None:
            cell.set("r", ref)
        etree.SubElement(cell, f"{NS}f").text = "SUM(A1:A2)"
    data = etree.tostring(root)
    assert read_sheet(data, "sheet.xml") == _read_rows(data, "sheet.xml")


_STORED = st.one_of(  # what may stand in a <v> of another return: values, and texts that are no values at all
    st.from_regex(r"[0-9A-Za-z_.+\-]{0,8}", fullmatch=True),
    st.sampled_from(["&bogus;", "]]>", "\x01", "&amp;", "#N/A"]),
)


def _read_or_refused(data: bytes, read: Callable[[bytes, str], object]) -> object:
    try:
        return read(data, "sheet.xml")
    except PackageError as exc:
        return exc.code


@settings(max_examples=300, deadline=None)
@given(
    data=sheet_xml(),
    first=st.lists(_STORED, min_size=24, max_size=24),
    stored=st.lists(_STORED, min_size=24, max_size=24),
    cdata=st.booleans(),
)
def test_a_sheet_read_before_vouches_for_another_only_where_its_stored_values_cannot_matter(
    data: bytes, first: list[str], stored: list[str], cdata: bool
) -> None:
    """Returns of one template differ in the texts of their <v> elements, and a sheet is read from the
    skeleton an earlier one left: what it is read as is what reading it afresh gives, whatever the other
    values (error cells, texts that make the XML ill-formed, "<v>" inside a CDATA formula)."""
    if cdata:
        data = data.replace(b"<f>SUM(", b"<f><![CDATA[<v>1</v>]]>SUM(")

    def stored_as(texts: list[str]) -> bytes:
        given = iter(texts * 2)
        return re.sub(rb"<v>[^<]*</v>", lambda m: b"<v>" + next(given).encode() + b"</v>", data)

    other = stored_as(stored)
    sheetxml._SKELETONS.clear()
    _read_or_refused(stored_as(first), read_sheet)  # leaves its skeleton (when it may)
    assert _read_or_refused(other, read_sheet) == _read_or_refused(other, _read_rows)


def test_a_formula_written_in_cdata_is_read_from_its_own_sheet() -> None:
    """"<v>" inside a CDATA formula is formula text, not a stored value: two such sheets are each read afresh."""
    cell = '<c r="A1"><f><![CDATA[<v>{}</v>]]>SUM(A1:A1)</f><v>1</v></c>'
    sheet = f'<worksheet xmlns="{NS[1:-1]}"><sheetData><row r="1">{cell}</row></sheetData></worksheet>'
    sheetxml._SKELETONS.clear()
    assert read_sheet(sheet.format(1).encode(), "a.xml").formulas == {"A1": "<v>1</v>SUM(A1:A1)"}
    assert read_sheet(sheet.format(2).encode(), "b.xml").formulas == {"A1": "<v>2</v>SUM(A1:A1)"}


def test_what_lies_in_a_formula_or_a_comment_is_never_taken_for_a_stored_value() -> None:
    """Counterexamples to a looser skeleton: a <v> inside a formula is formula text (lxml reads it so),
    and a comment's text decides whether the XML is well formed; such sheets are each read afresh."""

    def sheet(inner: str) -> bytes:
        return f'<worksheet xmlns="{NS[1:-1]}"><sheetData><row r="1">{inner}</row></sheetData></worksheet>'.encode()

    sheetxml._SKELETONS.clear()
    read_sheet(sheet('<c r="A3"><f>SUM(A1:A<v>2</v>)</f><v>5</v></c>'), "a.xml")
    assert read_sheet(sheet('<c r="A3"><f>SUM(A1:A<v>1</v>)</f><v>5</v></c>'), "b.xml").formulas == {"A3": "SUM(A1:A1)"}
    read_sheet(sheet('<!--<v></v>--><c r="A1"><v>1</v></c>'), "a.xml")
    with pytest.raises(PackageError):  # "--" inside a comment: not XML
        read_sheet(sheet('<!--<v>--</v>--><c r="A1"><v>1</v></c>'), "b.xml")


def test_an_address_with_a_space_is_no_plain_address() -> None:
    """r="A1 B1" is not two addresses: the quick reading gives what walking every cell gives."""
    data = f'<worksheet xmlns="{NS[1:-1]}"><sheetData><row r="1"><c r="A1 B1"><f>1</f></c></row></sheetData></worksheet>'
    assert read_sheet(data.encode(), "sheet.xml") == _read_rows(data.encode(), "sheet.xml")
