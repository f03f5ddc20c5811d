"""The library API every front end uses: compile, publish, templates for a roster, checking many files, logs."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import zfxxgk
from helpers import DEMO, filled_template
from zfxxgk.check.batch import BatchError, check_files
from zfxxgk.cli import main
from zfxxgk.county import CompileError, checking, status_labels
from zfxxgk.county.checking import _outcomes, replay
from zfxxgk.libreoffice import convert
from zfxxgk.read.sources import Source
from zfxxgk.report.publish import PublishError, publish
from zfxxgk.spec import Spec, SpecError, load_spec
from zfxxgk.template.roster_batch import TemplateError, write_for_roster

RETURNS = DEMO / "returns"


def sheet(path: Path, name: str, data_only: bool = False) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path, data_only=data_only)[name].iter_rows(values_only=True))


def test_compile_writes_everything_reports_what_it_did_and_closes_its_store(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int | None]] = []
    out = tmp_path / "out" / "汇总.xlsx"
    result = zfxxgk.compile_county(
        [RETURNS], DEMO / "roster.csv", 2025, out, report=tmp_path / "r.md", csv=tmp_path / "l.csv", jobs=1,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )  # fmt: skip
    assert result.written == [out, tmp_path / "r.md", tmp_path / "l.csv"] and all(p.exists() for p in result.written)
    assert result.log_path == out.with_suffix(".log") and "compile" in result.log_path.read_text(encoding="utf-8")
    # The tally is what 报送情况 lists, status by status.
    rows = sheet(out, "报送情况")
    listed = [r[3] for r in rows[rows.index(next(r for r in rows if r[0] == "序号")) + 1 :]]
    labels = status_labels("zh")
    assert {labels[k]: n for k, n in result.tally.items()} == {s: listed.count(s) for s in set(listed)}
    assert result.sources == 15 and result.tally["missing"] == 1
    assert [s for s, _, _ in seen] == ["check"] * 15 + ["write"] and seen[14][1:] == (15, 15)
    with pytest.raises(sqlite3.ProgrammingError):
        result.county.store.values(0)


def test_compile_refuses_bad_names_before_writing(tmp_path: Path) -> None:
    roster = DEMO / "roster.csv"
    with pytest.raises(CompileError, match=r"\.xlsx"):
        zfxxgk.compile_county([RETURNS], roster, 2025, tmp_path / "out.csv")
    with pytest.raises(CompileError, match="nope"):
        zfxxgk.compile_county([tmp_path / "nope"], roster, 2025, tmp_path / "o.xlsx", lang="en")
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_failure_is_logged_with_its_traceback_and_listed_as_read_failed(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process (--jobs 1): the checker raising on one file stands for a bug no rule foresaw."""
    (tmp_path / "in").mkdir()
    filled_template(tmp_path / "in" / "a.xlsx", spec21, agency="甲局")
    filled_template(tmp_path / "in" / "b.xlsx", spec21, agency="乙局", seed=1)
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    real = checking.check_file

    def crashing(name: str, **kw: Any) -> Any:
        if name.endswith("b.xlsx"):
            raise RuntimeError("boom inside the checker")
        return real(name, **kw)

    monkeypatch.setattr(checking, "check_file", crashing)
    out = tmp_path / "汇总.xlsx"
    args = ["-v", "compile", str(tmp_path / "in"), "--roster", str(roster), "--year", "2025", "-o", str(out)]
    res = CliRunner().invoke(main, [*args, "--jobs", "1"])
    assert res.exit_code == 0, res.output
    codes = {(r[2].rsplit("/", 1)[-1], r[5]) for r in sheet(out, "问题清单")[1:]}
    assert ("b.xlsx", "read-failed") in codes and not any(f == "a.xlsx" for f, _ in codes)
    log = out.with_suffix(".log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "RuntimeError: boom inside the checker" in log
    assert "RuntimeError: boom inside the checker" in res.stderr  # --verbose: the same record on stderr
    CliRunner().invoke(main, [*args, "--jobs", "1"])  # a second run appends to the log
    assert out.with_suffix(".log").read_text(encoding="utf-8").count("boom inside the checker") == 2 * log.count(
        "boom inside the checker"
    )


def test_a_workers_log_records_reach_this_process(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A file that vanished after it was listed: the worker logs why with a traceback; the parent gets it."""
    caplog.set_level(logging.DEBUG, logger="zfxxgk")
    tasks = [(Source(f"gone{n}.xlsx", str(tmp_path / f"gone{n}.xlsx")), n, 2025, None, "zh") for n in range(2)]
    outcomes = list(_outcomes(tasks, 2))
    assert all(o.log for o in outcomes) and [o.findings[0].code for o in outcomes] == ["file-unreadable"] * 2
    for o in outcomes:
        replay(o)
        assert o.log == []
    records = [r for r in caplog.records if r.getMessage().startswith("cannot read gone")]
    assert len(records) == 2 and all(r.process != os.getpid() for r in records)
    assert all(r.exc_text and "FileNotFoundError" in r.exc_text for r in records)


def test_english_compile_writes_an_english_workbook_and_county_report(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    zfxxgk.compile_county([RETURNS], DEMO / "roster.csv", 2025, out, report=tmp_path / "r.md", jobs=1, lang="en")
    assert openpyxl.load_workbook(out).sheetnames == ["Returns", "Findings", "Summary", "Detail", "Charts"]
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Of the 15 agencies on the roster, 14 returned a report and 11 passed the checks" in report
    assert "requests for government information were received" in report and "[Please write" in report
    assert "【" not in report and "花名册" not in report
    statuses = {r[3] for r in sheet(out, "Returns")[4:]}
    assert {"passed", "duplicate", "not returned", "unreadable"} <= statuses


@pytest.mark.libreoffice
def test_the_english_summary_formulas_recalculate_to_their_stored_results(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    zfxxgk.compile_county([RETURNS], DEMO / "roster.csv", 2025, out, jobs=1, lang="en")
    (recalculated,) = convert([out], "xlsx", tmp_path / "lo")
    ours, theirs = sheet(out, "Summary", data_only=True), sheet(recalculated, "Summary", data_only=True)
    pairs = [(a, b) for ra, rb in zip(ours, theirs, strict=True) for a, b in zip(ra, rb, strict=False)]
    numbers = [(a, b) for a, b in pairs if isinstance(a, int | float)]
    assert len(numbers) > 200 and all(a == b for a, b in numbers) and any(a for a, _ in numbers)


def test_publish_refuses_errors_and_hand_made_workbooks_unless_forced(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    shutil.copy(RETURNS / "示范县财政局_2025年度政府信息公开年报.xlsx", bad)
    with pytest.raises(PublishError) as info:
        publish(bad, tmp_path / "bad.md", year=2025)
    assert info.value.reason == "errors" and not info.value.usage and not (tmp_path / "bad.md").exists()
    done = publish(bad, tmp_path / "bad.md", year=2025, force=True)
    assert done.draft and done.written == [tmp_path / "bad.md"]
    hand = tmp_path / "hand.xlsx"
    shutil.copy(RETURNS / "城关镇2025年政务公开年报（自制表）.xlsx", hand)
    with pytest.raises(PublishError) as info:
        publish(hand, tmp_path / "hand.html", year=2025)
    assert info.value.reason == "hand-made"
    good = tmp_path / "good.xlsx"
    shutil.copy(RETURNS / "示范县教育局_2025年度政府信息公开年报.xlsx", good)  # 合格
    done = publish(good, year=2025)  # no output named: a DOCX beside the workbook
    assert done.written == [tmp_path / "good.docx"] and not done.draft and (tmp_path / "good.docx").exists()
    for source, wrong, reason in ((good, tmp_path / "x.pdf", "format"), (good.with_suffix(".md"),) * 2 + ("overwrite",)):
        with pytest.raises(PublishError) as info:
            publish(source, wrong)
        assert info.value.reason == reason and info.value.usage


def test_templates_for_a_roster_and_their_list(tmp_path: Path, spec21: Spec) -> None:
    batch = write_for_roster(DEMO / "roster.csv", tmp_path / "t", spec21, 2025)
    assert len(batch.files) == len(batch.agencies) == 15 and all(p.exists() for p in batch.files.values())
    assert batch.listing == tmp_path / "t" / "模板清单.csv"
    lines = batch.listing.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 16 and lines[0] == "序号,单位名称,单位编码,联系人,联系电话,文件名"
    with pytest.raises(TemplateError, match="15"):
        write_for_roster(DEMO / "roster.csv", tmp_path / "t", spec21, 2025)
    with pytest.raises(TemplateError, match="2019"):
        write_for_roster(DEMO / "roster.csv", tmp_path / "u", spec21, 2019)


def test_checking_many_files_names_their_annotated_copies_apart(tmp_path: Path, spec21: Spec) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        filled_template(tmp_path / folder / "same.xlsx", spec21, agency="甲局")
    files = [tmp_path / "a" / "same.xlsx", tmp_path / "b" / "same.xlsx"]
    batch = check_files(files, year=2025, annotate_to=tmp_path / "marked")
    assert batch.annotated == [tmp_path / "marked" / "same_校验.xlsx", tmp_path / "marked" / "same_校验_2.xlsx"]
    assert batch.exit_code == 0 and all(p.exists() for p in batch.annotated)
    with pytest.raises(BatchError):
        check_files(files, annotate_to=tmp_path / "one.xlsx")


@pytest.mark.parametrize(
    ("county", "key", "words"),
    [
        ("overview: [{zh: '共{t9.x.nope}件'}]", "county.overview[0].zh", "未知的数值单元格 t9.x.nope"),
        ("overview: [{zh: '共{suits}件'}]", "county.overview[0].zh", "{suits}"),
        (
            "charts: [{id: c, kind: groups, table: t9, set: none, column: a, title: {zh: 图}, heading: {zh: 图},"
            " category: {zh: 类}, value: {zh: 数}}]",
            "county.charts[c].set",
            "没有集合 none",
        ),
        (
            "charts: [{id: r, kind: ranking, cell: t8.x.a, title: {zh: 图}, heading: {zh: 图}, category: {zh: 类},"
            " value: {zh: 数}}]",
            "county.charts[r].cell",
            "t8.x.a",
        ),
        ("overview: [{zh: 好, colour: red}]", "county.overview[0].colour", "不认识的键"),
    ],
)
def test_a_bad_county_entry_names_the_file_and_the_key(tmp_path: Path, county: str, key: str, words: str) -> None:
    from test_spec_errors import MINIMAL

    path = tmp_path / "mini.yaml"
    path.write_text(textwrap.dedent(MINIMAL.format(id="mini")) + f"county:\n  {county}\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(str(path))
    assert any(p[0] == str(path.resolve()) and p[1] == key and words in p[2] for p in info.value.problems), (
        info.value.problems
    )


def test_the_readmes_python_api_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (DEMO.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(DEMO.parent.parent)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("errors ") and printed[1].startswith("errors ")
    assert printed[2].endswith("True") and "'missing': 1" in printed[3] and "汇总.log" in printed[3]
    assert printed[4] == "15 93.3"  # the demo county rolled up: 15 on the roster, 14 returned
