"""Unsafe XML is refused whatever its encoding, and no parser the tool uses ever expands an entity.

Every hostile file is a real template with one part rewritten: a DTD (declaring an entity that the
part then uses) in UTF-8 or UTF-16/32, with or without a byte order mark, after comments or
processing instructions, in any part (content types, relationships, shared strings, styles, a sheet
under an unusual member name). ``check`` must answer ``file-unsafe-xml`` and exit 2. The last tests
bypass the screen to show what calamine and openpyxl would do, which is why the screen covers every
part and runs before openpyxl too.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from zfxxgk.check.annotate import annotate
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.read.package import Package, PackageError, screen_bytes
from zfxxgk.read.xmlsafety import encoding_of, prolog_problem
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template

DTD = '<!DOCTYPE x [<!ENTITY e "EXPANDED">]>'
SHEET = "xl/worksheets/sheet3.xml"


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template(load_spec("national-2021"), 2025, Agency("某局"))


def rewrite(data: bytes, part: str, body: bytes, rename: str | None = None) -> bytes:
    """The package with ``part`` replaced by ``body`` (and, given ``rename``, moved to that member name)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == part:
                dst.writestr(rename or part, body)
            elif rename and info.filename == "xl/_rels/workbook.xml.rels":
                dst.writestr(info.filename, src.read(info).replace(part.removeprefix("xl/").encode(), rename.removeprefix("xl/").encode()))
            else:
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def hostile(original: bytes, prolog: str, encoding: str, bom: bool) -> bytes:
    """A part re-encoded with a DTD placed after ``prolog`` (its own declaration replaced)."""
    text = original.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    label = encoding.upper().replace("-LE", "").replace("-BE", "")
    decl = f'<?xml version="1.0" encoding="{label}"?>' if prolog != "bare" else ""
    body = decl + (prolog if prolog != "bare" else "") + DTD + text
    raw = body.encode(encoding)
    if bom:
        raw = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}[encoding] + raw
    return raw


def part_of(data: bytes, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(part)


ENCODINGS = [("utf-8", False), ("utf-8", True), ("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False), ("utf-16-be", False), ("utf-32-le", True)]
PROLOGS = ["", "<!-- a <b> comment -->\n", '<?mso-application progid="Excel.Sheet"?><!--<x-->', "bare"]


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS, ids=[f"{e}{'-bom' if b else ''}" for e, b in ENCODINGS])
@pytest.mark.parametrize("prolog", PROLOGS, ids=["plain", "after-comment", "after-pi", "no-declaration"])
def test_a_dtd_in_the_sheet_is_refused_in_any_encoding(template: bytes, encoding: str, bom: bool, prolog: str) -> None:
    data = rewrite(template, SHEET, hostile(part_of(template, SHEET), prolog, encoding, bom))
    with pytest.raises(PackageError) as err:
        Package(data)
    assert err.value.code == "file-unsafe-xml" and SHEET in err.value.detail


PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml", "docProps/app.xml"]


@pytest.mark.parametrize("part", PARTS)
def test_a_utf16_dtd_in_any_part_fails_the_check_with_exit_2(template: bytes, part: str, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(rewrite(template, part, hostile(part_of(template, part), "<!-- -->", "utf-16-le", True)))
    assert [f.code for f in check_file(path).findings] == ["file-unsafe-xml"]
    result = CliRunner().invoke(main, ["check", str(path)], env={"ZFXXGK_LANG": "zh"})
    assert result.exit_code == 2 and "不安全" in result.output


def test_a_sheet_under_any_member_name_is_screened(template: bytes) -> None:
    """A relationship may point a sheet at a member not named .xml; the screen goes by content."""
    body = hostile(part_of(template, SHEET), "", "utf-8", False)
    with pytest.raises(PackageError, match=r"sheet3\.bin"):
        Package(rewrite(template, SHEET, body, rename="xl/worksheets/sheet3.bin"))
    Package(rewrite(template, SHEET, part_of(template, SHEET), rename="xl/worksheets/sheet3.bin"))  # safe: read


@pytest.mark.parametrize(
    ("head", "problem"),
    [
        (b'<?xml version="1.0" encoding="UTF-7"?><w/>', "encoding UTF-7"),  # +ADw-!DOCTYPE hides markup
        (b'<?xml version="1.0" encoding="cp037"?><w/>', "encoding cp037"),  # EBCDIC
        (b'<?xml version="1.0" encoding="no-such"?><w/>', "encoding no-such"),
        (b'<?xml version="1.0" encoding="UTF-16"?>' + "<!DOCTYPE w>".encode("utf-16-le"), "encoding UTF-16"),
        (b"<!-- " + b"x" * 100 + b" --><!ENTITY e 'x'><w/>", "DTD"),
        (b'<?xml version="1.0" encoding="GB18030"?><w>\xc4\xea</w>', None),
        (b"\xef\xbb\xbf<w/>", None),
        (b"\x89PNG\r\n\x1a\n<!DOCTYPE", None),  # not XML: no parser reads it as XML
    ],
    ids=["utf-7", "ebcdic", "unknown-encoding", "utf16-declared-in-ascii", "entity-after-comment", "gb18030", "bom", "binary"],
)
def test_prolog_screen(head: bytes, problem: str | None) -> None:
    assert prolog_problem(head, complete=True) == problem


def test_encodings_are_detected_as_parsers_detect_them() -> None:
    assert [encoding_of("<?xml".encode(e)) for e in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")] == [
        "latin-1", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
    assert encoding_of("<?xml".encode("utf-16")) == "utf-16-le"  # with its byte order mark


def test_a_long_prolog_is_read_across_chunks(template: bytes) -> None:
    """A big part is screened as a stream: a DTD after 10 kB of comments is still found."""
    filler = "<!-- " + "长" * 5000 + " -->"
    body = hostile(part_of(template, SHEET), filler, "utf-16-le", True) + b" " * 300_000
    with pytest.raises(PackageError, match="sheet3"):
        Package(rewrite(template, SHEET, body))


# --------------------------------------------------------------------------- what the parsers would do


def shared_strings_with_entity(template: bytes) -> bytes:
    strings = part_of(template, "xl/sharedStrings.xml").decode()
    strings = strings.replace("<t>", "<t>&e;", 1).replace("?>", "?>" + DTD, 1)
    return rewrite(template, "xl/sharedStrings.xml", strings.encode())


def test_calamine_without_the_screen_never_expands_an_entity(template: bytes) -> None:
    """What calamine does with a DTD if the screen let one through: it never expands the entity (it
    fails on it, in a sheet or, as "Cannot detect file format", in the shared strings) and cannot
    decode UTF-16 parts at all. So the file would fail as corrupt, not be misread; the screen still
    runs first so that the answer is the right one (file-unsafe-xml) for every part and encoding."""
    name = next(s.name for s in Package(template).sheets if s.part == SHEET)
    sheet = part_of(template, SHEET).decode()
    cell = '<row r="999"><c r="A999" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData>'
    in_sheet = rewrite(template, SHEET, sheet.replace("?>", "?>" + DTD, 1).replace("</sheetData>", cell).encode())
    with pytest.raises(Exception, match="unrecognized entity"):
        CalamineWorkbook.from_filelike(io.BytesIO(in_sheet)).get_sheet_by_name(name).to_python()
    with pytest.raises(Exception, match="Cannot detect"):
        CalamineWorkbook.from_filelike(io.BytesIO(shared_strings_with_entity(template)))
    utf16 = rewrite(template, SHEET, part_of(in_sheet, SHEET).decode().replace('"UTF-8"', '"UTF-16"').encode("utf-16"))
    with pytest.raises(Exception, match="cannot decode input using UTF-8"):
        CalamineWorkbook.from_filelike(io.BytesIO(utf16)).get_sheet_by_name(name).to_python()


def test_openpyxl_without_the_screen_is_defused_and_the_stdlib_would_expand(template: bytes, tmp_path: Path) -> None:
    """openpyxl refuses the entity (defusedxml); with defusedxml switched off by the environment it
    would put the entity's text into the cell: hence annotate screens the bytes itself first."""
    data = shared_strings_with_entity(template)
    with pytest.raises(Exception) as err:
        openpyxl.load_workbook(io.BytesIO(data))
    assert type(err.value.__context__).__name__ == "EntitiesForbidden"
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    probe = "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); print(any('EXPANDED' in str(c.value) for ws in wb for row in ws.iter_rows() for c in row))"
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "True"
    with pytest.raises(PackageError) as err:
        screen_bytes(data)
    assert err.value.code == "file-unsafe-xml"


def test_annotate_screens_what_it_gives_openpyxl(template: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(template)
    result = check_file(path)
    assert result.ret is not None and result.intake.data is not None
    result.intake.data = shared_strings_with_entity(template)  # as if the bytes changed after the check
    with pytest.raises(PackageError):
        annotate(result, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def _with_bad_crc(data: bytes, member: str) -> bytes:
    """The package with ``member``'s CRC-32 wrong in its local header and the central directory (its bytes intact)."""
    import struct

    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    bad = struct.pack("<I", info.CRC ^ 0xFFFF)
    out[info.header_offset + 14 : info.header_offset + 18] = bad
    at = out.find(b"PK\x01\x02")
    while at != -1:
        n = struct.unpack("<H", out[at + 28 : at + 30])[0]
        if out[at + 46 : at + 46 + n] == member.encode():
            out[at + 16 : at + 20] = bad
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/styles.xml", "xl/theme/theme1.xml", "docProps/app.xml"])
def test_a_damaged_part_is_found_whoever_reads_it(template: bytes, member: str, tmp_path: Path) -> None:
    """A wrong CRC in a part only calamine reads (or nobody) is file-corrupt, never a quiet read or a traceback."""
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(_with_bad_crc(template, member))
    assert [f.code for f in check_file(path, year=2025).findings] == ["file-corrupt"]
    res = CliRunner().invoke(main, ["check", str(path), "--annotate", str(tmp_path / "a.xlsx"), "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "file-corrupt" in res.output and "Traceback" not in res.output
