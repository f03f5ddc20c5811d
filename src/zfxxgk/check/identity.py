"""Whose report for which year: the year asked for against the year read, and the agency's name."""

from __future__ import annotations

import logging

from ..contract import AGENCY_CELL, KEY_AGENCY
from ..findings import Finding, make
from ..normalize import name_key
from ..read.workbook import Return

log = logging.getLogger(__name__)


def year_findings(ret: Return, asked: int | None, lang: str) -> list[Finding]:
    """The file's year against the year asked for (``--year``, a compile's year).

    year-mismatch when they differ; year-unread (an error) when a year is asked for and the file
    states none: the file is never taken to be of that year unread. year-unknown when neither is known.
    """
    if asked is not None and ret.year is None:
        return [make("year-unread", lang, expected=asked)]
    if asked is not None and ret.year != asked:
        return [make("year-mismatch", lang, actual=ret.year, expected=asked)]
    return [make("year-unknown", lang)] if ret.year is None else []


def agency_findings(ret: Return, lang: str) -> list[Finding]:
    """A template with no agency name, or with a name other than the one it was made for."""
    if not ret.agency:
        return [make("agency-missing", lang)]
    made_for = ret.meta.get(KEY_AGENCY)
    if not made_for or name_key(made_for) == name_key(ret.agency):
        return []
    where = ret.locate(AGENCY_CELL) or ("", "")
    return [
        make(
            "agency-mismatch",
            lang,
            expected=made_for,
            actual=ret.agency,
            sheet=where[0],
            cell=where[1],
            cell_id=AGENCY_CELL,
        )
    ]
