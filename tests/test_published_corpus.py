"""The real corpus: every published report in ``shared/published/`` audited against what a person read in it.

The expected figures and findings are in ``published_expected.py``, written from the published files by
hand (not from the tool's output). For each file the audit must give the agency and year of the title,
every figure that can be read with certainty, None with a ``blank-cell`` finding for every cell printed
blank, no value and an ``extraction-ambiguous`` finding for every cell of a row whose digits split in more
than one way, every published error as a finding, and no failing identity (S1, I1, I2, I4) that the
published figures do not show.

``shared/`` is found beside the clone (``<clone>/../shared``), else where ``ZFXXGK_SHARED`` points.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from published_expected import BY_FILE, EXPECTED, IDENTITY_CODES, T3_COLUMNS, T4_COLUMNS, Expected


def _shared() -> Path:
    beside = Path(__file__).resolve().parents[2] / "shared"
    if (beside / "published").is_dir():
        return beside
    return Path(os.environ.get("ZFXXGK_SHARED", str(beside)))


SHARED = _shared()
PUBLISHED = SHARED / "published"

OUTCOMES_2021 = (
    "open",
    "partial",
    "deny_secret",
    "deny_law",
    "deny_safety",
    "deny_third_party",
    "deny_internal",
    "deny_process",
    "deny_case_file",
    "deny_query",
    "unable_no_info",
    "unable_create",
    "unable_unclear",
    "reject_petition",
    "reject_repeat",
    "reject_publication",
    "reject_mass",
    "reject_confirm",
    "other_no_fix",
    "other_no_fee",
    "other_misc",
)
OUTCOMES_2019 = (*OUTCOMES_2021[:-3], "other")


def _corpus_present() -> None:
    assert PUBLISHED.is_dir(), (
        f"published corpus not found at {PUBLISHED}: put shared/ beside the clone or set ZFXXGK_SHARED"
    )


@cache
def _audit(file: str) -> Any:
    from zfxxgk.audit import audit_file

    _corpus_present()
    return audit_file(PUBLISHED / file)


def _row(cell_id: str) -> str:
    """The row of a cell id: t3.new.natural -> t3.new."""
    return cell_id.rsplit(".", 1)[0]


def _identity_findings(result: Any) -> list[Any]:
    """Failing identities: S1/I1/I2/I4 at error severity (an unverifiable instance is not a failure)."""
    return [f for f in result.findings if f.code in IDENTITY_CODES and f.severity == "error"]


CASES = [pytest.param(e, id=e.file) for e in EXPECTED]


# ---- the records themselves ---------------------------------------------------------------------------


def test_every_published_file_has_a_record() -> None:
    _corpus_present()
    with (PUBLISHED / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        manifest = {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}
    on_disk = {p.name for p in PUBLISHED.iterdir() if p.suffix in {".pdf", ".txt", ".html", ".docx", ".doc"}}
    assert set(manifest) == on_disk
    assert set(BY_FILE) == set(manifest)
    for file, row in manifest.items():
        assert BY_FILE[file].year == int(row["year"]), file


@pytest.mark.parametrize("rec", CASES)
def test_record_arithmetic_matches_its_rules(rec: Expected) -> None:
    """The hand-read figures fail exactly the identities the record expects (unverifiable ones skipped)."""
    cells = set(rec.figures) | rec.blanks | rec.ambiguous
    outcomes = OUTCOMES_2019 if "t3.other.natural" in cells else OUTCOMES_2021
    rows = ("new", "carried", *outcomes, "total", "forward")
    v = rec.figures

    def known(*ids: str) -> bool:
        return all(i in v for i in ids)

    failing: set[str] = set()
    for c in T3_COLUMNS:
        s1 = (f"t3.new.{c}", f"t3.carried.{c}", f"t3.total.{c}", f"t3.forward.{c}")
        if known(*s1) and v[s1[0]] + v[s1[1]] != v[s1[2]] + v[s1[3]]:
            failing.add(f"S1[c={c}]")
        i2 = [f"t3.{r}.{c}" for r in outcomes]
        if known(f"t3.total.{c}", *i2) and v[f"t3.total.{c}"] != sum(v[i] for i in i2):
            failing.add(f"I2[c={c}]")
    for r in rows:
        i1 = [f"t3.{r}.{c}" for c in T3_COLUMNS[:-1]]
        if known(f"t3.{r}.total", *i1) and v[f"t3.{r}.total"] != sum(v[i] for i in i1):
            failing.add(f"I1[r={r}]")
    for g in ("review", "direct", "after"):
        parts = [f"t4.cases.{g}_{k}" for k in ("upheld", "corrected", "other", "pending")]
        if known(f"t4.cases.{g}_total", *parts) and v[f"t4.cases.{g}_total"] != sum(v[p] for p in parts):
            failing.add(f"I4[g={g}]")
    assert failing == set(rec.rules)
    assert {r.split("[")[0] for r in rec.rules} == rec.findings & IDENTITY_CODES
    assert not (set(rec.figures) & (rec.blanks | rec.ambiguous))
    assert all(c.rsplit(".", 1)[1] in T4_COLUMNS for c in cells if c.startswith("t4."))
    assert bool(rec.blanks) == ("blank-cell" in rec.findings)
    assert bool(rec.ambiguous) == ("extraction-ambiguous" in rec.findings)
    assert bool(rec.narrative) == ("narrative-mismatch" in rec.findings)


# ---- the audit against the records ---------------------------------------------------------------------


@pytest.mark.parametrize("rec", CASES)
def test_agency_and_year(rec: Expected) -> None:
    result = _audit(rec.file)
    assert (result.agency, result.year) == (rec.agency, rec.year)


@pytest.mark.parametrize("rec", [c for c in CASES if "format-mixed" not in c.values[0].findings])  # mixed: by findings
def test_format(rec: Expected) -> None:
    assert _audit(rec.file).spec.id == f"national-{rec.layout}"


@pytest.mark.parametrize("rec", CASES)
def test_figures(rec: Expected) -> None:
    values = _audit(rec.file).values
    wrong = {c: (values.get(c, "<missing>"), want) for c, want in rec.figures.items() if values.get(c) != want}
    assert not wrong, f"{len(wrong)} of {len(rec.figures)} figures differ (got, published): {wrong}"


@pytest.mark.parametrize("rec", CASES)
def test_blank_cells(rec: Expected) -> None:
    result = _audit(rec.file)
    flagged = {f.cell_id for f in result.findings if f.code == "blank-cell"}
    not_none = {
        c: result.values.get(c, "<missing>")
        for c in rec.blanks
        if c not in result.values or result.values[c] is not None
    }
    assert not not_none, f"blank cells not read as None: {not_none}"
    assert rec.blanks <= flagged, f"blank cells without a blank-cell finding: {sorted(rec.blanks - flagged)}"
    tables = {c for c in flagged if c.startswith(("t3.", "t4."))}
    assert tables <= rec.blanks, f"blank-cell findings on cells printed with a figure: {sorted(tables - rec.blanks)}"


@pytest.mark.parametrize("rec", CASES)
def test_ambiguous_cells(rec: Expected) -> None:
    result = _audit(rec.file)
    read = sorted(c for c in rec.ambiguous if c in result.values)
    assert not read, f"cells of rows that split in more than one way were given values: {read}"
    flagged = [f.cell_id for f in result.findings if f.code == "extraction-ambiguous"]
    flagged_rows = {_row(c) for c in flagged if c}
    missing = sorted(c for c in rec.ambiguous if c not in flagged and _row(c) not in flagged_rows)
    assert not missing, f"ambiguous cells without an extraction-ambiguous finding on them or their row: {missing}"


@pytest.mark.parametrize("rec", CASES)
def test_published_errors_reported(rec: Expected) -> None:
    codes = {f.code for f in _audit(rec.file).findings}
    assert rec.findings <= codes, f"not reported: {sorted(rec.findings - codes)}"


@pytest.mark.parametrize("rec", CASES)
def test_identities_exactly_as_published(rec: Expected) -> None:
    found = _identity_findings(_audit(rec.file))
    assert {f.code for f in found} == rec.findings & IDENTITY_CODES
    assert {f.rule for f in found} == set(rec.rules)


@pytest.mark.parametrize("rec", CASES)
def test_narrative_contradictions(rec: Expected) -> None:
    found = {f.rule for f in _audit(rec.file).findings if f.code == "narrative-mismatch"}
    assert rec.narrative <= found, f"prose contradicting the tables not reported: {sorted(rec.narrative - found)}"
