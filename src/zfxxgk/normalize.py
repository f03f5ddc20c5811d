"""Normalisation of what people type: labels, agency names, cell text and numbers, one function each.

Every comparison of a label or a name and every reading of a number written as text goes through
this module, so that the template reader, the label matcher, the roster, the county matcher and the
narrative check fold text the same way.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .messages import text as message

log = logging.getLogger(__name__)

_BRACKETS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "，": ",",
        "：": ":",
        "；": ";",
        "．": ".",
        "。": ".",
    }
)
_NUMBERING = re.compile(r"^(\d+)\s*[.、,)]\s*")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A table label as compared.

    Folds: NFKC (full-width letters, digits and punctuation to half-width), every bracket style to
    ``()`` and every quote style to ``"``/``'``, Chinese punctuation ``，：；．。`` to ASCII, all
    whitespace removed, item numbering ``1、``/``1)``/``1 .`` as ``1.``, letters lower-cased.
    """
    t = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    t = _SPACE.sub("", t)
    return _NUMBERING.sub(r"\1.", t).lower()


def name_key(name: str) -> str:
    """An agency name as compared.

    Folds: NFKC (full-width letters and digits to half-width) and all whitespace removed. Brackets,
    case and numbering are kept: they tell agencies apart.
    """
    return "".join(unicodedata.normalize("NFKC", name).split())


def cell_text(value: object) -> str:
    """A cell's content as text a list (a roster) means it.

    Folds: None to ``""``, a float that is a whole number (``123.0``) to its integer, NFC, surrounding
    ASCII and ideographic (U+3000) spaces removed. Inner text and width are kept.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip().strip("\u3000").strip()


def prose_key(text: str) -> str:
    """Prose as compared and counted: NFKC, without whitespace, punctuation or symbols ("暂无。" -> "暂无")."""
    t = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in t if unicodedata.category(ch)[0] not in "PSZC")


def prose_unwrapped(text: str) -> str:
    """Prose with the line breaks and spaces a PDF text layer puts inside phrases taken out ("受理政府\n信息公开申请 17 件"
    -> "受理政府信息公开申请17件"); a run of spaces between two digits stays one space, so figures do not merge."""

    def gap(m: re.Match[str]) -> str:
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        return " " if before.isdigit() and after.isdigit() else ""

    return _GAP.sub(gap, text)


def with_agency(text: str, agency: str, lang: str = "zh") -> str:
    """A spec text with ``{agency}`` replaced by the agency's name (本单位 / this agency when unknown)."""
    return text.replace("{agency}", agency or message("common.this-agency", lang))


# --------------------------------------------------------------------------- numbers

_GAP = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS_CN = {"十": 1, "百": 2, "千": 3}  # units within a section, by their power of ten
_MYRIAD = {"万": 4, "亿": 8}  # section units, by their power of ten
_FORMAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩", "一二二三三四五六六七八九十百千万亿两")
_ZERO = "零〇"
_TWO = "两"
_TEN = "十"
_MONEY = {"元": Decimal(1), "万元": Decimal(10000)}  # yuan units, by their worth in yuan
_SHOWN_DIGITS = 15  # significant digits a spreadsheet shows of a float


def shown_number(value: float) -> Decimal:
    """A float as a spreadsheet shows it (15 significant digits): 0.30000000000000004 -> 0.3, 12.000000000000002 -> 12."""
    return Decimal(f"{value:.{_SHOWN_DIGITS}g}")


def is_chinese_numeral(text: str) -> bool:
    """Whether ``text`` is made of Chinese numeral characters only (well formed or not)."""
    t = text.translate(_FORMAL)
    return bool(t) and all(ch in _DIGITS or ch in _UNITS_CN or ch in _MYRIAD for ch in t)
# A unit note ending a label key: "(单位:万元)", "(件)", "单位:元" (brackets and colons already folded).
_UNIT_NOTE = re.compile(
    r"(?:\((?:单位:?)?(人次|万元|元|件|个|项|条|次|起|宗|份)\)|\(?单位:?(人次|万元|元|件|个|项|条|次|起|宗|份)\)?)$"
)


def chinese_number(text: str) -> int | None:
    """A Chinese numeral read exactly, or None when it is not one or is malformed.

    '十五' -> 15, '一千零五' -> 1005, '两千零二十' -> 2020, '三万五千' -> 35000, and the colloquial
    abbreviation of a last digit one place below the unit before it: '三千五' -> 3500, '一万二' -> 12000.
    Malformed numerals are refused, never guessed: '十十', '万', '一二三', '五百五百', '一千五十' (a
    skipped place needs its 零), '两十'. Formal digits (壹贰叁 … 拾佰仟) read as the plain ones.
    """
    if not is_chinese_numeral(text):
        return None
    t = text.translate(_FORMAL)
    if t in _ZERO:
        return 0
    terms = _numeral_terms(t)
    return None if terms is None else sum(d * 10**p for d, p in terms)


def _numeral_terms(t: str) -> list[tuple[int, int]] | None:
    """(digit, power of ten) of each term, highest first; None when the numeral is malformed."""
    sections: list[tuple[str, int]] = []  # (text, the power of its section unit)
    start, last_unit = 0, 99
    for i, ch in enumerate(t):
        if ch in _MYRIAD:
            if i == start or _MYRIAD[ch] >= last_unit:  # '万', '亿万', '一万二万'
                return None
            sections.append((t[start:i], _MYRIAD[ch]))
            start, last_unit = i + 1, _MYRIAD[ch]
    sections.append((t[start:], 0))
    terms: list[tuple[int, int]] = []
    for n, (chars, power) in enumerate(sections):
        last = n == len(sections) - 1
        if not (chars == "" and last) and not _section_terms(chars, power, terms, n == 0, last):
            return None
    return terms


def _section_terms(chars: str, power: int, terms: list[tuple[int, int]], first: bool, last: bool) -> bool:
    """Add the terms of one section (below a 万 or 亿, or the last) to ``terms``; False when malformed."""
    zero, digit, two, own = False, None, False, 0  # a 零 pending, a digit pending, it was 两, terms here
    for k, ch in enumerate(chars):
        if ch in _ZERO:
            if zero or digit is not None or not terms:  # '零零', '五零', a leading 零
                return False
            zero = True
        elif ch in _DIGITS:
            if digit is not None:  # '一二'
                return False
            digit, two = _DIGITS[ch], ch == _TWO
        else:
            if digit is None and not (ch == _TEN and first and k == 0):  # only a leading 十 means 一十
                return False
            if (two and ch == _TEN) or not _add_term(terms, 1 if digit is None else digit, _UNITS_CN[ch] + power, zero):
                return False  # '两十', places not falling, a 零 missing or misplaced
            zero, digit, two, own = False, None, False, own + 1
    if digit is None:
        return not zero  # a dangling 零 ('一百零')
    # After a 零, or alone: the place of its section ('一千零五', '一万', '五'); right after a unit, the
    # abbreviation, one place below it (三千五 = 3500, 一万二 = 12000; 十五 = 15 too).
    place = power if zero or not (own or (last and terms)) else terms[-1][1] - 1
    if two and last and not (first and place == 0):  # 两 is 2 before a unit, or alone: not '一百两'
        return False
    return place >= power and _add_term(terms, digit, place, zero)


def _add_term(terms: list[tuple[int, int]], digit: int, place: int, zero: bool) -> bool:
    """Append a term: places fall, and a 零 stands exactly where the numeral skips a place.

    Within a section any skipped place needs its 零 (一千零五); across a 万 or 亿 the places left empty at
    the end of the higher section do not (一百三十万一千), but a lower section not starting at its 千
    does (一万零五百), and so does a whole section left empty (一亿零一千).
    """
    if digit == 0:
        return False
    if terms:
        high = terms[-1][1]
        same_section = high // 4 == place // 4
        needs_zero = high - place >= 2 if same_section else (place % 4 != 3 or high // 4 - place // 4 >= 2)
        if high <= place or needs_zero != zero:
            return False
    elif zero:
        return False
    terms.append((digit, place))
    return True


@dataclass(frozen=True)
class Note:
    """How a number was read: a ``read.*`` message key and what fills it."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    """A number read from text (None when it is not one) and the notes on how it was read."""

    value: Decimal | None
    notes: tuple[Note, ...] = ()
    zero_word: bool = False  # read as 0 because it is a word for "none" ("—", "无")
    malformed: bool = False  # written in Chinese numerals, but not a well-formed numeral ("十十")


def unit_note(key: str) -> tuple[str, str]:
    """A label key (:func:`label_key`) split into its text and the unit its note states.

    ``"金额(单位:元)"`` -> ``("金额", "元")``; ``"单位:万元"`` -> ``("", "万元")``; no note -> ``(key, "")``.
    """
    m = _UNIT_NOTE.search(key)
    if not m:
        return key, ""
    return key[: m.start()].rstrip(",;:"), m.group(1) or m.group(2)


def unit_factor(typed: str, unit: str) -> Decimal | None:
    """What a figure in unit ``typed`` is multiplied by to be in ``unit`` (元 -> 万元: 0.0001), None if unconvertible."""
    if typed == unit:
        return Decimal(1)
    if typed in _MONEY and unit in _MONEY:
        return _MONEY[typed] / _MONEY[unit]
    return None


def typed_unit(text: str, units: Sequence[str]) -> str:
    """The unit a number typed as text ends with ("32500元", "3.25（万元）" -> the unit), or ""."""
    return _split_unit(unicodedata.normalize("NFKC", text).strip(), units)[1]


def _split_unit(t: str, units: Sequence[str]) -> tuple[str, str]:
    """A number's text and the unit after it, plain ("12件") or as a note ("3.25（单位：万元）")."""
    base, noted = unit_note(label_key(t))
    if noted in units and base:
        return base, noted
    for u in sorted(units, key=len, reverse=True):  # 人次 before 次, 万元 before 元
        if t.endswith(u) and len(t) > len(u):
            return t[: -len(u)].strip(), u
    return t, ""


def parse_number(text: str, unit: str = "", units: Sequence[str] = (), zero_words: Collection[str] = ()) -> Parsed:
    """A number written as text, and how it was read.

    Folds: NFKC (full-width digits), surrounding spaces, one trailing unit of ``units`` (a yuan amount
    converted between 元 and 万元 when ``unit`` is the other one), thousands separators ``1,200``
    (also ``1，200``), a sign and decimals, Chinese numerals read exactly (``十二``, ``三千五``; a
    malformed one is not a number and says so: ``malformed``); a word of ``zero_words``
    (compared lower-cased) is 0. Anything else is not a number.
    """
    notes: list[Note] = []
    t = unicodedata.normalize("NFKC", text).strip()
    if t != text.strip():
        notes.append(Note("read.full-width"))
    if t.lower() in zero_words:
        return Parsed(Decimal(0), (Note("read.zero-word", {"text": text.strip()}),), zero_word=True)
    t, factor = _strip_unit(t, unit, units, notes)
    if _THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
        notes.append(Note("read.thousands"))
    if _NUMBER.fullmatch(t):
        return Parsed(Decimal(t) * factor, tuple(notes or [Note("read.number-as-text")]))
    cn = chinese_number(t)
    if cn is not None:
        return Parsed(Decimal(cn) * factor, (*notes, Note("read.chinese-numeral")))
    return Parsed(None, tuple(notes), malformed=is_chinese_numeral(t))


def _strip_unit(t: str, unit: str, units: Sequence[str], notes: list[Note]) -> tuple[str, Decimal]:
    body, u = _split_unit(t, units)
    if not u:
        return t, Decimal(1)
    if u != unit and u in _MONEY and unit in _MONEY:
        notes.append(Note("read.unit-converted", {"typed": u, "unit": unit}))
        return body, _MONEY[u] / _MONEY[unit]
    notes.append(Note("read.unit-removed", {"unit": u}))
    return body, Decimal(1)
