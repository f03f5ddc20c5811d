"""Templates filled and saved by LibreOffice headless (as a real application would) read back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import PROSE, consistent_values, fill_with_openpyxl, inputs_only
from zfxxgk.check.file import check_file
from zfxxgk.libreoffice import convert
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec
from zfxxgk.template.writer import build_template

pytestmark = pytest.mark.libreoffice


def test_libreoffice_saved_returns_pass_and_read_back_exactly(tmp_path: Path, spec21: Spec, spec19: Spec) -> None:
    cases = []
    for n, (spec, year) in enumerate([(spec21, 2025), (spec21, 2024), (spec19, 2020)]):
        blank = tmp_path / f"blank{n}.xlsx"
        blank.write_bytes(build_template(spec, year, Agency(name=f"单位{n}")))
        values = consistent_values(spec, seed=n)
        prose = (
            {**PROSE, "text.problems.body": "第一段：公开内容不够全面。\n第二段：下一步将加强培训，提升公开质量。"}
            if "text.problems.body" in spec.cells
            else {}
        )
        typed = tmp_path / f"typed{n}.xlsx"
        fill_with_openpyxl(blank, {**inputs_only(spec, values), **prose}, typed)
        cases.append((spec, year, values, prose, typed))
    saved = convert([c[4] for c in cases], "xlsx", tmp_path / "saved")
    for (_spec, year, values, prose, _), path in zip(cases, saved, strict=True):
        result = check_file(path, year=year)
        assert [f.code for f in result.findings] == [], (path, [(f.code, f.message) for f in result.findings])
        assert result.application.startswith("LibreOffice")
        for cell_id, value in {**values, **prose}.items():
            assert result.values[cell_id] == value, cell_id


def test_a_return_typed_over_in_libreoffice_keeps_its_findings(tmp_path: Path, spec21: Spec) -> None:
    blank = tmp_path / "b.xlsx"
    blank.write_bytes(build_template(spec21, 2025, Agency(name="甲")))
    values = consistent_values(spec21, seed=5)
    fill = {**inputs_only(spec21, values), **PROSE, "t3.new.natural": "12件", "t3.open.legal": None}
    typed = tmp_path / "typed.xlsx"
    fill_with_openpyxl(blank, fill, typed)
    (saved,) = convert([typed], "xlsx", tmp_path / "saved")
    found = {(f.code, f.cell_id) for f in check_file(saved, year=2025).findings}
    assert ("value-coerced", "t3.new.natural") in found and ("blank-cell", "t3.open.legal") in found
    assert not any(code in ("stale-result", "formula-altered", "formula-replaced") for code, _ in found)
