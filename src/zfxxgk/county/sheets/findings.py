"""问题清单: every finding of every file, the county totals' own first, with its agency."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...findings import COLUMN_HEADS
from ..decisions import verdict_word
from ..model import County
from .common import Formats, Words, heads, print_setup, write_row

WIDTHS = [6, 24, 36, 9, 6, 16, 14, 8, 30, 14, 60, 50, 8, 8, 8, 16, 18]


def write_findings(
    ws: Any, fmt: Formats, words: Words, county: County, limit: int, results: Path | None = None
) -> None:
    """The sheet: one row per finding, filterable by agency, status, severity and code.

    At most ``limit`` rows of findings (Excel holds 1,048,576 rows): past them a last row says how many
    there are and points to the findings of the columnar ``results``.
    """
    lang = words.lang
    titles = [words(f"county.head-{k}") for k in ("no", "agency", "file", "status")]
    said = county.decisions
    extra = [words(f"decisions.head-{k}") for k in ("explanation", "verdict")] if said is not None else []
    heads(ws, fmt, 0, [*titles, *COLUMN_HEADS[lang], words("county.head-fingerprint"), *extra],
          WIDTHS + [50, 14][: len(extra)])  # fmt: skip
    n = 0
    for f in county.checks:  # the county's own totals first: they concern everyone
        n += 1
        write_row(ws, n, [n, words("county.county-totals"), "", "", *f.columns(lang), f.fingerprint], fmt.text)
    for row in county.rows:
        if row.outcome is None:
            continue
        for f in county.store.findings(row.outcome.index):
            if n >= limit:
                _pointer(ws, fmt, words, n + 1, county.finding_count(), limit, results)
                break
            n += 1
            line = [n, row.agency, row.outcome.name, words.status(row.status), *f.columns(lang), f.fingerprint]
            v = said.verdict(row.agency, f) if said is not None and row.roster_index is not None else None
            write_row(ws, n, line + ([v.text, verdict_word(v.verdict, lang)] if v else []), fmt.text)
        else:
            continue
        break
    ws.autofilter(0, 0, max(n, 1), len(titles) + len(COLUMN_HEADS[lang]) + len(extra))
    ws.freeze_panes(1, 2)
    print_setup(ws, words, landscape=True, repeat=(0, 0))


def _pointer(ws: Any, fmt: Formats, words: Words, r: int, count: int, limit: int, results: Path | None) -> None:
    """The row after the last one listed: how many findings there are, and where all of them are."""
    from ..results import FINDINGS  # pyarrow, only when this sheet points to the results

    where = str(results / FINDINGS) if results else ""
    ws.write_string(r, 0, words("county.findings-too-many", count=count, limit=limit, path=where), fmt.note)
