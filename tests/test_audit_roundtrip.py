"""Round trip: every report ``zfxxgk report`` writes audits back to the workbook's figures and identity findings."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import filled_template
from zfxxgk.audit import audit_file
from zfxxgk.check import check_file
from zfxxgk.libreoffice import soffice
from zfxxgk.report.publish import publish
from zfxxgk.spec import Spec, available_specs, load_spec

SPECS = [load_spec(s) for s in sorted(available_specs())]
YEAR = {"national-2019": 2020}


def _identities(findings: list[Any]) -> set[tuple[str, str, object, object]]:
    """The spec's rule findings (codes in capitals), by rule instance and values."""
    return {(f.code, f.rule, f.expected, f.actual) for f in findings if f.code.isupper()}


def _round_trip(spec: Spec, seed: int, edit: tuple[int, int] | None, suffix: str, pdf: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "return.xlsx"
        extra: dict[str, Any] = {}
        if edit is not None:  # an invalid fill: one input cell off by some amount
            inputs = [
                c
                for c in spec.input_cells
                if c.table in {t.id for t in spec.grid_tables} and c.domain.kind == "integer"
            ]
            cell = inputs[edit[0] % len(inputs)]
            extra = {cell.id: edit[1]}
        values = filled_template(workbook, spec, year=YEAR.get(spec.id, 2025), seed=seed, extra=extra)
        out = Path(tmp) / f"report{suffix}"
        done = publish(workbook, out, force=True, pdf=pdf, spec=spec.id)
        target = next(p for p in done.written if p.suffix == (".pdf" if pdf else suffix))
        audited = audit_file(target, spec=spec.id)
        checked = check_file(workbook, spec=spec.id)
        tables = {t.id for t in spec.grid_tables}
        assert audited.spec is not None and audited.spec.id == spec.id
        assert audited.values == {k: v for k, v in checked.values.items() if k.split(".")[0] in tables}
        assert _identities(audited.findings) == _identities(checked.findings)
        if edit is None:  # a valid fill: the figures are the ones filled in, totals included
            assert audited.values == {k: v for k, v in values.items() if k.split(".")[0] in tables}


@pytest.mark.parametrize("suffix", [".html", ".md", ".docx"])
@pytest.mark.parametrize("spec_id", [s.id for s in SPECS])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), edit=st.none() | st.tuples(st.integers(0, 500), st.integers(0, 300)))
def test_report_audits_back(spec_id: str, suffix: str, seed: int, edit: tuple[int, int] | None) -> None:
    _round_trip(load_spec(spec_id), seed, edit, suffix)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("spec_id", [s.id for s in SPECS])
@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), edit=st.none() | st.tuples(st.integers(0, 500), st.integers(0, 300)))
@example(seed=11, edit=(3, 250))  # national-2019: table 三 runs across a page break, its header repeated
def test_pdf_report_audits_back(spec_id: str, seed: int, edit: tuple[int, int] | None) -> None:
    """PDFs are slow to make (LibreOffice): a random fill and a fixed invalid one per spec."""
    _round_trip(load_spec(spec_id), seed, edit, ".docx", pdf=True)
