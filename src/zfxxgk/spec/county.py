"""The spec's ``county:`` key: what a county compile writes beyond the sums (overview sentences, charts).

Compiled from :class:`~zfxxgk.spec.models.CountyDef`; every cell, table, set and column it names is
checked against the spec, and a bad entry is reported with the file and the key, like the rest of the spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..messages import text
from .compiled import TEXT_TABLE, Cell, Table
from .models import ChartDef, CountyDef

_CELL_REF = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+)\}")
Fail = Callable[[str, str], None]  # (key, message)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the county overview; ``{t.r.c}`` quotes a summed cell, ``{name}`` a sum of cells."""

    zh: str
    en: str
    when: str | None = None  # written only when the county's spec has this cell
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Chart:
    """A chart of 图表: the outcome groups of a table's set, or the agencies ranked by one cell."""

    id: str
    kind: str  # "groups" or "ranking"
    title: dict[str, str]
    heading: dict[str, str]
    category: dict[str, str]
    value: dict[str, str]
    table: str | None = None
    set: str | None = None
    column: str | None = None
    cell: str | None = None
    top: int = 40

    def say(self, what: str, lang: str, **fields: object) -> str:
        texts: dict[str, str] = getattr(self, what)
        template = texts.get(lang) or texts["zh"]
        return template.format(**fields) if fields else template


@dataclass(frozen=True)
class CountyFacts:
    overview: tuple[Sentence, ...] = ()
    charts: tuple[Chart, ...] = ()
    fields_title: dict[str, str] = field(default_factory=dict)  # zh/en heading of the 文字部分's figures
    sections: dict[str, str] = field(default_factory=dict)  # role (overview, problems, other) -> body cell

    @property
    def ranking(self) -> str | None:
        """The cell agencies are ranked by (本年新收), if a chart ranks them."""
        return next((c.cell for c in self.charts if c.kind == "ranking"), None)


def county_facts(
    cdef: CountyDef | None, tables: dict[str, Table], cells: dict[str, Cell], fail: Fail
) -> CountyFacts | None:
    """The compiled ``county:`` key; ``fail(key, message)`` records each reference to nothing."""
    if cdef is None:
        return None

    def known_cell(key: str, cell_id: str) -> None:
        if cell_id not in cells or not cells[cell_id].domain.numeric:
            fail(key, _both("spec-unknown-cell", cell=cell_id))

    overview = []
    for n, s in enumerate(cdef.overview):
        key = f"county.overview[{n}]"
        named = {k: tuple(v) for k, v in s.sums.items()}
        for lang, sentence in (("zh", s.zh), ("en", s.en)):
            for ref in _CELL_REF.findall(sentence):
                known_cell(f"{key}.{lang}", ref)
            for name in re.findall(r"\{([a-z_]+)\}", sentence):
                if name not in named:
                    fail(f"{key}.{lang}", _both("spec-unknown-sum", name="{" + name + "}"))
        for name, ids in named.items():
            for cell_id in ids:
                known_cell(f"{key}.sums.{name}", cell_id)
        if s.when:
            known_cell(f"{key}.when", s.when)
        overview.append(Sentence(s.zh, s.en, s.when, named))
    charts = [_chart(c, tables, known_cell, fail) for c in cdef.charts]
    title = {"zh": cdef.fields_title.zh, "en": cdef.fields_title.en} if cdef.fields_title else {}
    sections: dict[str, str] = {}
    for role, sid in cdef.sections.items():
        sections[role] = f"{TEXT_TABLE}.{sid}.body"
        if sections[role] not in cells:
            fail(f"county.sections.{role}", _both("spec-unknown-section", section=sid))
    return CountyFacts(tuple(overview), tuple(charts), title, sections)


def _chart(c: ChartDef, tables: dict[str, Table], known_cell: Fail, fail: Fail) -> Chart:
    key = f"county.charts[{c.id}]"
    if c.kind == "ranking":
        if not c.cell:
            fail(f"{key}.cell", _both("spec-ranking-cell"))
        else:
            known_cell(f"{key}.cell", c.cell)
    else:
        table = tables.get(c.table or "")
        if table is None:
            fail(f"{key}.table", _both("spec-unknown-table", table=c.table))
        elif c.set not in table.sets:
            fail(f"{key}.set", _both("spec-unknown-set", table=c.table, set=c.set))
        elif not any(f"{c.table}.{r}.{c.column}" in table.cells for r in table.sets[c.set or ""]):
            fail(f"{key}.column", _both("spec-unknown-column", table=c.table, column=c.column))
    texts = {k: {"zh": t.zh, "en": t.en} for k, t in (("title", c.title), ("heading", c.heading))}
    texts |= {k: {"zh": t.zh, "en": t.en} for k, t in (("category", c.category), ("value", c.value))}
    return Chart(c.id, c.kind, table=c.table, set=c.set, column=c.column, cell=c.cell, top=c.top, **texts)


def _both(key: str, **fields: object) -> str:
    """A spec problem in both languages, as the loader reports every problem: ``中文 / English``."""
    return f"{text(f'county.{key}', 'zh', **fields)} / {text(f'county.{key}', 'en', **fields)}"
