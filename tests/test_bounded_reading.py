"""Bounded work per file: a small file whose used range is enormous is answered in seconds, in bounded memory.

Guarantees under test (each case runs ``check`` in a fresh process that reports its own peak memory):
every case below finishes within 20 s and 300 MB, the workbook's tables are still read, and content
far outside any table gets one ``cells-far-outside`` warning naming the sheet and the farthest cell.
Before this, one stray cell at XFD1048576 made calamine allocate a 17-billion-cell range and abort.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import PROSE
from zfxxgk.check import check_file
from zfxxgk.read.package import MAX_SHEET_BYTES, Package
from zfxxgk.read.refs import rc_to_a1
from zfxxgk.read.sheetxml import MAX_COLS, MAX_ROWS
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")

SPEC = load_spec("national-2021")
SHEET = "xl/worksheets/sheet3.xml"
SECONDS, MEGABYTES = 20, 300

# Peak memory is the process's VmHWM (its own address space, Rust allocations included): ru_maxrss
# would include the RSS of the pytest process it was started from, which Linux carries across exec.
PROBE = """
import json, re, sys, time
from pathlib import Path
from zfxxgk.check.file import check_file
t = time.perf_counter()
result = check_file(sys.argv[1], year=2025)
hwm = re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text())
print(json.dumps({
    "seconds": time.perf_counter() - t,
    "mb": int(hwm.group(1)) / 1024,
    "findings": [[f.code, f.sheet, f.cell] for f in result.findings],
    "values": len(result.values),
}))
"""


def clean_template() -> bytes:
    fill = {c.id: ("无" if c.domain.kind == "text" else 0) for c in SPEC.input_cells if not c.id.startswith("info.")}
    fill |= PROSE  # sections that say something, so the only findings are about reading
    return build_template(SPEC, 2025, Agency("某局"), prefill=fill)


def edited(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The package with some parts' XML changed (by a function of the old bytes) or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change.get(info.filename) or src.read(info)
            dst.writestr(info.filename, body)
    return out.getvalue()


def with_rows(rows: str, dimension: str = "") -> dict[str, bytes | None]:
    """The table sheet with ``rows`` appended to its sheetData (and its dimension replaced)."""
    body = zipfile.ZipFile(io.BytesIO(TEMPLATE)).read(SHEET).decode()
    body = body.replace("</sheetData>", rows + "</sheetData>")
    if dimension:
        body = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', body)
    return {SHEET: body.encode()}


TEMPLATE = clean_template()


def many_rows(last: int) -> str:
    return "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(100, last + 1))


NEAR_LIMIT = 150_000  # rows of 40 bytes: a sheet just under MAX_SHEET_BYTES, read as a stream


CASES: dict[str, tuple[Callable[[], str], str, str]] = {  # rows added, dimension, the farthest cell left out
    "stray-cell-at-XFD1048576": (lambda: '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "", "XFD1048576"),
    "stray-cell-far-right": (lambda: '<row r="60"><c r="XFD60" t="inlineStr"><is><t>x</t></is></c></row>', "", "XFD60"),
    "stray-cell-far-down": (lambda: '<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "", "A1048576"),
    "huge-dimension": (lambda: "", "A1:XFD1048576", ""),
    "empty-rows-with-huge-r": (lambda: '<row r="1048575"/><row r="1048576"><c r="XFD1048576" s="1"/></row>', "", ""),
    "cells-without-r-far-right": (lambda: '<row r="70">' + "<c/>" * 16000 + "<c><v>1</v></c></row>", "", rc_to_a1(69, 16000)),
    "largest-range-read": (lambda: f'<row r="{MAX_ROWS}"><c r="GR{MAX_ROWS}"><v>1</v></c></row>', "", ""),
    "rows-up-to-the-size-limit": (lambda: many_rows(NEAR_LIMIT), "", f"A{NEAR_LIMIT}"),
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = tmp_path_factory.mktemp("bounded") / "clean.xlsx"
    path.write_bytes(TEMPLATE)
    return probe(path)


def probe(path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, timeout=120, check=True)
    return dict(json.loads(out.stdout))


@pytest.mark.parametrize("case", list(CASES))
def test_an_enormous_used_range_costs_seconds_and_bounded_memory(case: str, tmp_path: Path, baseline: dict[str, object]) -> None:
    rows, dimension, farthest = CASES[case]
    path = tmp_path / "report.xlsx"
    path.write_bytes(edited(TEMPLATE, with_rows(rows(), dimension)))
    assert path.stat().st_size < 6_000_000  # a small file
    got = probe(path)
    assert got["seconds"] < SECONDS and got["mb"] < MEGABYTES, got  # type: ignore[operator]
    assert baseline["findings"] == [] and got["values"] == baseline["values"]  # the tables are still read
    sheet = next(s.name for s in Package(TEMPLATE).sheets if s.part == SHEET)
    expected = [["cells-far-outside", sheet, farthest]] if farthest else []
    assert got["findings"] == expected


def test_the_range_read_is_bounded_and_what_lies_beyond_is_counted() -> None:
    """The grid never exceeds MAX_ROWS x MAX_COLS; cells beyond are counted, each cell once."""
    rows = (
        f'<row r="{MAX_ROWS + 1}"><c r="A{MAX_ROWS + 1}"><v>1</v></c><c r="B{MAX_ROWS + 1}"><v>2</v></c></row>'
        '<row r="9"><c r="GS9"><v>3</v></c><c r="GR9"><v>4</v></c></row>'
    )
    pkg = Package(edited(TEMPLATE, with_rows(rows)))
    sheet = next(s.name for s in pkg.sheets if s.part == SHEET)
    grid = pkg.grid(sheet)
    assert len(grid) <= MAX_ROWS and max(len(r) for r in grid) <= MAX_COLS
    assert grid[8][MAX_COLS - 1] == 4  # GR9, the last column read
    xml = pkg.xml(sheet)
    assert (xml.outside, xml.farthest) == (3, f"B{MAX_ROWS + 1}")
    (note,) = pkg.notes("en")
    assert note.code == "cells-far-outside" and "3 cells" in note.message and f"B{MAX_ROWS + 1}" in note.message


def test_a_sheet_beyond_the_size_limit_is_refused_quickly(tmp_path: Path) -> None:
    """A million filled rows (40 MB of XML in a 5 MB file): sheet-too-large, the file unreadable (exit 2)."""
    path = tmp_path / "report.xlsx"
    path.write_bytes(edited(TEMPLATE, with_rows(many_rows(1_000_000))))
    assert zipfile.ZipFile(path).getinfo(SHEET).file_size > MAX_SHEET_BYTES
    got = probe(path)
    assert got["seconds"] < SECONDS and got["mb"] < MEGABYTES, got  # type: ignore[operator]
    assert [code for code, _, _ in got["findings"]] == ["sheet-too-large"]  # type: ignore[attr-defined]
    in_process = check_file(path)  # refused before any parser builds the sheet, so this process stays small
    assert [f.code for f in in_process.findings] == ["sheet-too-large"] and not in_process.readable
