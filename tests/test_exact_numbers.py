"""Numbers are exact or refused: Chinese numerals, spreadsheet floats, blanks and words for "none" by the spec."""

from __future__ import annotations

import dataclasses
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import filled_template, set_cells, where
from zfxxgk.check import check_file
from zfxxgk.normalize import chinese_number, parse_number, shown_number
from zfxxgk.read.values import coerce
from zfxxgk.spec import Spec, load_spec

DIGITS = "零一二三四五六七八九"


def _section(n: int, leading: bool) -> str:
    """0 < n < 10000 in canonical Chinese numerals (leading: the numeral's first section, so 一十 is 十)."""
    out, zero = "", False
    for place, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        d = n // 10**place % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        out += ("零" if zero else "") + DIGITS[d] + unit
        zero = False
    return out[1:] if leading and out.startswith("一十") else out


def canonical(n: int) -> str:
    """The reference formatter: n (0 <= n < 10**12) as it is written in full, 零 where places are skipped."""
    if n == 0:
        return "零"
    out, gap = "", False
    for group, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if group == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _section(group, leading=not out) + unit
        gap = False
    return out


def colloquial(text: str) -> str:
    """两 for 二 where people write it: before 千, 百, 万 and 亿 at the start of a term."""
    out = []
    for i, ch in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        before = text[i - 1] if i else ""
        out.append("两" if ch == "二" and after in "千百万亿" and after and before not in "十" else ch)
    return "".join(out)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("三千五", 3500),
        ("一万二", 12000),
        ("两万三", 23000),
        ("一千零五", 1005),
        ("两千零二十", 2020),
        ("十五", 15),
        ("二十", 20),
        ("三百五", 350),
        ("五万三千二", 53200),
        ("三千五万", 35_000_000),
        ("一亿二", 120_000_000),
        ("十万零五百", 100_500),
        ("一亿零五万", 100_050_000),
        ("两", 2),
        ("〇", 0),
        ("壹仟伍佰", 1500),
    ],
)
def test_chinese_numerals_are_read_exactly(text: str, number: int) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "十十",
        "万",
        "一二三",
        "五百五百",
        "二〇二五",
        "一千五十",
        "一千零五百",
        "一百零",
        "零五",
        "两十",
        "一百两",
        "一亿二万",
        "万万",
        "一零零",
    ],
)
def test_malformed_chinese_numerals_are_refused(text: str) -> None:
    assert chinese_number(text) is None


@given(st.integers(0, 10**8))
def test_every_canonical_numeral_reads_back(n: int) -> None:
    assert chinese_number(canonical(n)) == n
    assert chinese_number(colloquial(canonical(n))) == n


@given(st.integers(0, 10**12 - 1))
def test_canonical_numerals_of_large_numbers_read_back(n: int) -> None:
    assert chinese_number(canonical(n)) == n


@given(
    st.integers(1, 9), st.integers(1, 9), st.sampled_from([(2, "百"), (3, "千"), (4, "万"), (8, "亿")]), st.booleans()
)
def test_abbreviations_read_one_place_below_their_unit(d1: int, d2: int, place: tuple[int, str], two: bool) -> None:
    power, unit = place
    head = "两" if two and d1 == 2 else DIGITS[d1]
    assert chinese_number(f"{head}{unit}{DIGITS[d2]}") == d1 * 10**power + d2 * 10 ** (power - 1)


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9))
def test_an_abbreviation_after_a_myriad_and_a_thousand(hi: int, d1: int, d2: int) -> None:
    assert chinese_number(f"{DIGITS[hi]}万{DIGITS[d1]}千{DIGITS[d2]}") == hi * 10000 + d1 * 1000 + d2 * 100


def test_a_malformed_numeral_in_a_cell_is_an_error_never_a_guess(spec21: Spec) -> None:
    count = spec21.domains["count"]
    assert parse_number("十十", "件", count.units).malformed
    for text in ("十十", "五百五百件", "一千五十"):
        value, issues = coerce(text, count)
        assert value is None and [i.code for i in issues] == ["numeral-malformed"]
    value, issues = coerce("约十件", count)  # not a numeral at all
    assert value is None and [i.code for i in issues] == ["not-a-number"]
    value, issues = coerce("三千五", count)
    assert value == 3500 and [i.code for i in issues] == ["value-coerced"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (0.1 + 0.2, Decimal("0.3")),
        (12.000000000000002, Decimal(12)),
        (1 / 3, Decimal("0.333333333333333")),
        (1e16, Decimal("1E+16")),
    ],
)
def test_floats_are_read_as_the_spreadsheet_shows_them(raw: float, shown: Decimal) -> None:
    assert shown_number(raw) == shown


def test_float_artefacts_are_not_reported_as_decimals(spec21: Spec) -> None:
    assert coerce(0.1 + 0.2, spec21.domains["amount_wan"]) == (Decimal("0.3"), [])
    assert coerce(12.000000000000002, spec21.domains["count"]) == (12, [])
    _, issues = coerce(12.5, spec21.domains["count"])  # a real fraction still is one
    assert [i.code for i in issues] == ["not-integer"]
    _, issues = coerce(1.234, spec21.domains["amount_wan"])
    assert [i.code for i in issues] == ["too-many-decimals"]


def test_blanks_follow_the_spec_policy(spec21: Spec) -> None:
    count = spec21.domains["count"]
    assert count.blank_severity == "error"  # declared in the spec file
    assert coerce(None, count)[0] is None and [i.code for i in coerce(None, count)[1]] == ["blank-cell"]
    assert [i.code for i in coerce("  ", count)[1]] == ["blank-cell"]
    lenient = dataclasses.replace(count, blank_severity="warning")
    value, issues = coerce(None, lenient)
    assert value == 0 and [i.code for i in issues] == ["blank-read-as-zero"]


def test_the_policy_of_blanks_and_words_for_none_is_declared_in_every_spec_file() -> None:
    root = Path(__file__).resolve().parent.parent / "workbook_templates"
    for path in sorted(root.glob("*.yaml")):
        spec = load_spec(path.stem)
        for domain in spec.domains.values():
            if domain.numeric:
                assert domain.blank_severity in ("error", "warning") and domain.zero_words, (path.stem, domain.id)
    text = (root / "national-2021.yaml").read_text(encoding="utf-8")
    assert text.count("blank_severity: error") == 3  # every numeric domain says it, not just the default


def test_a_lenient_blank_policy_is_read_from_the_spec_and_leaves_the_hash(tmp_path: Path, spec21: Spec) -> None:
    domain = """
        domains:
          count:
            kind: integer
            min: 0
            unit: 件
            {extra}
            prompt: {{zh: 请填写整数}}
            error: {{zh: 只能填写整数}}
    """
    paths = []
    for name, extra in (("strict", ""), ("lenient", "blank_severity: warning")):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "variant.yaml"
        path.write_text(
            "id: variant\nextends: national-2021\n" + textwrap.dedent(domain.format(extra=extra)), encoding="utf-8"
        )
        paths.append(path)
    strict, lenient = (load_spec(str(p)) for p in paths)
    assert strict.domains["count"].blank_severity == "error" and lenient.domains["count"].blank_severity == "warning"
    assert strict.hash == lenient.hash  # a checking policy the template does not carry
    value, issues = coerce(None, lenient.domains["count"])
    assert value == 0 and [i.code for i in issues] == ["blank-read-as-zero"]


def test_a_malformed_numeral_in_a_return_is_an_error_at_its_cell(tmp_path: Path, spec21: Spec) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    filled_template(good, spec21)
    set_cells(good, bad, {where(spec21, "t3.open.natural"): "五百五百"})
    found = [f for f in check_file(bad, year=2025).findings if f.code == "numeral-malformed"]
    assert [(f.cell_id, f.severity, f.actual) for f in found] == [("t3.open.natural", "error", "五百五百")]


def test_a_lenient_blank_policy_reads_a_blank_return_cell_as_zero_and_says_so(tmp_path: Path) -> None:
    variant = tmp_path / "lenient.yaml"
    variant.write_text(
        "id: lenient\nextends: national-2021\ndomains:\n  count:\n    kind: integer\n    min: 0\n    unit: 件\n"
        "    blank_severity: warning\n    prompt: {zh: 请填写整数}\n    error: {zh: 只能填写整数}\n",
        encoding="utf-8",
    )
    spec = load_spec(str(variant))
    good, blank = tmp_path / "good.xlsx", tmp_path / "blank.xlsx"
    filled_template(good, spec)
    set_cells(good, blank, {where(spec, "t4.cases.review_upheld"): None})
    result = check_file(blank, year=2025, spec=str(variant))
    found = [f for f in result.findings if f.cell_id == "t4.cases.review_upheld"]
    assert [(f.code, f.severity) for f in found] == [("blank-read-as-zero", "warning")]
    assert result.values["t4.cases.review_upheld"] == 0
