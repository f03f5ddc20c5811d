"""The county's decisions carried into 汇总.xlsx: review columns on 报送情况, explanations on 问题清单."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from helpers import filled_template
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.county import compile_county
from zfxxgk.county.decisions import Decisions, Review, Verdict, read_decisions, write_decisions
from zfxxgk.messages import text
from zfxxgk.spec import load_spec

ROSTER = "单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n测试县财政局,C3\n"
WRONG_PROSE = {"text.overview_active.body": "本年度收到政府信息公开申请9999件。"}
STALE = "0123456789abcdef"  # a fingerprint no finding has any more


def returns(tmp: Path) -> tuple[Path, Path, str, str]:
    """(folder, roster, a warning's fingerprint of 测试局's return, the sha256 of 教育局's return)."""
    spec = load_spec("national-2021")
    folder = tmp / "returns"
    folder.mkdir()
    warned = folder / "测试县测试局.xlsx"
    filled_template(warned, spec, agency="测试县测试局", code="C1", extra=WRONG_PROSE)
    clean = folder / "测试县教育局.xlsx"
    filled_template(clean, spec, seed=1, agency="测试县教育局", code="C2")
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    result = check_file(warned, year=2025, spec="national-2021")
    warning = next(f for f in result.findings if f.severity == "warning")
    return folder, roster, warning.fingerprint, hashlib.sha256(clean.read_bytes()).hexdigest()


def decisions(fingerprint: str) -> Decisions:
    said = {fingerprint: Verdict("口径不同：含转办件", "accepted", "admin:clerk", "2026-01-20T10:00:00+00:00"),
            STALE: Verdict("上一版的说明", "rejected", "admin:clerk", "2026-01-19T10:00:00+00:00")}  # fmt: skip
    return Decisions({
        "测试县测试局": Review("accepted", "同意", "admin:clerk", "2026-01-20T10:05:00+00:00", "", said),
        "测试县教育局": Review("returned", "请补充说明", "admin:clerk", "2026-01-18T09:00:00+00:00", "f" * 64),
    })  # fmt: skip


def table(path: Path, sheet: str, head: str) -> tuple[list[Any], list[tuple[Any, ...]]]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == head)
    return list(rows[at]), rows[at + 1 :]


def test_reviews_and_explanations_reach_the_summary_workbook(tmp_path: Path) -> None:
    folder, roster, fingerprint, _ = returns(tmp_path)
    out = tmp_path / "out" / "汇总.xlsx"
    compile_county([folder], roster, 2025, out, jobs=1, decisions=decisions(fingerprint))

    head, rows = table(out, "报送情况", "序号")
    cols = {h: head.index(h) for h in head if h}
    review, comment, by = (cols[text(f"decisions.head-{k}")] for k in ("review", "comment", "by"))
    by_agency = {r[1]: r for r in rows}
    assert by_agency["测试县测试局"][review] == "已通过" and by_agency["测试县测试局"][comment] == "同意"
    assert by_agency["测试县测试局"][by] == "admin:clerk"
    # 教育局's return was sent back, but that decision was about another file: it does not apply to this one.
    assert by_agency["测试县教育局"][review] == "已报送待审" and not by_agency["测试县教育局"][comment]
    assert by_agency["测试县财政局"][review] is None  # nothing returned, nothing decided

    head, rows = table(out, "问题清单", "序号")
    fp, words, verdict = (head.index(h) for h in (text("county.head-fingerprint"), *(text(f"decisions.head-{k}")
                                                                                     for k in ("explanation", "verdict"))))  # fmt: skip
    explained = [r for r in rows if r[fp] == fingerprint]
    assert explained and all(r[words] == "口径不同：含转办件" and r[verdict] == "说明被接受" for r in explained)
    shown = [r[words] for r in rows if r[words]]
    assert "上一版的说明" not in shown  # its finding is gone: the explanation no longer applies
    assert all(r[words] is None for r in rows if r[fp] != fingerprint)


def test_without_decisions_the_sheets_keep_their_columns(tmp_path: Path) -> None:
    folder, roster, _, _ = returns(tmp_path)
    out = tmp_path / "汇总.xlsx"
    compile_county([folder], roster, 2025, out, jobs=1)
    head, _ = table(out, "报送情况", "序号")
    assert text("decisions.head-review") not in head
    head, _ = table(out, "问题清单", "序号")
    assert text("decisions.head-explanation") not in head


def test_compile_reads_a_decisions_file_and_refuses_a_wrong_one(tmp_path: Path) -> None:
    folder, roster, fingerprint, sha = returns(tmp_path)
    path = tmp_path / "decisions.json"
    said = decisions(fingerprint)
    write_decisions(Decisions({**said.agencies, "测试县教育局": Review("returned", "请补充", "admin:clerk", "", sha)}), path)
    assert read_decisions(path) == Decisions({**said.agencies, "测试县教育局": Review("returned", "请补充", "admin:clerk", "", sha)})
    out = tmp_path / "汇总.xlsx"
    args = ["compile", str(folder), "--roster", str(roster), "--year", "2025", "-o", str(out), "--jobs", "1"]
    done = CliRunner().invoke(main, [*args, "--decisions", str(path)])
    assert done.exit_code == 0, done.output
    head, rows = table(out, "报送情况", "序号")
    got = {r[1]: r[head.index(text("decisions.head-review"))] for r in rows}
    assert got["测试县教育局"] == "退回修改"  # about this very file: it applies

    path.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    done = CliRunner().invoke(main, [*args, "--decisions", str(path)])
    assert done.exit_code != 0 and "decisions.json" in done.output
