"""The form spec: one YAML file per format drives templates, reading, rules, reports and sums."""

from ..contract import defined_name
from .compiled import (
    INFO_SHEET,
    INFO_TABLE,
    META_SHEET,
    TEXT_SHEET,
    TEXT_TABLE,
    Block,
    Carry,
    Cell,
    Domain,
    Header,
    InfoField,
    Instruction,
    Narrative,
    Rule,
    RuleInstance,
    Section,
    Spec,
    Table,
)
from .errors import SpecError
from .expr import Comparison, LinearForm, Term
from .files import available_specs, default_spec_id
from .loader import load_spec

__all__ = [
    "DEFAULT_SPEC",
    "INFO_SHEET",
    "INFO_TABLE",
    "META_SHEET",
    "TEXT_SHEET",
    "TEXT_TABLE",
    "Block",
    "Carry",
    "Cell",
    "Comparison",
    "Domain",
    "Header",
    "InfoField",
    "Instruction",
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
    "default_spec_id",
    "defined_name",
    "load_spec",
]


def __getattr__(name: str) -> str:
    """``DEFAULT_SPEC``: the id of the spec that says ``default: true`` (see :func:`default_spec_id`)."""
    if name == "DEFAULT_SPEC":
        return default_spec_id()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
