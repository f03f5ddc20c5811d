"""zfxxgk — 政府信息公开工作年度报告：模板生成、校验、报告与汇总。

The public API (what the command line and any other front end call)::

    from zfxxgk import check_file, check_files, publish, compile_county, rollup_units, write_template, write_for_roster

Each name is imported on first use, so ``import zfxxgk`` stays cheap.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())  # a library stays silent unless asked

_API = {
    "check_file": "check.file",
    "CheckResult": "check.file",
    "check_files": "check.batch",
    "CheckBatch": "check.batch",
    "publish": "report.publish",
    "PublishResult": "report.publish",
    "PublishError": "report.publish",
    "compile_county": "county.compile",
    "CompileResult": "county.compile",
    "CompileError": "county.compile",
    "rollup_units": "county.rollup",
    "RollupError": "county.rollup",
    "write_template": "template.writer",
    "write_for_roster": "template.roster_batch",
    "TemplateError": "template.roster_batch",
    "load_spec": "spec",
    "read_roster": "roster",
}

if TYPE_CHECKING:
    from .check import CheckResult, check_file
    from .check.batch import CheckBatch, check_files
    from .county.compile import CompileError, CompileResult, compile_county
    from .county.rollup import RollupError, rollup_units
    from .report.publish import PublishError, PublishResult, publish
    from .roster import read_roster
    from .spec import load_spec
    from .template.roster_batch import TemplateError, write_for_roster
    from .template.writer import write_template

__all__ = [
    "CheckBatch",
    "CheckResult",
    "CompileError",
    "CompileResult",
    "PublishError",
    "PublishResult",
    "RollupError",
    "TemplateError",
    "__version__",
    "check_file",
    "check_files",
    "compile_county",
    "load_spec",
    "publish",
    "read_roster",
    "rollup_units",
    "write_for_roster",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
