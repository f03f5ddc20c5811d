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
from ..messages import LANGS


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _number(value: object) -> int | str | None:
    """A stated number as JSON keeps it exactly (decimals as text)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return int(value) if isinstance(value, int) or value == value.to_integral_value() else str(value)


def check_stored(path: str, name: str, year: int, spec: str, lang: str) -> dict[str, Any]:
    """Check the stored file at ``path`` as if it were named ``name``: ``as_json``'s entry and the numbers,
    and the entry in the other languages when there are findings (pages follow each user's language)."""
    data = Path(path).read_bytes()
    result = check_file(name, year=year, spec=spec, lang=lang, data=data)
    entry: dict[str, Any] = as_json([result])["files"][0]
    numbers = {k: n for k, v in result.values.items() if (n := _number(v)) is not None}
    other = {}
    if result.findings:
        for more in (x for x in LANGS if x != lang):
            other[more] = as_json([check_file(name, year=year, spec=spec, lang=more, data=data)])["files"][0]
    return {"file": entry, "values": numbers, "other": other}


def annotated_copy(path: str, name: str, year: int, spec: str, lang: str) -> bytes:
    """The annotated copy of a stored file, as ``zfxxgk check --annotate`` writes it."""
    result = check_file(name, year=year, spec=spec, lang=lang, data=Path(path).read_bytes())
    with tempfile.TemporaryDirectory(prefix="zfxxgk-serve-") as tmp:
        out = Path(tmp) / "annotated.xlsx"
        annotate(result, out, lang)
        return out.read_bytes()
