"""Last year's returns given with ``--previous``: each checked once, and paired with this year's.

A return is paired with the previous return of the same agency (by agency code when both templates
carry one, else by name); with a single previous file and a single return, that file is the pair
and is verified. A previous return of another agency, or not of the year before, is never compared:
the mismatch is a finding and the cross-year rules are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..findings import Finding, make
from ..messages import text
from ..normalize import name_key
from ..read.sources import expand, is_system_file
from ..read.values import Number
from .inputs import numbers

log = logging.getLogger(__name__)

Paths = str | Path | Sequence[str | Path]


class Whose(Protocol):
    """What pairing needs of this year's side: a return, or an agency a template is written for."""

    @property
    def agency(self) -> str: ...
    @property
    def agency_code(self) -> str: ...


@dataclass(frozen=True)
class Prior:
    """One of last year's returns: where it came from, whose and which year it is, its numbers."""

    name: str
    year: int | None = None
    agency: str = ""
    agency_code: str = ""
    numbers: dict[str, Number | None] | None = None  # None: it could not be read
    problem: str = ""  # why it could not be read
    errors: int = 0  # error findings of its own check (its figures may be wrong)


def load_priors(previous: Paths, lang: str = "zh") -> list[Prior]:
    """Every return under ``previous`` (files, folders, zip archives), checked without a year."""
    from .file import check_file  # check_file pairs returns with these: imported late

    paths = [Path(previous)] if isinstance(previous, str | Path) else [Path(p) for p in previous]
    out: list[Prior] = []
    for source in expand(paths):
        if source.problem or is_system_file(source.name):
            if source.problem:
                out.append(Prior(source.name, problem=source.problem))
            continue
        try:
            r = (
                check_file(source.path, lang=lang)
                if source.entry is None
                else check_file(source.name, lang=lang, data=source.read())
            )
        except (OSError, KeyError, ValueError, EOFError) as exc:
            out.append(Prior(source.name, problem=str(exc)))
            continue
        if not r.readable or not r.values:
            why = next((f.message for f in r.findings if f.severity == "error"), source.name)
            out.append(Prior(source.name, problem=why))
            continue
        assert r.ret is not None
        errors = sum(f.severity == "error" for f in r.findings)
        out.append(Prior(source.name, r.ret.year, r.ret.agency, r.ret.agency_code, numbers(r.values), errors=errors))
    return out


def _same_agency(ret: Whose, prior: Prior) -> bool | None:
    """Whether a previous return is this agency's (None when either side does not say)."""
    if ret.agency_code and prior.agency_code:
        return ret.agency_code == prior.agency_code
    if ret.agency and prior.agency:
        return name_key(ret.agency) == name_key(prior.agency)
    return None


@dataclass(frozen=True)
class Pairing:
    """The previous return taken for this one (None when none is), and the ``previous-*`` finding that says why."""

    prior: Prior | None
    code: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def pair(
    ret: Whose, year: int | None, priors: Sequence[Prior], lang: str, single: bool
) -> tuple[dict[str, Number | None] | None, list[Finding]]:
    """Last year's numbers for this return, or None with the finding that says why there are none.

    ``single``: one return is being checked, so one previous file given is its pair (and is verified).
    """
    p = pairing(ret, year, priors, lang, single)
    found = [make(p.code, lang, **p.fields)] if p.code else []
    return (p.prior.numbers if p.prior else None), found


def pairing(ret: Whose, year: int | None, priors: Sequence[Prior], lang: str, single: bool) -> Pairing:
    """Which previous return is this one's (see :func:`pair`), the reason told as a finding code and its fields."""
    if single and len(priors) == 1:
        return _verified(ret, year, priors[0], lang)
    same = [p for p in priors if p.numbers is not None and _same_agency(ret, p)]
    if not same:
        return Pairing(None, code="previous-not-found", fields={"detail": ret.agency or text("common.this-agency", lang)})
    before = [p for p in same if year is not None and p.year == year - 1] or same
    if len(before) > 1:
        names = text("common.list-separator", lang).join(p.name for p in before)
        return Pairing(None, code="previous-ambiguous", fields={"detail": names})
    return _verified(ret, year, before[0], lang)


def _verified(ret: Whose, year: int | None, prior: Prior, lang: str) -> Pairing:
    """The previous return if it is this agency's return of the year before."""
    if prior.numbers is None:
        return Pairing(None, code="previous-unreadable", fields={"detail": prior.problem or prior.name})
    same = _same_agency(ret, prior)
    if same is False:
        fields = {"detail": prior.name, "actual": prior.agency, "expected": ret.agency}
        return Pairing(None, code="previous-agency-mismatch", fields=fields)
    if year is not None and prior.year != year - 1:
        shown = prior.year if prior.year is not None else text("check.year-not-read", lang)
        return Pairing(None, code="previous-year-mismatch", fields={"detail": prior.name, "actual": shown, "expected": year - 1})
    if same is None:
        return Pairing(prior, code="previous-agency-unverified", fields={"detail": prior.name})
    return Pairing(prior)
