"""What a person typed -> a number or text of the cell's domain, with every coercion reported.

A blank is "not filled" (an error), never silently 0; a domain may declare ``blank_severity: warning``
to read it as 0 with a warning instead. Full-width digits, units ("12件"), "1,200", Chinese numerals
(read exactly; a malformed one is refused), numbers stored as text and the domain's words for "none"
("—", "/", "无") are read where the meaning is unambiguous (:func:`zfxxgk.normalize.parse_number`),
and each such reading is reported so the person can correct the cell. A float is taken as the
spreadsheet shows it (15 significant digits: 0.30000000000000004 is 0.3). Which units and which words
a domain accepts, and what a blank or a word for "none" is, is in the spec.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..messages import text as message
from ..normalize import Parsed, parse_number, shown_number
from ..spec import Domain

log = logging.getLogger(__name__)

Number = int | Decimal
Value = int | Decimal | str | None


@dataclass(frozen=True)
class Issue:
    """A problem with one value: a findings code and what fills its message."""

    code: str
    detail: str = ""
    expected: object = None
    detail_en: str = ""


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
        return (None, [Issue("blank-cell")]) if domain.blank_severity == "error" else (0, [Issue("blank-read-as-zero")])
    issues: list[Issue] = []
    if isinstance(raw, bool | dt.date | dt.datetime | dt.time | dt.timedelta):
        return None, [Issue("not-a-number")]
    if isinstance(raw, int | float | Decimal):
        try:
            number = shown_number(raw) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            return None, [Issue("not-a-number")]
        if not number.is_finite():
            return None, [Issue("not-a-number")]
    elif isinstance(raw, str):
        parsed = parse_number(raw, domain.unit, domain.units, domain.zero_words)
        if parsed.value is None or (parsed.zero_word and domain.zero_words_severity == "error"):
            return None, [Issue("numeral-malformed") if parsed.malformed else Issue("not-a-number")]
        number = parsed.value
        zh, en = _notes(parsed)
        issues.append(Issue("value-coerced", zh, plain_number(number), en))
    else:
        return None, [Issue("not-a-number")]
    return plain_number(number), issues + _domain_issues(number, domain)


def _notes(parsed: Parsed) -> tuple[str, str]:
    """The notes on how a number was read, in Chinese and in English."""
    zh, en = (
        message("common.clause-separator", lang).join(message(n.key, lang, **n.fields) for n in parsed.notes)
        for lang in ("zh", "en")
    )
    return zh, en


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
