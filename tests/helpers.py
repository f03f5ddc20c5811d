"""Test helpers: value strategies per domain, filling and reading workbooks with the real libraries."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

from zfxxgk.check import CheckResult
from zfxxgk.figures import consistent_figures, inputs_only, seeded
from zfxxgk.read.package import Package
from zfxxgk.read.workbook import read_meta
from zfxxgk.spec import Cell, Spec
from zfxxgk.template.plan import workbook_plan

ROOT = Path(__file__).resolve().parent.parent
QINGHE = ROOT / "examples" / "qinghe-2022"
QINGHE_WORKBOOK = QINGHE / "清河县行政审批局_2022年度政府信息公开年报.xlsx"
DEMO = ROOT / "examples" / "county-demo"


def codes(result: CheckResult) -> list[str]:
    """The finding codes of a check, sorted."""
    return sorted(f.code for f in result.findings)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grid_inputs(spec: Spec) -> list[Cell]:
    return [c for c in spec.input_cells if c.table in spec.tables and spec.tables[c.table].kind == "grid"]


def valid_value(cell: Cell) -> st.SearchStrategy[Any]:
    d = cell.domain
    if d.kind == "integer":
        return st.integers(int(d.min) if d.min is not None else -500, 500)
    if d.kind == "decimal":
        return st.decimals(min_value=0, max_value=9999, places=d.decimals or 0).map(lambda x: float(x))
    return st.text(max_size=30)


def hostile_value(cell: Cell) -> st.SearchStrategy[Any]:
    """Values a person or a paste can put into a cell despite validation."""
    return st.one_of(
        valid_value(cell),
        st.none(),
        st.integers(-50, -1),
        st.floats(0.01, 99.99).map(lambda x: round(x, 3)),
        st.sampled_from(["12件", "无", "-", "/", "—", "１２", "1,200", " 7 ", "abc", "=1+1"]),
    )


def fill_strategy(spec: Spec, hostile: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    cells = grid_inputs(spec)
    make = hostile_value if hostile else valid_value
    return st.fixed_dictionaries({c.id: make(c) for c in cells})


def fill_with_openpyxl(template: Path, values: Mapping[str, Any], out: Path) -> None:
    """Type values into a template as a script would (openpyxl keeps formulas, drops stored results)."""
    _, spec_positions = read_meta(Package(template.read_bytes()))
    wb = openpyxl.load_workbook(template)
    for cell_id, value in values.items():
        sheet, addr = spec_positions[cell_id]
        cell = wb[sheet][addr]
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # never a formula, even "=1+1"
        else:
            cell.value = value
    wb.save(out)


def stored_values(path: Path, spec: Spec) -> dict[str, Any]:
    """Stored (cached) value of every cell id, by the spec's plan."""
    plan = workbook_plan(spec)
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for cell_id, (sheet, r, c) in plan.positions.items():
        out[cell_id] = wb[sheet].cell(row=r + 1, column=c + 1).value
    return out


def as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, str):
        return None
    return Decimal(str(value))


def consistent_values(spec: Spec, draw: Any = None, seed: int = 0, size: int = 9) -> dict[str, Any]:
    """Input and total values that satisfy every current-year rule of the spec (``zfxxgk.figures``).

    ``draw`` is a ``(lo, hi) -> int`` callable (a hypothesis draw); without it a generator seeded
    with ``seed`` is used. Amounts are whole numbers, as the tests' expectations assume.
    """
    return consistent_figures(spec, draw or seeded(seed), size=size, whole=True)


PROSE = {
    "text.overview_active.body": "本年度主动公开政府信息，及时更新政府信息公开专栏。",
    "text.problems.body": "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。",
    "text.other.body": "本年度无其他需要报告的事项。",
}


def filled_template(
    path: Path,
    spec: Spec,
    year: int = 2025,
    seed: int = 0,
    agency: str = "测试县测试局",
    extra: Mapping[str, Any] | None = None,
    code: str = "C1",
) -> dict[str, Any]:
    """Write a template filled with consistent figures and some prose; return the values used."""
    from zfxxgk.roster import Agency
    from zfxxgk.template.writer import build_template

    values = consistent_values(spec, seed=seed)
    fill = {**inputs_only(spec, values), **(PROSE if "text.problems.body" in spec.cells else {}), **(extra or {})}
    path.write_bytes(build_template(spec, year, Agency(name=agency, code=code), prefill=fill))
    return {**values, **fill}


def patch_part(path: Path, part: str, old: bytes, new: bytes, count: int = 1) -> None:
    """Replace bytes inside one part of a zip package (as a careless tool or a person with a zip tool would)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in items:
            if info.filename == part:
                assert old in body, (part, old)
                body = body.replace(old, new, count)
            z.writestr(info, body)


def set_cells(path: Path, out: Path, edits: Mapping[tuple[str, str], Any]) -> None:
    """Open with openpyxl, set (sheet, A1) cells, save elsewhere (stored formula results are lost)."""
    wb = openpyxl.load_workbook(path)
    for (sheet, a1), value in edits.items():
        wb[sheet][a1].value = value
    wb.save(out)


def where(spec: Spec, cell_id: str) -> tuple[str, str]:
    """(sheet, A1) of a cell id in a template of this spec."""
    plan = workbook_plan(spec)
    return plan.positions[cell_id][0], plan.address(cell_id)


def zip_without_utf8_flag(path: Path, members: dict[str, bytes], encoding: str) -> None:
    """A zip whose entry names are in ``encoding`` and not flagged as UTF-8 (Chinese Windows: gbk)."""
    import zipfile

    class Named(zipfile.ZipInfo):
        __slots__ = ()

        def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own hook
            return self.filename.encode(encoding), 0

    with zipfile.ZipFile(path, "w") as zf:
        for name, body in members.items():
            zf.writestr(Named(name), body)
