"""``compile``: every returned file of a county checked, matched to the roster, summed and reported.

Pipeline: inputs -> sources (files, folders, zip entries) -> ``checking`` in worker processes
(``pool``: a worker that dies, hangs or runs out of memory costs only its file) -> outcomes in a
temporary SQLite ``store`` (a file checked before comes from the ``cache``) -> ``match``\\ ed to the roster (the latest submission counts: ``versions``)
and summed (``gather``; the 报送情况 rows and notes: ``rows``) ->
汇总.xlsx (``workbook`` and ``sheets/``: 报送情况, 问题清单, 汇总表, 明细, 图表), the county
``report``, the long CSV (``longtable``) and the columnar results (``export`` into the schema of
``results``; :func:`read_results` reads them as pandas DataFrames). ``compile.compile_county`` does all of it
in one call; ``rollup.rollup_units`` rolls compiled counties up into a city, cities into a province.
Nothing is lost: every source becomes a row of 报送情况.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .compile import CompileError, CompileResult, compile_county
from .gather import county_name, gather
from .longtable import long_csv, write_csv
from .model import INCLUDED, STATUS_KEYS, County, Row, status_labels
from .rollup import RollupError, rollup_units
from .store import Number, Outcome

if TYPE_CHECKING:
    from .results import Results, ResultsWriter, read_results

_LAZY = {"Results", "ResultsWriter", "read_results"}  # from .results: pyarrow is imported only when used


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "INCLUDED",
    "STATUS_KEYS",
    "CompileError",
    "CompileResult",
    "County",
    "Number",
    "Outcome",
    "Results",
    "ResultsWriter",
    "RollupError",
    "Row",
    "compile_county",
    "county_name",
    "gather",
    "long_csv",
    "read_results",
    "rollup_units",
    "status_labels",
    "write_csv",
]
