"""The package reader: the fast byte scan of sheets agrees with a full XML parse, or steps aside."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from zfxxgk.libreoffice import convert
from zfxxgk.read.package import Package, _scan
from zfxxgk.spec import Spec

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def assert_scan_agrees(data: bytes) -> None:
    scanned = _scan(data)
    parsed = Package._parse_sheet(data, "sheet")
    if scanned is not None:
        assert (scanned.formulas, scanned.errors, scanned.protected) == (
            parsed.formulas,
            parsed.errors,
            parsed.protected,
        )


def sheets_of(path: Path) -> list[bytes]:
    pkg = Package(path.read_bytes())
    return [pkg._read(s.part) for s in pkg.sheets]


@pytest.mark.libreoffice
def test_scan_agrees_on_templates_and_their_libreoffice_saves(tmp_path: Path, spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    template = make_template(spec21)
    (saved,) = convert([template], "xlsx", tmp_path / "lo")  # LibreOffice writes attributes and types its own way
    datas = sheets_of(template) + sheets_of(saved)
    for data in datas:
        assert _scan(data) is not None  # the fast path serves our templates and LibreOffice's saves
        assert_scan_agrees(data)


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
    assert_scan_agrees(data)
    assert _scan(data) is not None and _scan(data).formulas["A1"] == 'IF(B1>0,"a&b","<c>")'  # type: ignore[union-attr]
    shared = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f>'
        '<v>2</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c>'
        '<c r="B2" t="e"><v>#REF!</v></c></row></sheetData>'
        '<sheetProtection sheet="1" objects="1"/></worksheet>'
    ).encode()
    assert_scan_agrees(shared)
    assert _scan(shared).formulas == {"A1": "B1*2", "A2": ""}  # type: ignore[union-attr]
    prefixed = (
        shared.replace(b"<", b"<x:")
        .replace(b"<x:/", b"</x:")
        .replace(f'xmlns="{NS}"'.encode(), f'xmlns:x="{NS}"'.encode())
    )
    scanned = _scan(prefixed)
    assert scanned is None or scanned.formulas == {"A1": "B1*2", "A2": ""}


@pytest.mark.parametrize(
    "body",
    [
        b'<c s="1"><f>SUM(A1:A2)</f></c>',  # no r attribute: the scan cannot tell the cell
    ],
)
def test_scan_steps_aside_when_unsure(body: bytes) -> None:
    data = f'<worksheet xmlns="{NS}"><sheetData><row r="1">'.encode() + body + b"</row></sheetData></worksheet>"
    assert _scan(data) is None
