"""Year and agency are known, not assumed: the year a return states, and last year's return paired by agency."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from handmade import handmade
from helpers import codes, consistent_values, filled_template
from zfxxgk.check.batch import check_files
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.county.checking import check_source
from zfxxgk.read.sources import Source
from zfxxgk.spec import Spec

YEAR_CODES = {"year-unread", "year-mismatch", "year-unknown"}
CROSS_YEAR = ("P1", "P2", "P3")


def year_codes(path: Path, year: int | None) -> list[str]:
    return sorted(f.code for f in check_file(path, year=year).findings if f.code in YEAR_CODES)


def test_a_return_without_a_year_is_an_error_when_a_year_is_expected(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=3)
    bare, titled = tmp_path / "bare.xlsx", tmp_path / "titled.xlsx"
    handmade(bare, spec21, values)
    handmade(titled, spec21, values, title="示范县甲局2025年政府信息公开工作年度报告")
    result = check_file(bare, year=2025)
    (f,) = [f for f in result.findings if f.code == "year-unread"]
    assert f.severity == "error" and "2025" in f.message and result.status == "errors"
    assert year_codes(bare, None) == ["year-unknown"]  # nothing expected: a warning only
    assert year_codes(titled, 2025) == []
    assert year_codes(titled, 2024) == ["year-mismatch"]
    assert year_codes(titled, None) == []


def test_compile_never_takes_an_unread_year_for_its_own(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "bare.xlsx"
    handmade(path, spec21, consistent_values(spec21, seed=4))
    outcome = check_source((Source(str(path), str(path)), 0, 2025, None, "zh"))
    assert outcome.year is None and "year-unread" in {f.code for f in outcome.findings} and outcome.errors >= 1
    good = tmp_path / "good.xlsx"
    filled_template(good, spec21, year=2025)
    outcome = check_source((Source(str(good), str(good)), 1, 2025, None, "zh"))
    assert outcome.year == 2025 and not YEAR_CODES & {f.code for f in outcome.findings}


def _cross(path: Path, year: int = 2025, **kw: object) -> tuple[set[str], list[str]]:
    result = check_file(path, year=year, **kw)  # type: ignore[arg-type]
    rules = {f.rule for f in result.findings if f.code in CROSS_YEAR}
    return rules, [c for c in codes(result) if c.startswith("previous-")]


def test_previous_of_another_agency_or_year_is_not_compared(tmp_path: Path, spec21: Spec) -> None:
    this = tmp_path / "2025.xlsx"
    filled_template(this, spec21, year=2025, seed=22, agency="甲局", code="A")
    own, other, older = tmp_path / "own.xlsx", tmp_path / "other.xlsx", tmp_path / "older.xlsx"
    filled_template(own, spec21, year=2024, seed=21, agency="甲局", code="A")
    filled_template(other, spec21, year=2024, seed=21, agency="乙局", code="B")
    filled_template(older, spec21, year=2023, seed=21, agency="甲局", code="A")
    rules, found = _cross(this, previous=own)
    assert rules and found == []
    assert _cross(this, previous=other) == (set(), ["previous-agency-mismatch"])
    assert _cross(this, previous=older) == (set(), ["previous-year-mismatch"])
    (f,) = [f for f in check_file(this, year=2025, previous=older).findings if f.code == "previous-year-mismatch"]
    assert f.actual == 2023 and f.expected == 2024 and f.severity == "warning"


def test_a_renamed_agency_is_paired_by_its_code(tmp_path: Path, spec21: Spec) -> None:
    this, last = tmp_path / "2025.xlsx", tmp_path / "2024.xlsx"
    filled_template(this, spec21, year=2025, seed=22, agency="示范县自然资源和规划局", code="A")
    filled_template(last, spec21, year=2024, seed=21, agency="示范县国土资源局", code="A")
    rules, found = _cross(this, previous=last)
    assert rules and found == []


def _carry_differs(current: dict[str, object], last: dict[str, object], spec: Spec) -> set[tuple[str, object]]:
    """The P1 findings (rule, last year's figure) a pairing of ``current`` with ``last`` gives."""
    return {
        (f"P1[c={c}]", last[f"t3.forward.{c}"])
        for c in spec.tables["t3"].columns
        if current[f"t3.carried.{c}"] != last[f"t3.forward.{c}"]
    }


def test_each_return_is_paired_with_its_own_previous_return(tmp_path: Path, spec21: Spec) -> None:
    prev = tmp_path / "上年"
    prev.mkdir()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    va = filled_template(a, spec21, year=2025, seed=31, agency="甲局", code="A")
    vb = filled_template(b, spec21, year=2025, seed=32, agency="乙局", code="B")
    pa = filled_template(prev / "甲.xlsx", spec21, year=2024, seed=33, agency="甲局", code="A")
    pb = filled_template(prev / "乙.xlsx", spec21, year=2024, seed=34, agency="乙局", code="B")
    assert _carry_differs(va, pa, spec21) != _carry_differs(va, pb, spec21)  # a wrong pairing would show
    batch = check_files([a, b], year=2025, previous=prev)
    by_file = {Path(r.path).name: {(f.rule, f.expected) for f in r.findings if f.code == "P1"} for r in batch.results}
    assert by_file == {"a.xlsx": _carry_differs(va, pa, spec21), "b.xlsx": _carry_differs(vb, pb, spec21)}
    assert not any(f.code.startswith("previous-") for r in batch.results for f in r.findings)


def test_several_returns_and_previous_files_that_do_not_pair(tmp_path: Path, spec21: Spec) -> None:
    prev = tmp_path / "上年"
    prev.mkdir()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    filled_template(a, spec21, year=2025, seed=31, agency="甲局", code="A")
    filled_template(b, spec21, year=2025, seed=32, agency="乙局", code="B")
    filled_template(prev / "甲1.xlsx", spec21, year=2024, seed=33, agency="甲局", code="A")
    filled_template(prev / "甲2.xlsx", spec21, year=2024, seed=35, agency="甲局", code="A")
    (prev / "notes.txt").write_text("上年说明", encoding="utf-8")
    batch = check_files([a, b], year=2025, previous=prev)
    found = {Path(r.path).name: sorted(c for c in codes(r) if c.startswith("previous-")) for r in batch.results}
    assert found == {"a.xlsx": ["previous-ambiguous"], "b.xlsx": ["previous-not-found"]}
    assert not any(f.code in CROSS_YEAR for r in batch.results for f in r.findings)
    empty = tmp_path / "空"
    empty.mkdir()
    assert _cross(a, previous=empty) == (set(), ["previous-not-found"])


def test_several_previous_files_are_paired_when_one_has_the_year_before(tmp_path: Path, spec21: Spec) -> None:
    this, last, older = tmp_path / "2025.xlsx", tmp_path / "2024.xlsx", tmp_path / "2023.xlsx"
    filled_template(this, spec21, year=2025, seed=22, agency="甲局", code="A")
    filled_template(last, spec21, year=2024, seed=21, agency="甲局", code="A")
    filled_template(older, spec21, year=2023, seed=20, agency="甲局", code="A")
    rules, found = _cross(this, previous=[older, last])
    assert rules == _cross(this, previous=last)[0] and found == []


def test_a_previous_return_that_names_no_agency_is_used_with_a_note(tmp_path: Path, spec21: Spec) -> None:
    this, last = tmp_path / "2025.xlsx", tmp_path / "2024.xlsx"
    filled_template(this, spec21, year=2025, seed=22)
    handmade(last, spec21, consistent_values(spec21, seed=21), title="2024年度政府信息公开工作年度报告")
    result = check_file(this, year=2025, previous=last)
    (note,) = [f for f in result.findings if f.code == "previous-agency-unverified"]
    assert note.severity == "info" and any(f.code == "P1" for f in result.findings)


def test_check_pairs_several_files_with_a_previous_folder_on_the_command_line(tmp_path: Path, spec21: Spec) -> None:
    prev = tmp_path / "上年"
    prev.mkdir()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    filled_template(a, spec21, year=2025, seed=31, agency="甲局", code="A")
    filled_template(b, spec21, year=2025, seed=32, agency="乙局", code="B")
    filled_template(prev / "甲.xlsx", spec21, year=2024, seed=33, agency="甲局", code="A")
    other = tmp_path / "乙上年.xlsx"
    filled_template(other, spec21, year=2023, seed=34, agency="乙局", code="B")
    args = ["check", str(a), str(b), "--year", "2025", "--previous", str(prev), "--previous", str(other), "--json"]
    out = CliRunner().invoke(main, args, env={"ZFXXGK_LANG": "zh"})
    doc = json.loads(out.stdout)
    found = {
        Path(f["file"]).name: sorted(x["code"] for x in f["findings"] if x["code"].startswith("previous-"))
        for f in doc["files"]
    }
    assert found == {"a.xlsx": [], "b.xlsx": ["previous-year-mismatch"]}
