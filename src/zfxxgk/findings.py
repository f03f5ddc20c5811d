"""The findings catalogue, and the flat :class:`Finding` record every check produces.

Codes in lower case (``blank-cell``) are built-in checks, kept as data in ``messages/findings.yaml``
and read through :mod:`zfxxgk.messages`; codes in upper case (``S1``, ``N1``) are rules and narrative
checks defined by the form spec, whose messages live in the spec. Each message says what is wrong;
each ``fix`` says how to put it right.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from . import messages
from .messages import LANGS

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_KEYS = {"error": "common.severity-error", "warning": "common.severity-warning", "info": "common.severity-info"}
JsonNumber = int | float | str | None
COLUMNS = (
    "common.column-severity",
    "common.column-code",
    "common.column-sheet",
    "common.column-cell",
    "common.column-row",
    "common.column-column",
    "common.column-problem",
    "common.column-fix",
    "common.column-expected",
    "common.column-actual",
    "common.column-difference",
    "common.column-rule",
)
_AREA = "findings."


@dataclass(frozen=True)
class Entry:
    """One built-in check of the catalogue (``messages/findings.yaml``): its severity, message and fix."""

    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str


def _entries() -> dict[str, Entry]:
    """The findings area of the message catalogue, keyed by code."""
    return {
        key.removeprefix(_AREA): Entry(e["severity"], e["zh"], e["en"], e["fix"]["zh"], e["fix"]["en"])
        for key, e in messages.catalogue().items()
        if key.startswith(_AREA)
    }


CATALOGUE: Mapping[str, Entry] = MappingProxyType(_entries())
SEVERITY_LABEL = {lang: {s: messages.text(key, lang) for s, key in SEVERITY_KEYS.items()} for lang in LANGS}
COLUMN_HEADS = {lang: [messages.text(key, lang) for key in COLUMNS] for lang in LANGS}


@dataclass(frozen=True)
class Finding:
    """One problem found, as a flat record (easy to assert on, to print and to put in a spreadsheet)."""

    code: str
    severity: Severity
    message: str
    fix: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    cell_id: str = ""
    row_label: str = ""
    column_label: str = ""
    rule: str = ""
    expected: JsonNumber = None
    actual: JsonNumber = None
    difference: JsonNumber = None
    cells: tuple[str, ...] = field(default=())  # every "sheet!A1" involved, for highlighting
    fingerprint: str = ""

    def located(self, file: str) -> Finding:
        """This finding for a given file, with its stable fingerprint."""
        return replace(self, file=file, fingerprint=_fingerprint(self.code, self.rule, file, self.sheet, self.cell, self.cell_id))

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cells"] = list(self.cells)
        return d

    def columns(self, lang: str = "zh") -> list[object]:
        """The finding as a row of a findings sheet (headings: :data:`COLUMN_HEADS`)."""
        return [
            SEVERITY_LABEL[lang][self.severity],
            self.code,
            self.sheet,
            self.cell,
            self.row_label,
            self.column_label,
            self.message,
            self.fix,
            self.expected,
            self.actual,
            self.difference,
            self.rule,
        ]

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet


def _fingerprint(code: str, rule: str, file: str, sheet: str, cell: str, cell_id: str) -> str:
    """Stable across runs and values: what kind of problem, and where (the file by its name)."""
    key = "|".join((code, rule, file.rsplit("/", 1)[-1], sheet, cell, cell_id))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def plain(value: object) -> JsonNumber:
    """A number as JSON shows it: Decimal 12 -> 12, Decimal 1.50 -> 1.5; text stays text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return str(value)


def show(value: object, lang: str = "zh") -> str:
    """A value as a message quotes it ("空白"/"blank" for nothing)."""
    p = plain(value)
    return messages.text("common.blank-value", lang) if p is None else str(p)


def make(code: str, lang: str = "zh", severity: Severity | None = None, **fields: Any) -> Finding:
    """A finding of a catalogue code; ``fields`` fill the message templates and the record.

    A field ``x_en`` is the English of field ``x``: in English it fills ``{x}``, so both languages of an
    entry have the same placeholders.
    """
    entry = CATALOGUE[code]  # KeyError: not a built-in check
    values = {k: show(v, lang) if k in ("expected", "actual", "difference") else v for k, v in fields.items()}
    if lang == "en":
        values |= {k.removesuffix("_en"): v for k, v in values.items() if k.endswith("_en")}
    template_args = {"detail": "", "sheet": "", "expected": "", "actual": "", "year": "", **values}
    record_fields = {k: v for k, v in fields.items() if k in Finding.__dataclass_fields__}
    for k in ("expected", "actual", "difference"):
        if k in record_fields:
            record_fields[k] = plain(record_fields[k])
    return Finding(
        code=code,
        severity=severity or entry.severity,
        message=messages.fill(entry.en if lang == "en" else entry.zh, **template_args),
        fix=messages.fill(entry.fix_en if lang == "en" else entry.fix_zh, **template_args),
        **record_fields,
    )


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] += 1
    return out


_A1 = re.compile(r"([A-Z]+)(\d+)")


def sort_key(f: Finding) -> tuple[int, str, str, int, str]:
    m = _A1.match(f.cell or "")
    row = int(m.group(2)) if m else 0
    return (SEVERITY_ORDER[f.severity], f.file, f.sheet, row, f.cell)
