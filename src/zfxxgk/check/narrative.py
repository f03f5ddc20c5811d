"""The prose of the report: required sections, what a section must say, and numbers quoted in it.

:func:`substance_gaps` is the spec's rule of what a section must say (``substance:``) applied to a
text and the figures, with no workbook involved, so the audit of published reports uses it as is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..findings import Finding, make, show
from ..messages import text as message
from ..normalize import parse_number, prose_key, prose_unwrapped
from ..read.values import Number, Value
from ..spec import Section, Spec
from ..spec.compiled import Substance
from ..spec.evaluate import CHECKER, compare, linear_value

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


@dataclass(frozen=True)
class Gap:
    """What a section fails to say: a findings code and what fills its message."""

    code: str  # section-placeholder, section-unexplained, section-too-short, section-lacks-topic
    actual: object = None
    expected: object = None
    when: object = None  # the condition's left side, when the policy has one


def substance_gaps(policy: Substance, text: str, numbers: Mapping[str, Number | None]) -> list[Gap]:
    """What ``text`` fails to say under ``policy`` (nothing for an empty text or when ``when`` is false)."""
    key = prose_key(text)
    if not key:
        return []
    when = None
    if policy.when is not None:
        lhs = linear_value(policy.when.lhs, numbers.get, CHECKER, blank_as_zero=False)
        rhs = linear_value(policy.when.rhs, numbers.get, CHECKER, blank_as_zero=False)
        if lhs is None or rhs is None or not compare(lhs, policy.when.op, rhs, Decimal(0), CHECKER):
            return []
        when = lhs
    if key in policy.placeholders and policy.when is not None:
        return [Gap(code="section-unexplained", actual=text.strip(), when=when)]
    if key in policy.placeholders:
        return [Gap(code="section-placeholder", actual=text.strip())]
    gaps = []
    if policy.min_length is not None and len(key) < policy.min_length:
        gaps.append(Gap(code="section-too-short", actual=len(key), expected=policy.min_length))
    missing = [group for group in policy.must_mention if not any(word in key for word in group)]
    if missing:
        gaps.append(Gap(code="section-lacks-topic", expected=missing))
    return gaps


def substance_findings(spec: Spec, values: Mapping[str, Value], locate: Locator, lang: str = "zh") -> list[Finding]:
    """A finding for each prose section whose text says nothing, or too little, by the spec's substance rule."""
    numbers = {k: v for k, v in values.items() if not isinstance(v, str)}
    out: list[Finding] = []
    for section in spec.all_sections():
        policy = spec.substance.get(section.id)
        if policy is None or section.kind != "prose" or section.body_cell not in values:
            continue
        where = locate(section.body_cell) or ("", "")
        heading = _heading(section, lang)
        for gap in substance_gaps(policy, section_text(section, values), numbers):
            reason = (policy.reason_en if lang == "en" else policy.reason_zh).replace("{when}", show(gap.when, lang))
            out.append(
                make(
                    gap.code,
                    lang,
                    severity=policy.severity,
                    detail=heading,
                    actual=gap.actual,
                    expected=_topics(gap.expected, lang) if isinstance(gap.expected, list) else gap.expected,
                    reason=reason,
                    advice=policy.fix_en if lang == "en" else policy.fix_zh,
                    sheet=where[0],
                    cell=where[1],
                    cell_id=section.body_cell,
                    row_label=heading,
                    cells=(f"{where[0]}!{where[1]}",) if where[0] else (),
                )
            )
    return out


def _topics(groups: list[tuple[str, ...]], lang: str) -> str:
    """The word lists a section fails to mention, as a message quotes them."""
    words = message("common.list-separator", lang)
    return message("common.clause-separator", lang).join(
        message("check.topic-words", lang, words=words.join(g[:4])) for g in groups
    )


def _heading(section: Section, lang: str) -> str:
    return section.heading_en if lang == "en" and section.heading_en else (section.heading or section.label)


def narrative_findings(spec: Spec, values: Mapping[str, Value], locate: Locator, lang: str = "zh") -> list[Finding]:
    """Numbers quoted in the prose ("收到申请17件") that no table value supports."""
    numbers = {k: v for k, v in values.items() if isinstance(v, int | Decimal)}
    out: list[Finding] = []
    for section in spec.all_sections():
        raw = values.get(section.body_cell)
        if section.kind != "prose" or not isinstance(raw, str):
            continue
        text = prose_unwrapped(raw)
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
