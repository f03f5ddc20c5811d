"""Checking stored uploads in worker processes (``spawn``: a forked pool kept the server's port bound)."""

from __future__ import annotations

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..check import check_file
from ..check.annotate import annotate
from ..check.present import as_json


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _number(value: object) -> int | str | None:
    """A stated number as JSON keeps it exactly (decimals as text)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return int(value) if isinstance(value, int) or value == value.to_integral_value() else str(value)


def check_stored(path: str, name: str, year: int, spec: str, lang: str) -> dict[str, Any]:
    """Check the stored file at ``path`` as if it were named ``name``: ``as_json``'s entry and the numbers."""
    result = check_file(name, year=year, spec=spec, lang=lang, data=Path(path).read_bytes())
    entry: dict[str, Any] = as_json([result])["files"][0]
    numbers = {k: n for k, v in result.values.items() if (n := _number(v)) is not None}
    return {"file": entry, "values": numbers}


def annotated_copy(path: str, name: str, year: int, spec: str, lang: str) -> bytes:
    """The annotated copy of a stored file, as ``zfxxgk check --annotate`` writes it."""
    result = check_file(name, year=year, spec=spec, lang=lang, data=Path(path).read_bytes())
    with tempfile.TemporaryDirectory(prefix="zfxxgk-serve-") as tmp:
        out = Path(tmp) / "annotated.xlsx"
        annotate(result, out, lang)
        return out.read_bytes()
