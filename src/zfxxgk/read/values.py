"""What a person typed -> a number or text of the cell's domain, with every coercion reported.

A blank is "not filled", never 0. Full-width digits, "12件", "1,200", "-", "/", "—", "无", Chinese
numerals and numbers stored as text are read where the meaning is unambiguous, and each such
reading is reported so the person can correct the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..spec import Domain

Number = int | Decimal
Value = int | Decimal | str | None

ZERO_WORDS = {"-", "--", "—", "——", "–", "/", "\\", "无", "没有", "暂无", "零", "nil", "none", "n/a", "空"}
UNITS = ("人次", "万元", "件", "个", "项", "条", "次", "起", "宗", "份", "元")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS_CN = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class Issue:
    """A problem with one value: a findings code and what fills its message."""

    code: str
    detail: str = ""
    expected: object = None
    detail_en: str = ""


def chinese_number(text: str) -> int | None:
    """'十二' -> 12, '一百零五' -> 105, '三万五千' -> 35000; None if not a plain Chinese numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS_CN and ch != "万" for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in "零〇" and digit is None:
            continue  # a place holder, as in 一百零五
        if ch in _DIGITS:
            if digit is not None:  # two digits in a row ("一二") is not a numeral
                return None
            digit = _DIGITS[ch]
        elif ch in _UNITS_CN:
            section += (1 if digit is None else digit) * _UNITS_CN[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


Note = tuple[str, str]  # (Chinese, English)


def parse_number(text: str, unit: str = "") -> tuple[Decimal | None, list[Note]]:
    """A number in free text and the notes on how it was read (empty when the text was plain)."""
    notes: list[Note] = []
    t = unicodedata.normalize("NFKC", text).strip()
    if t != text.strip():
        notes.append(("全角字符", "full-width characters"))
    if t.lower() in ZERO_WORDS:
        return Decimal(0), [(f"“{text.strip()}”视为没有", f"“{text.strip()}” taken to mean none")]
    factor = Decimal(1)
    for u in UNITS:
        if t.endswith(u) and len(t) > len(u):
            t = t[: -len(u)].strip()
            if u == "元" and unit == "万元":
                factor = Decimal("0.0001")
                notes.append(("按元换算为万元", "converted from yuan"))
            elif u == "万元" and unit == "元":
                factor = Decimal(10000)
                notes.append(("按万元换算为元", "converted to yuan"))
            else:
                notes.append((f"去掉单位“{u}”", f"unit “{u}” removed"))
            break
    if _THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
        notes.append(("去掉千位分隔符", "thousands separator removed"))
    if _NUMBER.fullmatch(t):
        if not notes:
            notes.append(("数字以文本形式存储", "number stored as text"))
        return Decimal(t) * factor, notes
    cn = chinese_number(t)
    if cn is not None:
        return Decimal(cn) * factor, [*notes, ("中文数字", "Chinese numeral")]
    return None, notes


def plain_number(value: Decimal) -> Number:
    """12.0 -> 12; 1.50 stays Decimal('1.50') normalised to 1.5."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def coerce(raw: object, domain: Domain, error: str | None = None) -> tuple[Value, list[Issue]]:
    """The domain value of what a cell holds, and the issues found on the way (blank -> None)."""
    if error:
        return None, [Issue("error-value")]
    if domain.kind == "text":
        text = _as_text(raw)
        if not text.strip():
            return None, []
        if domain.max_length and len(text) > domain.max_length:
            return text, [Issue("text-too-long", str(domain.max_length))]
        return text, []
    if type(raw) is float and raw.is_integer() and domain.kind == "integer" and raw >= 0 and domain.min == 0:
        return int(raw), []  # the common case, taken quickly: a whole number read from a count cell
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, [Issue("blank-cell")]
    issues: list[Issue] = []
    if isinstance(raw, bool | dt.date | dt.datetime | dt.time | dt.timedelta):
        return None, [Issue("not-a-number")]
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            return None, [Issue("not-a-number")]
        if not number.is_finite():
            return None, [Issue("not-a-number")]
    elif isinstance(raw, str):
        parsed, notes = parse_number(raw, domain.unit)
        if parsed is None:
            return None, [Issue("not-a-number")]
        number = parsed
        issues.append(
            Issue(
                "value-coerced",
                "；".join(zh for zh, _ in notes),
                plain_number(number),
                "; ".join(en for _, en in notes),
            )
        )
    else:
        return None, [Issue("not-a-number")]
    return plain_number(number), issues + _domain_issues(number, domain)


def _domain_issues(number: Decimal, domain: Domain) -> list[Issue]:
    issues = []
    if domain.min is not None and number < domain.min:
        issues.append(Issue("negative-value"))
    if domain.kind == "integer" and number != number.to_integral_value():
        issues.append(Issue("not-integer"))
    elif domain.kind == "decimal" and domain.decimals is not None:
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > domain.decimals:
            issues.append(Issue("too-many-decimals", str(domain.decimals)))
    return issues


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)
