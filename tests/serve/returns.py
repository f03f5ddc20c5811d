"""Returns for the serve tests, built from scratch: a consistent workbook and one that breaks S1."""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers import filled_template
from zfxxgk.spec import load_spec

BROKEN_CELL = "t3.new.natural"  # one more request received than handled: S1 (第一项加第二项…) fails


def workbook(agency: str, seed: int = 0, broken: bool = False, year: int = 2025) -> tuple[bytes, dict[str, object]]:
    """(the .xlsx bytes, the values written) of a filled template for ``agency``."""
    spec = load_spec("national-2021")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        values = filled_template(path, spec, year=year, seed=seed, agency=agency)
        if broken:
            values = filled_template(path, spec, year=year, seed=seed, agency=agency,
                                     extra={BROKEN_CELL: int(values[BROKEN_CELL]) + 3})  # type: ignore[call-overload]  # fmt: skip
        return path.read_bytes(), values


def warning_workbook(agency: str) -> tuple[bytes, bytes]:
    """Two returns whose prose quotes a wrong number of requests: in one section, then in another."""
    spec = load_spec("national-2021")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for cell in ("text.overview_active.body", "text.other.body"):
            path = Path(tmp) / "w.xlsx"
            filled_template(path, spec, agency=agency, extra={cell: "本年度收到政府信息公开申请9999件。"})
            out.append(path.read_bytes())
    return out[0], out[1]
