"""The prose of the report: required sections, and numbers quoted in it that must agree with the tables."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal

from ..findings import Finding, make
from ..normalize import parse_number
from ..read.values import Value
from ..spec import Section, Spec
from ..spec.evaluate import CHECKER, linear_value

log = logging.getLogger(__name__)

Locator = Callable[[str], tuple[str, str] | None]


def section_text(section: Section, values: Mapping[str, Value]) -> str:
    """All the text of a section and its subsections (empty if nothing was written)."""
    parts = [values.get(s.body_cell) for s in section.walk() if s.kind == "prose"]
    return "\n".join(p for p in parts if isinstance(p, str) and p.strip())


def section_findings(spec: Spec, values: Mapping[str, Value], locate: Locator, lang: str = "zh") -> list[Finding]:
    """A finding for each required section left empty."""
    out = []
    for section in spec.sections:
        if section.kind != "prose" or not section.required or section_text(section, values):
            continue
        where = locate(section.body_cell) or ("", "")
        heading = _heading(section, lang)
        out.append(
            make(
                "section-empty",
                lang,
                detail=heading,
                sheet=where[0],
                cell=where[1],
                cell_id=section.body_cell,
                row_label=heading,
                cells=(f"{where[0]}!{where[1]}",) if where[0] else (),
            )
        )
    return out


def _heading(section: Section, lang: str) -> str:
    return section.heading_en if lang == "en" and section.heading_en else (section.heading or section.label)


def narrative_findings(spec: Spec, values: Mapping[str, Value], locate: Locator, lang: str = "zh") -> list[Finding]:
    """Numbers quoted in the prose ("收到申请17件") that no table value supports."""
    numbers = {k: v for k, v in values.items() if isinstance(v, int | Decimal)}
    out: list[Finding] = []
    for section in spec.all_sections():
        text = values.get(section.body_cell)
        if section.kind != "prose" or not isinstance(text, str):
            continue
        where = locate(section.body_cell) or ("", "")
        for item in spec.narrative:
            expected = [linear_value(e, numbers.get, CHECKER, blank_as_zero=False) for e in item.exprs]
            if any(e is None for e in expected) or not expected:
                continue  # the tables it refers to were not read
            seen: set[tuple[int, int]] = set()
            for pattern in item.patterns:
                for m in pattern.finditer(text):
                    if m.span("n") in seen:  # two patterns may quote the same number
                        continue
                    seen.add(m.span("n"))
                    n = parse_number(m.group("n")).value
                    if n is None or n in expected:
                        continue
                    out.append(
                        make(
                            "narrative-mismatch",
                            lang,
                            severity=item.severity,
                            rule=item.id,
                            detail=m.group(0),
                            actual=n,
                            expected=expected[0],
                            sheet=where[0],
                            cell=where[1],
                            cell_id=section.body_cell,
                            row_label=_heading(section, lang),
                            column_label=item.name_en if lang == "en" else item.name,
                            difference=n - (expected[0] or 0),
                            cells=(f"{where[0]}!{where[1]}",) if where[0] else (),
                        )
                    )
    return out
