"""Prose that says nothing is not passed silently: the spec's substance rule for sections 五 and 六."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import filled_template
from spec_files import write_variant
from zfxxgk.check.file import check_file
from zfxxgk.check.narrative import substance_gaps
from zfxxgk.spec import Spec, SpecError, load_spec
from zfxxgk.spec.compiled import TEXT_SHEET

GOOD = "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。"  # 26 characters without punctuation
PROSE_CODES = {"section-placeholder", "section-unexplained", "section-too-short", "section-lacks-topic"}


def gap_codes(spec: Spec, section: str, text: str, numbers: dict[str, object] | None = None) -> list[str]:
    return [g.code for g in substance_gaps(spec.substance[section], text, numbers or {})]  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["无", "无。", " 暂无 ", "暂无问题。", "没有", "无明显问题！"])
def test_a_placeholder_in_section_five_is_flagged(spec21: Spec, text: str) -> None:
    assert gap_codes(spec21, "problems", text) == ["section-placeholder"]


def test_section_five_must_be_long_enough(spec21: Spec) -> None:
    policy = spec21.substance["problems"]
    assert policy.min_length == 20
    twenty = "公开内容不够全面，下一步将加强业务培训工作"  # 20 characters, a problem and a measure
    assert len(twenty.replace("，", "")) == 20
    assert gap_codes(spec21, "problems", twenty) == []
    nineteen = twenty[:-1]
    (gap,) = substance_gaps(policy, nineteen, {})
    assert gap.code == "section-too-short" and gap.actual == 19 and gap.expected == 20
    assert gap_codes(spec21, "problems", GOOD) == []
    assert gap_codes(spec21, "problems", "") == []  # empty is section-empty's business


def test_section_five_must_name_a_problem_and_a_measure(spec21: Spec) -> None:
    no_measure = "本年度政府信息公开工作存在的问题是公开内容不够全面，解读形式单一。"
    no_problem = "本年度将继续加强培训，完善制度，提升政府信息公开工作的质量和水平。"
    neither = "本年度政府信息公开工作总体平稳有序，各项工作按计划开展，取得了较好成效。"
    (gap,) = substance_gaps(spec21.substance["problems"], no_measure, {})
    assert gap.code == "section-lacks-topic" and len(gap.expected) == 1 and "加强" in gap.expected[0]  # type: ignore[arg-type]
    (gap,) = substance_gaps(spec21.substance["problems"], no_problem, {})
    assert "问题" in gap.expected[0]  # type: ignore[index]
    (gap,) = substance_gaps(spec21.substance["problems"], neither, {})
    assert len(gap.expected) == 2  # type: ignore[arg-type]
    assert gap_codes(spec21, "problems", "存在问题，将加强。") == ["section-too-short"]


def test_section_six_left_as_none_while_fees_were_collected(spec21: Spec) -> None:
    fee = "text.fee_collected.value"
    assert gap_codes(spec21, "other", "无", {fee: 200}) == ["section-unexplained"]
    assert gap_codes(spec21, "other", "暂无。", {fee: 1}) == ["section-unexplained"]
    assert gap_codes(spec21, "other", "无", {fee: 0}) == []  # the boundary: nothing collected
    assert gap_codes(spec21, "other", "无", {fee: None}) == []  # a blank fee cell is blank-cell's business
    assert gap_codes(spec21, "other", "本年度无其他需要报告的事项。", {fee: 200}) == []
    (gap,) = substance_gaps(spec21.substance["other"], "无", {fee: 200})
    assert gap.when == 200


def test_check_reports_prose_that_says_nothing_with_a_fix(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "r.xlsx"
    fees = {"text.fee_notices.value": 2, "text.fee_billed.value": 300, "text.fee_collected.value": 200}
    filled_template(path, spec21, extra={"text.problems.body": "暂无问题", "text.other.body": "无", **fees})
    found = {f.code: f for f in check_file(path, year=2025).findings if f.code in PROSE_CODES}
    assert set(found) == {"section-placeholder", "section-unexplained"}
    five, six = found["section-placeholder"], found["section-unexplained"]
    assert five.severity == six.severity == "warning" and five.sheet == six.sheet == TEXT_SHEET
    assert five.cell_id == "text.problems.body" and "暂无问题" in five.message and "改进措施" in five.fix
    assert "200" in six.message and "信息处理费" in six.fix
    en = {f.code: f for f in check_file(path, year=2025, lang="en").findings if f.code in PROSE_CODES}
    assert "200 yuan" in en["section-unexplained"].message and en["section-placeholder"].fix.startswith("State")
    clean = tmp_path / "clean.xlsx"
    filled_template(clean, spec21, extra={"text.other.body": "无", "text.fee_collected.value": 0})
    assert not PROSE_CODES & {f.code for f in check_file(clean, year=2025).findings}


def test_every_spec_with_fees_declares_the_rule(spec21: Spec, spec19: Spec) -> None:
    qinghe = load_spec("qinghe-2022")
    for spec in (spec21, qinghe):
        assert set(spec.substance) == {"problems", "other"}
        assert spec.substance["other"].when is not None
    assert set(spec19.substance) == {"problems"}  # no 信息处理费 before 2021: 六 may say 无


def test_the_substance_rule_is_validated_and_leaves_the_hash(tmp_path: Path, spec21: Spec) -> None:
    section = """
report:
  sections:
    - id: problems
      heading: 五、存在的主要问题及改进情况
      kind: prose
      required: true
      substance:
        {body}
"""
    ok = write_variant(tmp_path / "ok", section.format(body="placeholders: [无]\n        fix: {zh: 请写明}"))
    assert load_spec(str(ok)).substance["problems"].placeholders == frozenset({"无"})
    plain = write_variant(tmp_path / "plain", section.replace("      substance:\n        {body}\n", ""))
    assert load_spec(str(ok)).hash == load_spec(str(plain)).hash
    lonely = write_variant(
        tmp_path / "lonely", section.format(body="when: text.fee_collected.value > 0\n        fix: {zh: f}")
    )
    with pytest.raises(SpecError):
        load_spec(str(lonely))
    unknown = write_variant(
        tmp_path / "unknown",
        section.format(body="when: text.nobody.value > 0\n        reason: {zh: r}\n        fix: {zh: f}"),
    )
    with pytest.raises(SpecError) as info:
        load_spec(str(unknown))
    assert any("substance.when" in key for _, key, _ in info.value.problems)
