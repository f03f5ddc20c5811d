"""The one normalisation module: labels, agency names, cell text and numbers, and the spec's reading policy."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from zfxxgk.normalize import cell_text, chinese_number, label_key, name_key, parse_number, with_agency
from zfxxgk.read.values import coerce
from zfxxgk.read.workbook import base_specs
from zfxxgk.spec import Spec, load_spec


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("（一）行政许可", "(一)行政许可"),
        ("【一】 行政 许可", "(一)行政许可"),
        ("１、属于国家秘密", "1.属于国家秘密"),
        ("1 ) 属于国家秘密", "1.属于国家秘密"),
        ("“三类”：其他", '"三类":其他'),
        ("ABC", "abc"),
    ],
)
def test_label_key_folds_width_brackets_quotes_spaces_numbering_and_case(text: str, key: str) -> None:
    assert label_key(text) == key


def test_name_key_folds_width_and_spaces_only() -> None:
    assert name_key(" 示范县 教育局\u3000") == "示范县教育局"
    assert name_key("示范县ＡＢ局") == "示范县AB局"
    assert name_key("示范县（一）局") != name_key("示范县(二)局")
    assert name_key("Ab局") != name_key("ab局")  # case tells agencies apart


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (123.0, "123"), (1.5, "1.5"), ("\u3000 示范县 \u3000", "示范县"), (7, "7")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_with_agency() -> None:
    assert with_agency("{agency}的报告", "甲局") == "甲局的报告"
    assert with_agency("{agency}的报告", "") == "本单位的报告"
    assert with_agency("report of {agency}", "", "en") == "report of this agency"


UNITS = ("人次", "万元", "件", "次", "元")
ZERO = frozenset({"-", "无", "n/a"})


@pytest.mark.parametrize(
    ("text", "unit", "value", "keys"),
    [
        ("12", "件", Decimal(12), ["read.number-as-text"]),
        ("１２", "件", Decimal(12), ["read.full-width"]),
        ("12人次", "件", Decimal(12), ["read.unit-removed"]),
        ("1,200件", "件", Decimal(1200), ["read.unit-removed", "read.thousands"]),
        ("1，200", "件", Decimal(1200), ["read.full-width", "read.thousands"]),
        ("251000元", "万元", Decimal("25.1"), ["read.unit-converted"]),
        ("2.5万元", "元", Decimal(25000), ["read.unit-converted"]),
        ("十二", "件", Decimal(12), ["read.chinese-numeral"]),
        ("N/A", "件", Decimal(0), ["read.zero-word"]),
        ("约10件", "件", None, ["read.unit-removed"]),
        ("1,20", "件", None, []),
    ],
)
def test_parse_number(text: str, unit: str, value: Decimal | None, keys: list[str]) -> None:
    parsed = parse_number(text, unit, UNITS, ZERO)
    assert parsed.value == value and [n.key for n in parsed.notes] == keys


def test_without_units_or_zero_words_nothing_is_stripped_or_read_as_0() -> None:
    assert parse_number("12件").value is None
    assert parse_number("无").value is None
    assert parse_number("1,200").value == 1200  # a figure quoted in prose


def test_chinese_numerals_are_one_function() -> None:
    assert chinese_number("三万五千") == 35000 and chinese_number("十二件") is None


def test_the_national_formats_are_the_ones_hand_made_workbooks_are_matched_against() -> None:
    assert [s.id for s in base_specs()] == ["national-2021", "national-2019"]
    assert not load_spec("qinghe-2022").read_by_labels


def test_zero_words_and_units_come_from_the_domain(spec21: Spec) -> None:
    count = spec21.domains["count"]
    assert coerce("—", count)[0] == 0 and coerce("12件", count)[0] == 12
    strict = dataclasses.replace(count, zero_words_severity="error")
    value, issues = coerce("—", strict)
    assert value is None and [i.code for i in issues] == ["not-a-number"]
    no_units = dataclasses.replace(count, units=(), zero_words=frozenset())
    assert [i.code for i in coerce("12件", no_units)[1]] == ["not-a-number"]
    assert [i.code for i in coerce("无", no_units)[1]] == ["not-a-number"]


def test_the_coercion_notes_are_in_both_languages(spec21: Spec) -> None:
    _, (issue,) = coerce("251000元", spec21.domains["amount_wan"])
    assert issue.detail == "按元换算为万元" and issue.detail_en == "converted from 元 to 万元"
