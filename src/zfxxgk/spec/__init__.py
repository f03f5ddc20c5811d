"""The form spec: one YAML file per format drives templates, reading, rules, reports and sums."""

from ..contract import defined_name
from .compiled import (
    INFO_SHEET,
    INFO_TABLE,
    META_SHEET,
    TEXT_SHEET,
    TEXT_TABLE,
    Block,
    Cell,
    Domain,
    Header,
    Narrative,
    Rule,
    RuleInstance,
    Section,
    Spec,
    Table,
)
from .expr import Comparison, LinearForm, Term
from .loader import DEFAULT_SPEC, SpecError, available_specs, load_spec

__all__ = [
    "DEFAULT_SPEC",
    "INFO_SHEET",
    "INFO_TABLE",
    "META_SHEET",
    "TEXT_SHEET",
    "TEXT_TABLE",
    "Block",
    "Cell",
    "Comparison",
    "Domain",
    "Header",
    "LinearForm",
    "Narrative",
    "Rule",
    "RuleInstance",
    "Section",
    "Spec",
    "SpecError",
    "Table",
    "Term",
    "available_specs",
    "defined_name",
    "load_spec",
]
