"""The format era of a return: which formats its tables were read with, and whether that is the year's.

``read-by-labels`` and ``table-missing`` for a workbook read by its labels, ``format-mixed`` when its
tables are of several formats, ``format-outdated`` when a table is of a format that does not cover the
year reported on.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from ..findings import Finding, make
from ..messages import text
from ..normalize import chinese_number
from ..read.workbook import Part, Return, base_specs
from ..spec import Spec
from ..spec.compiled import forest_paths

log = logging.getLogger(__name__)


def _tables_text(spec: Spec, table_ids: list[str], lang: str) -> str:
    """ "表二、三" or "tables 2, 3"."""
    numbers = [spec.tables[t].number for t in table_ids]
    shown = [str(chinese_number(n) or n) for n in numbers] if lang == "en" else numbers
    return text("check.tables", lang, numbers=text("common.list-separator", lang).join(shown))


def _spec_name(spec: Spec, lang: str) -> str:
    return spec.name_en if lang == "en" and spec.name_en else spec.name


def _parts_text(ret: Return, key: str, lang: str) -> str:
    return text("common.clause-separator", lang).join(
        text(key, lang, tables=_tables_text(p.spec, p.tables, lang), spec=_spec_name(p.spec, lang)) for p in ret.parts
    )


@lru_cache(maxsize=64)
def spec_for_year(year: int | None) -> Spec | None:
    """The format of hand-made workbooks that covers ``year``, if any."""
    if year is None:
        return None
    return next((spec for spec in base_specs() if spec.covers(year)), None)


def label_facts(ret: Return, year: int | None, lang: str) -> list[Finding]:
    """How a hand-made workbook was read, and the tables of the year's format it lacks."""
    out = [make("read-by-labels", lang, detail=_parts_text(ret, "check.tables-read-as", lang))]
    expected = spec_for_year(year) or ret.spec
    found = {part.spec.tables[t].number for part in ret.parts for t in part.tables}
    for table in expected.grid_tables:
        if table.number not in found:
            detail = text("check.table-heading", lang, number=table.number, heading=table.heading(lang))
            out.append(make("table-missing", lang, detail=detail))
    return out


def format_mixed(ret: Return, lang: str) -> list[Finding]:
    """A finding when the tables of one return are of several formats."""
    if len(ret.parts) < 2:
        return []
    return [make("format-mixed", lang, detail=_parts_text(ret, "check.tables-in-format", lang))]


def format_outdated(ret: Return, year: int | None, lang: str) -> list[Finding]:
    """A finding for each part whose format does not cover the year, with what shows it."""
    expected = spec_for_year(year)
    if year is None or expected is None:
        return []
    out: list[Finding] = []
    for part in ret.parts:
        if part.spec.covers(year):
            continue
        present = part.spec.labels() if ret.source == "template" else _matched_labels(part)
        seen = sorted((part.spec.labels() - expected.labels()) & present)
        sep = text("common.list-separator", "zh")  # the labels are Chinese whatever the language
        notes = [text("check.old-labels", lang, labels=sep.join(seen[:8]))] if seen else []
        notes += [text("check.no-sub-rows", lang, label=label) for label in _collapsed_groups(part, expected)]
        notes = notes or [text("check.spec-id", lang, id=part.spec.id)]
        detail = text(
            "check.tables-noted",
            lang,
            tables=_tables_text(part.spec, part.tables, lang),
            notes=text("common.clause-separator", lang).join(notes),
        )
        actual = _spec_name(part.spec, lang)
        out.append(
            make("format-outdated", lang, year=year, expected=_spec_name(expected, lang), actual=actual, detail=detail)
        )
    return out


def _collapsed_groups(part: Part, expected: Spec) -> list[str]:
    """Rows read as single rows that the expected format divides (2019's （六）其他处理)."""
    out = []
    for table_id in part.tables:
        theirs, ours = part.spec.tables[table_id], expected.tables.get(table_id)
        if ours is None:
            continue
        groups = {h.label for b in ours.blocks for path in forest_paths(b.rows) for h in path[:-1]}
        out += [theirs.row_labels[r][0] for r in theirs.rows if theirs.row_labels[r][0] in groups]
    return out


def _matched_labels(part: Part) -> set[str]:
    """Every header label on the path of a cell that was found by its labels."""
    out: set[str] = set()
    for m in part.match.values():
        for cell_id in m.cells:
            cell = part.spec.cells[cell_id]
            out.update(cell.row_path + cell.column_path)
    return out
