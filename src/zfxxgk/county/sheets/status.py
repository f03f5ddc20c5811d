"""报送情况: one row per roster agency and per extra file, with its status and how it was matched."""

from __future__ import annotations

from typing import Any

from ..decisions import review_word
from ..model import County, Row
from .common import Formats, Words, heads, print_setup, write_row

HEADS = (
    ("no", 6),
    ("agency", 30),
    ("code", 22),
    ("status", 10),
    ("file", 50),
    ("how", 12),
    ("spec", 16),
    ("year", 8),
    ("application", 24),
    ("errors", 6),
    ("warnings", 6),
    ("infos", 6),
    ("included", 9),
    ("note", 50),
    ("sha256", 20),
)
REVIEW_HEADS = (("review", 12), ("comment", 40), ("by", 14), ("at", 20))  # with the county's decisions
TOP = 3  # the heading row; a title and the summary above it
STATUS_COL = 3


def write_status(ws: Any, fmt: Formats, words: Words, county: County) -> None:
    """The sheet: title, a one-line summary, then every row of the county."""
    rows = county.rows
    ws.write_string(0, 0, words("county.status-title", name=county.name, year=county.year), fmt.title)
    ws.write_string(1, 0, _summary(words, county), fmt.note)
    titles, widths = [words(f"county.head-{k}") for k, _ in HEADS], [w for _, w in HEADS]
    if county.decisions is not None:
        titles += [words(f"decisions.head-{k}") for k, _ in REVIEW_HEADS]
        widths += [w for _, w in REVIEW_HEADS]
    heads(ws, fmt, TOP, titles, widths)
    for n, r in enumerate(rows, start=1):
        write_row(ws, TOP + n, _line(words, n, r) + _review(words, county, r), fmt.text)
    last = TOP + len(rows)
    ws.autofilter(TOP, 0, max(last, TOP), len(titles) - 1)
    ws.freeze_panes(TOP + 1, 2)
    print_setup(ws, words, landscape=True, repeat=(TOP, TOP))
    for label, f in fmt.status.items():
        ws.conditional_format(
            TOP + 1,
            STATUS_COL,
            max(last, TOP + 1),
            STATUS_COL,
            {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": f},
        )


def _summary(words: Words, county: County) -> str:
    rows = county.rows
    listed, tally = rows.listed, rows.tally
    return words(
        "county.status-summary",
        listed=listed.total(),
        returned=listed.total() - listed["missing"],
        ok=tally.get("ok", 0),
        warnings=tally.get("warnings", 0),
        errors=tally.get("errors", 0),
        unreadable=listed["unreadable"],
        missing=tally.get("missing", 0),
        files=county.sources,
        duplicate=tally.get("duplicate", 0),
        outsider=tally.get("outsider", 0),
        unknown=tally["unreadable"] - listed["unreadable"],
        included=rows.included,
    )


def _line(words: Words, n: int, r: Row) -> list[object]:
    o = r.outcome
    line: list[object] = [n, r.agency, r.code, words.status(r.status)]
    if o is None:
        return [*line, "", "", "", "", "", "", "", "", words.yes_no(False), r.note, ""]
    how = words(f"county.source-{o.source}") if o.source in ("template", "labels") else ""
    return [
        *line,
        o.name,
        how,
        o.spec_id,
        o.year or "",
        o.application,
        o.errors,
        o.warnings,
        o.infos,
        words("county.included-partly") if r.included and r.left_out else words.yes_no(r.included),
        r.note,
        o.sha256,
    ]


def _review(words: Words, county: County, r: Row) -> list[object]:
    """The county's decision on a roster agency's return (lapsed when it was about another file)."""
    if county.decisions is None or r.roster_index is None:
        return []
    review = county.decisions.review(r.agency, r.outcome.sha256 if r.outcome else None)
    if review is None:
        return []
    return [review_word(review.review, words.lang), review.comment, review.by, review.at]
