"""The template stage: the official layout, the workbook plan, spreadsheet formulas and the XlsxWriter writer.

The writer is imported on first use, so that reading a plan (as the reader and the checker do) never
loads the writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .plan import cell_map, workbook_plan

if TYPE_CHECKING:
    from .writer import build_template, write_template

__all__ = ["build_template", "cell_map", "workbook_plan", "write_template"]


def __getattr__(name: str) -> Any:
    if name in ("build_template", "write_template"):
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
