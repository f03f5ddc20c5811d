"""The YAML schema of a form spec, as pydantic models (validation only; see ``compiled`` for use)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import say

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str
    en: str = ""


class DomainDef(_Strict):
    kind: Literal["integer", "decimal", "text"]
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)
    unit: str = ""
    max_length: int | None = Field(default=None, ge=1, le=32767)
    units: list[str] = []  # units a number typed as text may carry ("12件"), stripped when reading
    zero_words: list[str] = []  # words read as 0 ("—", "/", "无"), reported with zero_words_severity
    zero_words_severity: Literal["warning", "error"] = "warning"
    # A blank number cell: "error" = not filled (blank-cell); "warning" = read as 0 (blank-read-as-zero).
    blank_severity: Literal["warning", "error"] = "error"
    prompt: Text
    error: Text

    @field_validator("prompt", "error")
    @classmethod
    def _fits_validation_box(cls, v: Text) -> Text:
        # Excel limits data validation input and error messages to 255 characters.
        if len(v.zh) > 255 or len(v.en) > 255:
            raise ValueError(say("spec.prompt-too-long"))
        return v


class HeaderDef(_Strict):
    """A row or column header: a leaf with an id, or a group with children."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    label: str
    label_en: str = ""
    domain: str | None = None
    children: list[HeaderDef] = []


class BlockDef(_Strict):
    caption: str | None = None
    corner: str | None = None
    row_header: bool = True
    columns: list[HeaderDef] = Field(min_length=1)
    rows: list[HeaderDef] = Field(min_length=1)


class TableDef(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    number: str
    title: str
    title_en: str = ""
    sheet: str = Field(min_length=1, max_length=31)
    domain: str
    landscape: bool = False
    sets: dict[str, list[str]] = {}
    blocks: list[BlockDef] = Field(min_length=1)

    @field_validator("sheet")
    @classmethod
    def _valid_sheet_name(cls, v: str) -> str:
        bad = set(v) & set("[]:*?/\\") | {ch for ch in v if ord(ch) < 32}
        if v.startswith("'") or v.endswith("'"):
            bad.add("'")
        if bad:
            raise ValueError(say("spec.bad-sheet-name", chars="".join(sorted(bad))))
        return v


class RuleDef(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    name_en: str = ""
    severity: Literal["error", "warning", "info"]
    tolerance: Decimal = Decimal(0)
    for_each: dict[str, str | list[str] | dict[str, str | Text]] = {}
    assert_: str = Field(alias="assert")
    when: str | None = None
    formula: bool = False
    message: Text
    fix: Text


class CarryDef(_Strict):
    """Figures a template is prefilled with from last year's return: ``set: cell = expression of prev(...)``."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    name_en: str = ""
    for_each: dict[str, str | list[str] | dict[str, str | Text]] = {}
    set_: str = Field(alias="set")


class FieldDef(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    label_en: str = ""
    domain: str


class InfoFieldDef(_Strict):
    """A fact shown on the 填报说明 sheet above the inputs (a label and a text with placeholders)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    label_en: str = ""
    value: str
    value_en: str = ""


class InstructionDef(_Strict):
    """One numbered instruction line of the 填报说明 sheet."""

    id: str = Field(pattern=ID_PATTERN)
    zh: str
    en: str = ""


class NarrativeDef(_Strict):
    id: str
    name: str
    name_en: str = ""
    patterns: list[str] = Field(min_length=1)
    expr: str | list[str]
    severity: Literal["error", "warning", "info"] = "warning"


class AutoTextDef(_Strict):
    unless_mentions: str | None = None
    zh: str
    en: str = ""


class SubstanceDef(_Strict):
    """What a prose section must say to count as written (the checker and the audit of published reports)."""

    placeholders: list[str] = []  # texts that say nothing ("无", "暂无"), compared without spaces or punctuation
    min_length: int | None = Field(default=None, ge=1)  # characters, spaces and punctuation not counted
    must_mention: list[list[str]] = []  # each list: at least one of its words must appear
    when: str | None = None  # a condition on cells: the policy applies only while it holds
    reason: Text | None = None  # what the condition means, said with the finding ({when}: its left side)
    severity: Literal["error", "warning", "info"] = "warning"
    fix: Text

    @model_validator(mode="after")
    def _reason_with_when(self) -> SubstanceDef:
        if (self.when is None) != (self.reason is None):
            raise ValueError(say("spec.substance-when-reason"))
        return self


class SectionDef(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["prose", "table"]
    heading: str | None = None
    heading_en: str = ""
    label: str | None = None
    label_en: str = ""
    table: str | None = None
    required: bool = False
    editable_heading: bool = False
    hint: str = ""
    auto_text: AutoTextDef | None = None
    substance: SubstanceDef | None = None
    children: list[SectionDef] = []


class ReportDef(_Strict):
    sections: list[SectionDef]


class SentenceDef(_Strict):
    """A sentence of the county overview: ``{table.row.column}`` quotes a summed cell, ``{name}`` a sum."""

    zh: str
    en: str = ""
    when: str | None = None
    sums: dict[str, list[str]] = {}


class ChartDef(_Strict):
    """A chart of the county's 图表 sheet: a table's outcome groups, or the agencies ranked by a cell."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["groups", "ranking"]
    title: Text
    heading: Text
    category: Text
    value: Text
    table: str | None = None
    set: str | None = None
    column: str | None = None
    cell: str | None = None
    top: int = Field(default=40, ge=1, le=1000)


class CountyDef(_Strict):
    """What a county compile writes beyond the sums."""

    overview: list[SentenceDef] = []
    charts: list[ChartDef] = []
    fields_title: Text | None = None  # the heading of the 文字部分's numeric fields on 汇总表
    # Which report section takes the generated overview and which the clerk's 【】 placeholders.
    sections: dict[Literal["overview", "problems", "other"], str] = {}


class YearsDef(_Strict):
    first: int = Field(ge=2008, le=2100)
    last: int | None = Field(default=None, ge=2008, le=2100)

    @model_validator(mode="after")
    def _in_order(self) -> YearsDef:
        if self.last is not None and self.last < self.first:
            raise ValueError(say("spec.years-order"))
        return self


class SpecDef(_Strict):
    """A fully merged spec (after ``extends`` is resolved)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: str
    name: str
    name_en: str = ""
    years: YearsDef
    title: str
    default: bool = False
    form_title: str | None = None
    info_fields: list[InfoFieldDef] = []
    instructions: list[InstructionDef] = []
    read_by_labels: bool = False  # a workbook without the template's map is matched against this spec
    domains: dict[str, DomainDef]
    tables: list[TableDef] = Field(min_length=1)
    fields: list[FieldDef] = []
    rules: list[RuleDef] = []
    carry_over: list[CarryDef] = []
    narrative: list[NarrativeDef] = []
    report: ReportDef
    county: CountyDef | None = None
