"""Last year's figures in this year's template: the spec's ``carry_over:`` over a paired previous return.

Last year's returns are read by :func:`zfxxgk.check.previous.load_priors` and paired with the agency as
``check --previous`` pairs returns (agency code when both have one, else name). A previous return that
cannot be read, is not of the year before, or is another agency's is never carried, and why is told.
A previous return with errors still carries (``check --previous`` compares this year's figures with the
same numbers), and the template says how many errors it had so the agency checks the figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from ..check.previous import Paths, Prior, load_priors, pairing
from ..messages import text
from ..roster import Agency
from ..spec import Spec
from ..spec.evaluate import CHECKER, linear_value


@dataclass(frozen=True)
class Whose:
    """An agency as pairing sees it."""

    agency: str
    agency_code: str


@dataclass(frozen=True)
class Carried:
    """What one agency's template takes from last year, or why it takes nothing."""

    agency: str
    values: dict[str, int | Decimal] = field(default_factory=dict)  # cell id -> last year's figure
    source: str = ""  # the previous return's file name
    year: int | None = None
    errors: int = 0  # error findings of the previous return
    why: tuple[tuple[str, dict[str, Any]], ...] = ()  # catalogue keys and fields: why nothing, or a caution

    @property
    def carried(self) -> bool:
        return bool(self.values)

    def note(self, lang: str = "zh") -> str:
        """Why nothing was carried, or a caution about what was, in ``lang``."""
        return " ".join(text(key, lang, **fields) for key, fields in self.why)


def load(previous: Paths, lang: str = "zh") -> list[Prior]:
    """Last year's returns under ``previous`` (files, folders, zip archives), each checked once."""
    return load_priors(previous, lang)


def carry_for(spec: Spec, year: int, agency: Agency, priors: Sequence[Prior], lang: str, single: bool) -> Carried:
    """The figures ``agency``'s template of ``year`` takes from its paired previous return.

    ``single``: one template is written, so one previous file given is its pair (and is verified).
    """
    p = pairing(Whose(agency.name, agency.code), year, priors, lang, single)
    why: list[tuple[str, dict[str, Any]]] = [(f"template.carry-{p.code}", p.fields)] if p.code else []
    if p.prior is None or p.prior.numbers is None:
        return Carried(agency.name, why=tuple(why))
    prior = p.prior
    values = carried_values(spec, p.prior.numbers)
    if not values:
        return Carried(agency.name, source=prior.name, year=prior.year, why=(("template.carry-nothing", {}),))
    if prior.errors:
        why.append(("template.carry-errors", {"count": prior.errors}))
    return Carried(agency.name, values, prior.name, prior.year, prior.errors, tuple(why))


def carried_values(spec: Spec, numbers: Mapping[str, object]) -> dict[str, int | Decimal]:
    """Each carry-over cell's value from last year's numbers (cells whose terms last year lacks are left out)."""
    out: dict[str, int | Decimal] = {}
    for item in spec.carry_over:
        for cell_id, form in item.cells:
            value = linear_value(form, lambda _c: None, CHECKER, numbers.get)
            if value is not None:
                out[cell_id] = int(value) if value == value.to_integral_value() else value
    return out


def notice(spec: Spec, carried: Carried, lang: str = "zh") -> str:
    """The line of the 填报说明 sheet that says what was carried from which file and year."""
    names = text("common.list-separator", lang).join(
        item.name if lang == "zh" else item.name_en
        for item in spec.carry_over
        if any(cell_id in carried.values for cell_id, _ in item.cells)
    )
    shown = carried.year if carried.year is not None else text("check.year-not-read", lang)
    file = PurePath(carried.source.replace("\\", "/")).name  # the file's name, not the county's folders
    line = text("template.carry-notice", lang, items=names, file=file, year=shown)
    return " ".join(x for x in (line, carried.note(lang)) if x)


def told(carried: Carried, lang: str = "zh") -> str:
    """One line on what a template took from last year, or why it took nothing."""
    if not carried.carried:
        return text("template.carry-told-no", lang, why=carried.note(lang))
    year = carried.year if carried.year is not None else text("check.year-not-read", lang)
    line = text("template.carry-told-yes", lang, count=len(carried.values), file=carried.source, year=year)
    return " ".join(x for x in (line, carried.note(lang)) if x)


def batch_lines(priors: Sequence[Prior], carried: Mapping[str, Carried], lang: str = "zh") -> list[str]:
    """What a roster's templates took from last year: how many carried, and every previous return not used."""
    done = sum(c.carried for c in carried.values())
    lines = [text("template.carry-batch", lang, carried=done, missing=len(carried) - done)]
    used = {c.source for c in carried.values() if c.carried}
    for p in priors:
        if p.numbers is None:
            lines.append(text("template.carry-prior-unreadable", lang, file=p.name, why=p.problem))
        elif p.name not in used:
            year = p.year if p.year is not None else text("check.year-not-read", lang)
            lines.append(text("template.carry-prior-unused", lang, file=p.name, agency=p.agency, year=year))
    return lines
