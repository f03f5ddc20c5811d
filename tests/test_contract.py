"""The contract between the template writer and the reader: metadata, map, defined names, formula text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT
from zfxxgk import contract
from zfxxgk.check.tampering import total_findings
from zfxxgk.contract import (
    defined_name,
    expected_formula,
    linear_formula,
    map_header,
    map_line,
    meta_rows,
    norm_formula,
    parse_map,
    rectangles,
)
from zfxxgk.read.package import Package
from zfxxgk.read.workbook import read_meta, read_workbook
from zfxxgk.roster import Agency
from zfxxgk.spec import LinearForm, Spec, Term
from zfxxgk.template.plan import workbook_plan
from zfxxgk.template.writer import build_template

SRC = ROOT / "src" / "zfxxgk"


def _package(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


def _imported_modules(source: str, package: str) -> list[str]:
    """Every module a file of ``package`` imports, as an absolute dotted name (relative imports resolved)."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.append(module)
            out += [f"{module}.{alias.name}" for alias in node.names]
    return out


def _writer_imports(source: str, package: str) -> list[str]:
    return [m for m in _imported_modules(source, package) if m == "zfxxgk.template" or m.startswith("zfxxgk.template.")]


@pytest.mark.parametrize("stage", ["read", "check"])
def test_the_reader_and_checker_never_import_the_writer(stage: str) -> None:
    files = sorted((SRC / stage).glob("*.py"))
    assert len(files) > 3
    offending = {
        f"{path.relative_to(SRC)}: {module}"
        for path in files
        for module in _writer_imports(path.read_text(encoding="utf-8"), _package(path))
    }
    assert not offending


@pytest.mark.parametrize(
    "source",
    [
        "from ..template.plan import workbook_plan",
        "from ..template import plan",
        "from zfxxgk.template.formulas import OK_TEXT",
        "import zfxxgk.template.writer",
        "def f():\n    from ..template.layout import with_agency",
    ],
)
def test_the_import_walk_catches_every_spelling_of_a_writer_import(source: str) -> None:
    assert _writer_imports(source, "zfxxgk.check")
    assert not _writer_imports("from ..spec import Spec\nfrom . import rules", "zfxxgk.check")


def test_meta_rows_are_what_the_reader_reads(spec21: Spec) -> None:
    agency = Agency(name="测试县测试局", code="X1")
    head, cell_map = read_meta(Package(build_template(spec21, 2025, agency)))
    written = dict(meta_rows(spec21, 2025, agency))
    assert head == written
    assert head[contract.KEY_SPEC_ID] == spec21.id and head[contract.KEY_YEAR] == "2025"
    plan = workbook_plan(spec21)
    assert set(cell_map) == set(spec21.cells)
    from xlsxwriter.utility import xl_rowcol_to_cell

    assert all(cell_map[c] == (s, xl_rowcol_to_cell(r, k)) for c, (s, r, k) in plan.positions.items())


def test_map_lines_parse_back_and_bad_lines_are_skipped() -> None:
    assert contract.is_map_header(map_header())
    assert not contract.is_map_header("cell_id")
    rows = (
        map_line("t3.new.natural", "三、依申请", "C5", "input", "count"),
        "broken",
        map_line("a.b.c", "s", "A1", "", ""),
    )
    assert parse_map(rows) == {"t3.new.natural": ("三、依申请", "C5"), "a.b.c": ("s", "A1")}


def test_defined_names() -> None:
    assert defined_name("t3.new.natural") == "ZF_T3_NEW_NATURAL"


def _form(*cells: tuple[str, int], const: int = 0) -> LinearForm:
    from decimal import Decimal

    return LinearForm(tuple((Term(c), k) for c, k in cells), Decimal(const))


def test_formula_text_of_a_total() -> None:
    at = {"a": ("S", 0, 1), "b": ("S", 1, 1), "c": ("S", 2, 1), "d": ("T x", 0, 0)}
    assert linear_formula(_form(("a", 1), ("b", 1), ("c", 1)), at.__getitem__, "S") == "SUM(B1:B3)"
    assert linear_formula(_form(("a", 1), ("d", -1)), at.__getitem__, "S") == "SUM(B1)-SUM('T x'!A1)"
    assert linear_formula(_form(("a", 2)), at.__getitem__, "S") == "SUM(B1,B1)"
    assert linear_formula(_form(("a", -1), const=3), at.__getitem__, "S") == "-SUM(B1)+3"
    assert linear_formula(_form(), at.__getitem__, "S") == "0"
    assert rectangles([("S", 0, 0), ("S", 0, 1), ("S", 1, 0), ("S", 1, 1)]) == [("S", 0, 0, 1, 1)]


def test_formula_texts_compare_without_dollars_spaces_case_prefixes_or_own_sheet() -> None:
    home = "三、依申请"
    assert norm_formula("=sum($B$1:B3) + _xlfn.SUM('三、依申请'!C1)", home) == "SUM(B1:B3)+SUM(C1)"
    assert norm_formula("=SUM('其他'!B1)", home) == "SUM('其他'!B1)"
    form = _form(("a", 1), ("b", 1))
    at = {"a": (home, 0, 1), "b": (home, 1, 1)}
    assert expected_formula(form, at.__getitem__, home) == norm_formula(
        linear_formula(form, at.__getitem__, home), home
    )


def test_totals_are_compared_with_the_files_own_map(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    """A template whose map says its cells are elsewhere is judged by that map, not by this version's plan."""
    path = make_template(spec21, year=2025)
    ret = read_workbook(Package(Path(path).read_bytes()))
    total = next(c for c in spec21.computed_order if ret.cells[c].formula)
    read = ret.cells[total]
    form = spec21.cells[total].formula
    assert form is not None
    term = form.terms[0][0].cell
    moved = ret.cells[term]._replace(a1="Z99")
    ret.cells[term] = moved
    ret.layout = None  # a cell moved by hand: no longer where the template's shared layout has it
    found, computed = total_findings(ret, spec21, {}, "zh")
    altered = [f for f in found if f.code == "formula-altered" and f.cell_id == total]
    assert altered and "Z99" in str(altered[0].expected) and read.a1 == altered[0].cell
    assert total not in computed
