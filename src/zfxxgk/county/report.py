"""The county report: the summed tables and a generated overview for the clerk to edit.

The overview's sentences about the figures come from the spec's ``county.overview``; the sentence
about the roster and the 【】 placeholders for the clerk come from the message catalogue.
"""

from __future__ import annotations

from decimal import Decimal

from ..messages import text
from ..read.values import Value, plain_number
from ..report import Document, build_document
from ..report.model import figure, fill_cells
from ..spec.county import Sentence
from .model import County


def county_values(county: County) -> dict[str, Value]:
    """The summed figures plus generated prose, keyed by cell id like a single return's values."""
    lang = county.lang
    values: dict[str, Value] = {k: plain_number(v) for k, v in county.totals.items()}
    listed = county.rows.listed
    lines = [
        text(
            "county.overview-roster",
            lang,
            name=county.name or text("county.this-area", lang),
            year=county.year,
            listed=listed.total(),
            returned=listed.total() - listed["missing"],
            included=county.rows.included,
        )
    ]
    facts = county.spec.county
    for sentence in facts.overview if facts else ():
        if sentence.when is None or sentence.when in county.totals:
            lines.append(_sentence(sentence, values, county.totals, lang))
    lines.append(_placeholder("work", lang))
    prose = {"overview": "\n".join(lines), "problems": _placeholder("problems", lang), "other": _placeholder("other", lang)}
    for role, cell_id in (facts.sections if facts else {}).items():
        values[cell_id] = prose[role]
    return values


def _sentence(sentence: Sentence, values: dict[str, Value], totals: dict[str, Decimal], lang: str) -> str:
    said = fill_cells(sentence.text(lang), values)
    for name, cells in sentence.sums.items():
        total = sum((totals.get(c, Decimal(0)) for c in cells), Decimal(0))
        said = said.replace("{" + name + "}", figure(plain_number(total)))
    return said


def _placeholder(what: str, lang: str) -> str:
    return text("county.placeholder", lang, what=text(f"county.placeholder-{what}", lang))


def county_document(county: County) -> Document:
    """The county report as a document model, in the compile's language."""
    return build_document(county.spec, county_values(county), county.name, county.year, lang=county.lang)
