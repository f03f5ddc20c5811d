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


def with_agency(text: str, agency: str, lang: str = "zh") -> str:
    """A spec text with ``{agency}`` replaced by the agency's name (本单位 / this agency when unknown)."""
    return text.replace("{agency}", agency or message("common.this-agency", lang))


# --------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS_CN = {"十": 10, "百": 100, "千": 1000}
_MYRIAD = "万"
_MONEY = {"元": Decimal(1), "万元": Decimal(10000)}  # yuan units, by their worth in yuan
# A unit note ending a label key: "(单位:万元)", "(件)", "单位:元" (brackets and colons already folded).
_UNIT_NOTE = re.compile(
    r"(?:\((?:单位:?)?(人次|万元|元|件|个|项|条|次|起|宗|份)\)|\(?单位:?(人次|万元|元|件|个|项|条|次|起|宗|份)\)?)$"
)


def chinese_number(text: str) -> int | None:
    """'十二' -> 12, '一百零五' -> 105, '三万五千' -> 35000; None if not a plain Chinese numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS_CN and ch != _MYRIAD for ch in text):
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
    (also ``1，200``), a sign and decimals, Chinese numerals (``十二``); a word of ``zero_words``
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
    return Parsed(None, tuple(notes))


def _strip_unit(t: str, unit: str, units: Sequence[str], notes: list[Note]) -> tuple[str, Decimal]:
    body, u = _split_unit(t, units)
    if not u:
        return t, Decimal(1)
    if u != unit and u in _MONEY and unit in _MONEY:
        notes.append(Note("read.unit-converted", {"typed": u, "unit": unit}))
        return body, _MONEY[u] / _MONEY[unit]
    notes.append(Note("read.unit-removed", {"unit": u}))
    return body, Decimal(1)
