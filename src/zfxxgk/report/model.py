"""A report as a document model: title, headings, paragraphs and tables, built from a return's values.

Renderers (DOCX, HTML, Markdown) only lay this model out, so every output states the same words
and figures. Every figure comes from the values given; nothing is computed or invented here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..messages import text
from ..read.values import Value
from ..spec import Section, Spec, Table
from ..spec.layout import Layout, table_layout

_CELL_REF = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+)\}")


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、…  2: （一）…
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TableBlock:
    table: Table
    layout: Layout
    figures: dict[str, str]  # cell id -> the figure as printed ('' when not filled)
    title: str = ""  # the heading it sits under, as its accessible name

    @property
    def single_band(self) -> bool:
        """One band of column headers: they can repeat on every page (tables with several bands cannot)."""
        return len(self.table.blocks) == 1


Block = Heading | Paragraph | TableBlock


@dataclass
class Document:
    title: str
    agency: str
    year: int | None
    spec: Spec
    draft: bool = False
    lang: str = "zh"
    blocks: list[Block] = field(default_factory=list)

    @property
    def draft_mark(self) -> str:
        """The warning every output of a draft carries."""
        return text("report.draft-mark", self.lang)


def figure(value: Value) -> str:
    """A value as the report prints it: 12, 3.5, 0.25 ('' for nothing)."""
    if value is None or isinstance(value, str):
        return "" if value is None else value
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def paragraphs(text: str) -> list[str]:
    """One paragraph per non-empty line (Alt+Enter in a cell)."""
    return [p.strip() for p in re.split(r"\r\n|\r|\n", text) if p.strip()]


def fill_cells(template: str, values: Mapping[str, Value]) -> str:
    """Replace ``{table.row.column}`` by that cell's figure (a missing figure stays visibly blank)."""
    return _CELL_REF.sub(lambda m: figure(values.get(m.group(1))) or "____", template)


def build_document(
    spec: Spec, values: Mapping[str, Value], agency: str, year: int | None, *, draft: bool = False, lang: str = "zh"
) -> Document:
    """The report of one return (or of a county's summed values) as a document model."""
    doc = Document(spec.report_title(agency, year if year is not None else "____"), agency, year, spec, draft, lang)
    for section in spec.sections:
        _section(doc, section, values, level=1)
    return doc


def _text(values: Mapping[str, Value], cell_id: str) -> str:
    v = values.get(cell_id)
    return v.strip() if isinstance(v, str) else ""


def _heading(section: Section, values: Mapping[str, Value], lang: str) -> str:
    if section.editable_heading and _text(values, section.title_cell):
        return _text(values, section.title_cell)
    if lang == "en" and section.heading_en:
        return section.heading_en
    return section.heading or ""


def _section(doc: Document, section: Section, values: Mapping[str, Value], level: int) -> None:
    en = doc.lang == "en"
    if section.kind == "table":
        assert section.table is not None
        table = doc.spec.tables[section.table]
        heading = section.heading_en if en and section.heading_en else section.heading or table.title
        doc.blocks.append(Heading(level, heading))
        figures = {cid: figure(values.get(cid)) for cid in table.cells}
        doc.blocks.append(TableBlock(table, table_layout(table), figures, title=heading))
        return
    body = paragraphs(_text(values, section.body_cell))
    if section.auto_text_zh:
        mentioned = section.auto_text_unless and section.auto_text_unless in _text(values, section.body_cell)
        if not mentioned:
            template = section.auto_text_en if en and section.auto_text_en else section.auto_text_zh
            body.insert(0, fill_cells(template, values))
    children_have_text = any(_text(values, c.body_cell) for s in section.children for c in s.walk())
    if not body and not children_have_text:
        return
    heading = _heading(section, values, doc.lang)
    if heading:
        doc.blocks.append(Heading(level, heading))
    doc.blocks.extend(Paragraph(p) for p in body)
    for child in section.children:
        _section(doc, child, values, level + 1)
