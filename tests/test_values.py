"""Value coercion: what a person typed, what is read, and what is reported (a small table per case)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zfxxgk.normalize import chinese_number
from zfxxgk.read.values import coerce
from zfxxgk.spec import Spec

# raw value                    -> value read,       issue codes
COUNT_CASES = [
    (12, 12, []),
    (12.0, 12, []),
    (0, 0, []),
    (None, None, ["blank-cell"]),
    ("", None, ["blank-cell"]),
    ("   ", None, ["blank-cell"]),
    ("12", 12, ["value-coerced"]),
    ("１２", 12, ["value-coerced"]),
    ("12件", 12, ["value-coerced"]),
    (" 7 ", 7, ["value-coerced"]),
    ("1,200", 1200, ["value-coerced"]),
    ("-", 0, ["value-coerced"]),
    ("/", 0, ["value-coerced"]),
    ("—", 0, ["value-coerced"]),
    ("无", 0, ["value-coerced"]),
    ("十二", 12, ["value-coerced"]),
    (-3, -3, ["negative-value"]),
    ("-3", -3, ["value-coerced", "negative-value"]),
    (2.5, Decimal("2.5"), ["not-integer"]),
    ("约10件", None, ["not-a-number"]),
    ("10-12", None, ["not-a-number"]),
    ("abc", None, ["not-a-number"]),
    (True, None, ["not-a-number"]),
    (dt.date(2022, 1, 2), None, ["not-a-number"]),
]


@pytest.mark.parametrize(("raw", "value", "codes"), COUNT_CASES)
def test_count_cells(spec21: Spec, raw: object, value: object, codes: list[str]) -> None:
    got, issues = coerce(raw, spec21.domains["count"])
    assert got == value and [i.code for i in issues] == codes


AMOUNT_CASES = [
    (1.5, Decimal("1.5"), []),
    ("3.25万元", Decimal("3.25"), ["value-coerced"]),
    ("251000元", Decimal("25.1"), ["value-coerced"]),
    (1.234, Decimal("1.234"), ["too-many-decimals"]),
    (-0.5, Decimal("-0.5"), ["negative-value"]),
]


@pytest.mark.parametrize(("raw", "value", "codes"), AMOUNT_CASES)
def test_amount_cells_in_wan_yuan(spec21: Spec, raw: object, value: object, codes: list[str]) -> None:
    got, issues = coerce(raw, spec21.domains["amount_wan"])
    assert got == value and [i.code for i in issues] == codes


def test_coercions_say_what_was_done(spec21: Spec) -> None:
    _, (issue,) = coerce("251000元", spec21.domains["amount_wan"])
    assert "按元换算为万元" in issue.detail and issue.expected == Decimal("25.1")
    _, (issue,) = coerce("无", spec21.domains["count"])
    assert "视为没有" in issue.detail


def test_delta_may_be_negative_and_text_is_text(spec19: Spec) -> None:
    assert coerce(-4, spec19.domains["delta"]) == (-4, [])
    assert coerce(1.5, spec19.domains["delta"])[1][0].code == "not-integer"
    assert coerce(12, spec19.domains["text"]) == ("12", [])
    assert coerce("  ", spec19.domains["text"]) == (None, [])


def test_error_values_are_reported(spec21: Spec) -> None:
    value, issues = coerce("", spec21.domains["count"], error="#DIV/0!")
    assert value is None and [i.code for i in issues] == ["error-value"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("零", 0),
        ("一二", None),
        ("十二件", None),
        ("", None),
    ],
)
def test_chinese_numerals(text: str, number: int | None) -> None:
    assert chinese_number(text) == number


@given(st.integers(0, 10**9))
def test_any_count_typed_as_text_reads_back_exactly(spec21: Spec, n: int) -> None:
    for text in (str(n), f"{n:,}", f"{n}件", str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        got, issues = coerce(text, spec21.domains["count"])
        assert got == n and [i.code for i in issues] == ["value-coerced"]


@pytest.mark.parametrize(("raw", "value"), [("251,000元", Decimal("25.1")), ("1,200件", 1200)])
def test_separators_and_units_together(spec21: Spec, raw: str, value: object) -> None:
    domain = spec21.domains["amount_wan" if raw.endswith("元") else "count"]
    got, (issue,) = coerce(raw, domain)
    assert got == value and issue.code == "value-coerced"
