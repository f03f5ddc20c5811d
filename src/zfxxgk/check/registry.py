"""The checks that run on a return that could be read, in order: the one list of them.

Each check is a small function ``(ctx) -> list[Finding]``; :data:`CHECKS` lists them in the order
:func:`run` calls them. A check that applies to one kind of return only (a template, or a workbook
read by its labels) says so itself. Checks may leave what later checks need in the context (the
stated values, the totals computed from intact formulas).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ..findings import Finding
from ..read.values import Number, Value
from ..read.workbook import Part, Return
from ..spec.compiled import INFO_TABLE, TEXT_TABLE
from . import era, identity
from .inputs import label_values, numbers, template_inputs
from .narrative import narrative_findings, section_findings, substance_findings
from .rules import Locator, rule_findings
from .tampering import protection_findings, total_findings

log = logging.getLogger(__name__)


@dataclass
class Context:
    """A return being checked, and what the checks have found out about it so far."""

    ret: Return
    lang: str
    asked_year: int | None = None  # the year the user asked for
    previous: dict[str, Number | None] | None = None  # last year's numbers, when given
    values: dict[str, Value] = field(default_factory=dict)  # stated values by cell id, all parts
    parts: list[tuple[Part, dict[str, Value], set[str]]] = field(default_factory=list)  # stated, computed

    @property
    def year(self) -> int | None:
        """The year checked: the one asked for, else the file's."""
        return self.asked_year or self.ret.year

    @property
    def template(self) -> bool:
        return self.ret.source == "template"

    def locator(self, part: Part) -> Locator:
        """Where a cell is, for the cells of this part's tables (and a template's text and info)."""
        tables = set(part.tables) | ({TEXT_TABLE, INFO_TABLE} if self.template else set())

        def locate(cell_id: str) -> tuple[str, str] | None:
            if cell_id in self.ret.unread:  # lost with a deleted row or column: structure-changed says so
                return None
            return self.ret.locate(cell_id) if cell_id.split(".", 1)[0] in tables else None

        return locate


Check = Callable[[Context], list[Finding]]


def year(ctx: Context) -> list[Finding]:
    return identity.year_findings(ctx.ret, ctx.asked_year, ctx.lang)


def values(ctx: Context) -> list[Finding]:
    """Every stated value, coerced; for a template, its totals' tampering."""
    out: list[Finding] = []
    for part in ctx.ret.parts:
        computed: set[str] = set()
        if ctx.template:
            stated = template_inputs(ctx.ret, part, ctx.lang, out)
            found, computed = total_findings(ctx.ret, part.spec, stated, ctx.lang)
            out += found
        else:
            stated = label_values(ctx.ret, part, ctx.lang, out)
        ctx.values.update(stated)
        ctx.parts.append((part, stated, computed))
    return out


def rules(ctx: Context) -> list[Finding]:
    """The spec's identities, part by part, on the values as stated."""
    out: list[Finding] = []
    for part, stated, computed in ctx.parts:
        out += rule_findings(part.spec, numbers(stated), ctx.locator(part), ctx.previous, ctx.lang, computed)
    return out


def protection(ctx: Context) -> list[Finding]:
    return protection_findings(ctx.ret, ctx.lang) if ctx.template else []


def sections(ctx: Context) -> list[Finding]:
    return section_findings(ctx.ret.spec, ctx.values, ctx.ret.locate, ctx.lang) if ctx.template else []


def substance(ctx: Context) -> list[Finding]:
    """Prose sections that say nothing ("无" in 五) or too little, by the spec's substance rule."""
    return substance_findings(ctx.ret.spec, ctx.values, ctx.ret.locate, ctx.lang) if ctx.template else []


def agency(ctx: Context) -> list[Finding]:
    return identity.agency_findings(ctx.ret, ctx.lang) if ctx.template else []


def read_by_labels(ctx: Context) -> list[Finding]:
    return [] if ctx.template else era.label_facts(ctx.ret, ctx.year, ctx.lang)


def narrative(ctx: Context) -> list[Finding]:
    return narrative_findings(ctx.ret.spec, ctx.values, ctx.ret.locate, ctx.lang)


def format_mixed(ctx: Context) -> list[Finding]:
    return era.format_mixed(ctx.ret, ctx.lang)


def format_outdated(ctx: Context) -> list[Finding]:
    return era.format_outdated(ctx.ret, ctx.year, ctx.lang)


CHECKS: tuple[Check, ...] = (
    year,
    values,
    rules,
    protection,
    sections,
    substance,
    agency,
    read_by_labels,
    narrative,
    format_mixed,
    format_outdated,
)


def run(ctx: Context, checks: tuple[Check, ...] = CHECKS) -> list[Finding]:
    """Every check's findings, in order (none for a return with no tables read)."""
    if not ctx.ret.parts:
        return []
    return [finding for check in checks for finding in check(ctx)]
