"""The form spec as the rest of the program uses it: tables, cells, rule instances, sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from ..messages import text
from .expr import Comparison, LinearForm

if TYPE_CHECKING:
    from .county import CountyFacts

Severity = Literal["error", "warning", "info"]

# Synthetic tables that every spec has besides its statistical tables.
TEXT_TABLE = "text"  # 文字部分: prose sections and extra fields
INFO_TABLE = "info"  # 填报说明: contact person and phone
TEXT_SHEET = text("template.sheet-text")  # sheet names stay Chinese whatever the language
INFO_SHEET = text("template.sheet-info")
META_SHEET = "_zfxxgk"  # the hidden sheet with the spec, year, agency and cell map


@dataclass(frozen=True)
class Domain:
    id: str
    kind: Literal["integer", "decimal", "text"]
    min: Decimal | None
    max: Decimal | None
    decimals: int | None
    unit: str
    max_length: int | None
    prompt_zh: str
    prompt_en: str
    error_zh: str
    error_en: str
    units: tuple[str, ...] = ()
    zero_words: frozenset[str] = frozenset()  # lower case
    zero_words_severity: Severity = "warning"
    blank_severity: Severity = "error"  # a blank number: "error" not filled, "warning" read as 0

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Header:
    """A node of a row or column header tree."""

    id: str | None
    label: str
    label_en: str
    domain: str | None
    children: tuple[Header, ...] = ()

    def leaves(self) -> list[Header]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def paths(self, prefix: tuple[Header, ...] = ()) -> list[tuple[Header, ...]]:
        """Root-to-leaf paths of every leaf under this node."""
        here = (*prefix, self)
        if not self.children:
            return [here]
        return [p for child in self.children for p in child.paths(here)]


def forest_leaves(nodes: tuple[Header, ...]) -> list[Header]:
    return [leaf for n in nodes for leaf in n.leaves()]


def forest_depth(nodes: tuple[Header, ...]) -> int:
    return max((n.depth() for n in nodes), default=0)


def forest_paths(nodes: tuple[Header, ...]) -> list[tuple[Header, ...]]:
    return [p for n in nodes for p in n.paths()]


@dataclass(frozen=True)
class Block:
    caption: str | None
    corner: str | None
    row_header: bool
    columns: tuple[Header, ...]
    rows: tuple[Header, ...]


@dataclass(frozen=True)
class Cell:
    id: str
    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    row_label_en: str
    column_label_en: str
    row_path: tuple[str, ...]
    column_path: tuple[str, ...]
    domain: Domain
    formula: LinearForm | None = None  # set when a rule with ``formula: true`` computes the cell

    @property
    def computed(self) -> bool:
        return self.formula is not None

    @property
    def role(self) -> str:
        return "computed" if self.computed else "input"

    def labels(self, lang: str = "zh") -> tuple[str, str]:
        if lang == "en":
            return (self.row_label_en or self.row_label, self.column_label_en or self.column_label)
        return (self.row_label, self.column_label)


@dataclass(frozen=True, eq=False)
class Table:
    id: str
    number: str
    title: str
    title_en: str
    sheet: str
    kind: Literal["grid", "form"]
    landscape: bool
    blocks: tuple[Block, ...]
    sets: dict[str, list[str]]
    rows: tuple[str, ...]  # leaf row ids, in order
    columns: tuple[str, ...]  # distinct leaf column ids, in order
    cells: tuple[str, ...]  # cell ids, in reading order
    row_labels: dict[str, tuple[str, str]]  # row id -> (zh, en)
    column_labels: dict[str, tuple[str, str]]

    def heading(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True, eq=False)
class RuleInstance:
    rule: Rule
    key: str  # e.g. "S1[c=natural]", stable across runs
    bindings: dict[str, str]
    labels: dict[str, tuple[str, str]]  # var -> (zh, en) label of the bound id
    check: Comparison
    when: Comparison | None

    @property
    def forms(self) -> tuple[LinearForm, ...]:
        """Both sides of the check, and of the condition if there is one."""
        sides = (self.check.lhs, self.check.rhs)
        return (*sides, self.when.lhs, self.when.rhs) if self.when else sides

    @cached_property
    def cells(self) -> list[str]:
        """Current-year cells the instance reads, in order (computed once)."""
        return list(dict.fromkeys(c for f in self.forms for c in f.cells(prev=False)))

    @cached_property
    def uses_prev(self) -> bool:
        return any(f.uses_prev for f in self.forms)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    name_en: str
    severity: Severity
    tolerance: Decimal
    formula: bool
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    instances: list[RuleInstance] = field(default_factory=list, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Carry:
    """Cells a template is prefilled with from last year's return: (this year's cell, form of prev terms)."""

    id: str
    name: str
    name_en: str
    cells: tuple[tuple[str, LinearForm], ...]


@dataclass(frozen=True)
class Narrative:
    id: str
    name: str
    name_en: str
    severity: Severity
    patterns: tuple[re.Pattern[str], ...]
    exprs: tuple[LinearForm, ...]


@dataclass(frozen=True)
class Section:
    id: str
    kind: Literal["prose", "table"]
    heading: str | None
    heading_en: str
    label: str
    label_en: str
    table: str | None
    required: bool
    editable_heading: bool
    hint: str
    auto_text_zh: str | None
    auto_text_en: str | None
    auto_text_unless: str | None
    children: tuple[Section, ...]

    def walk(self) -> list[Section]:
        return [self] + [s for c in self.children for s in c.walk()]

    @property
    def body_cell(self) -> str:
        return f"{TEXT_TABLE}.{self.id}.body"

    @property
    def title_cell(self) -> str:
        return f"{TEXT_TABLE}.{self.id}.title"


@dataclass(frozen=True)
class Substance:
    """What a prose section must say to count as written (its ``substance:`` in the spec).

    ``placeholders`` and the words of ``must_mention`` are compared as :func:`zfxxgk.normalize.prose_key`
    folds them; ``when`` (a condition on cells) limits the policy to returns where it holds.
    """

    section: str
    placeholders: frozenset[str]
    min_length: int | None
    must_mention: tuple[tuple[str, ...], ...]
    when: Comparison | None
    reason_zh: str
    reason_en: str
    severity: Severity
    fix_zh: str
    fix_en: str


@dataclass(frozen=True)
class InfoField:
    """A fact of the 填报说明 sheet: ``value`` names ``{agency}``, ``{agency_code}``, ``{year}``, ``{spec_name}`` …"""

    id: str
    label: str
    label_en: str
    value: str
    value_en: str


@dataclass(frozen=True)
class Instruction:
    """One instruction line of the 填报说明 sheet."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True, eq=False)
class Spec:
    id: str
    version: str
    name: str
    name_en: str
    first_year: int
    last_year: int | None
    title: str
    hash: str
    source: str
    domains: dict[str, Domain]
    tables: dict[str, Table]
    cells: dict[str, Cell]
    rules: tuple[Rule, ...]
    narrative: tuple[Narrative, ...]
    sections: tuple[Section, ...]
    field_ids: tuple[str, ...]
    extends: tuple[str, ...]  # ancestry, nearest first
    computed_order: tuple[str, ...]  # computed cells, dependencies first
    defining: frozenset[str] = frozenset()  # keys of the rule instances whose right side is a cell's formula
    default: bool = False  # the spec used when none is named
    form_title: str = ""  # the 填报说明 sheet's title, ``{year}`` filled
    info_fields: tuple[InfoField, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    county: CountyFacts | None = None  # what a county compile writes beyond the sums (the ``county:`` key)
    carry_over: tuple[Carry, ...] = ()  # what a template is prefilled with from last year's return
    read_by_labels: bool = False  # hand-made workbooks are matched against this spec
    substance: Mapping[str, Substance] = field(default_factory=dict)  # by section id: what it must say

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    @property
    def grid_tables(self) -> list[Table]:
        return [t for t in self.tables.values() if t.kind == "grid"]

    @property
    def input_cells(self) -> list[Cell]:
        return [c for c in self.cells.values() if not c.computed]

    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    def report_title(self, agency: str, year: int | str) -> str:
        return self.title.replace("{agency}", agency).replace("{year}", str(year))

    def labels(self) -> set[str]:
        """Every row, column, caption and corner label of the statistical tables."""
        out: set[str] = set()
        for table in self.grid_tables:
            for block in table.blocks:
                out.update(x for x in (block.caption, block.corner) if x)
                for path in forest_paths(block.rows) + forest_paths(block.columns):
                    out.update(h.label for h in path)
        return out
