"""The roster (花名册) of agencies: a CSV or Excel file with at least a 单位名称 column."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from .normalize import cell_text, name_key

log = logging.getLogger(__name__)

COLUMNS = {
    "name": ("单位名称", "单位全称", "单位", "名称", "机构名称", "部门名称", "编制主体"),
    "code": ("统一社会信用代码", "单位编码", "信用代码", "编码", "代码"),
    "contact": ("联系人",),
    "phone": ("联系电话", "电话", "手机", "手机号码"),
}


@dataclass(frozen=True)
class Agency:
    """One 编制主体 as the roster names it."""

    name: str = ""
    code: str = ""
    contact: str = ""
    phone: str = ""


class RosterError(ValueError):
    """A roster that cannot be used; each problem names the row."""

    def __init__(self, path: str | Path, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}:\n" + "\n".join(f"  - {p}" for p in problems))


def _rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:
            raise RosterError(path, [f"无法读取这个 Excel 文件 / cannot read the workbook: {exc}"]) from exc
        return [[cell_text(v) for v in row] for row in sheet]
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise RosterError(
            path,
            ["这是旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 .csv / an old .xls file: save it as .xlsx or .csv"],
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(path, ["无法识别文件编码，请另存为 UTF-8 的 CSV 或 .xlsx / unknown text encoding"])
    return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text))]


def _head(text: str) -> str:
    return text.replace(" ", "").replace("*", "")


def _has_name_column(row: list[str]) -> bool:
    return any(_head(h) in COLUMNS["name"] for h in row)


def read_roster(path: str | Path) -> list[Agency]:
    """The agencies of a roster, in file order; :class:`RosterError` lists every problem by row."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(path, ["文件不存在 / no such file"])
    rows = _rows(path)
    first = next((n for n, row in enumerate(rows) if any(row)), None)
    if first is None:
        raise RosterError(path, ["花名册是空的 / the roster is empty"])
    # The header is the first row naming the 单位名称 column; a title row above it is common.
    head_at = next((n for n in range(first, min(first + 10, len(rows))) if _has_name_column(rows[n])), first)
    header = [_head(h) for h in rows[head_at]]
    index: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in header:
                index[key] = header.index(name)
                break
    if "name" not in index:
        shown = "、".join(h for h in header if h) or "（空）"
        raise RosterError(
            path,
            [
                f"第{head_at + 1}行是表头，但没有“单位名称”列（现有：{shown}） / "
                f"row {head_at + 1} is the header but has no 单位名称 column"
            ],
        )
    body = rows[head_at + 1 :]
    while body and not any(body[-1]):
        body.pop()  # trailing empty rows, as spreadsheets often leave them
    problems: list[str] = []
    agencies: list[Agency] = []
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}

    def get(row: list[str], key: str) -> str:
        k = index.get(key)
        return row[k] if k is not None and k < len(row) else ""

    for n, row in enumerate(body, start=head_at + 2):
        name = get(row, "name")
        if not any(row):
            problems.append(f"第{n}行是空行，请删除 / row {n} is empty: delete it")
            continue
        if not name:
            problems.append(f"第{n}行没有填单位名称 / row {n} has no 单位名称")
            continue
        key = name_key(name)  # as agencies are matched: two names that compare equal are one agency
        if key in seen_names:
            problems.append(
                f"第{n}行的单位名称“{name}”与第{seen_names[key]}行重复 / "
                f"row {n} repeats the name on row {seen_names[key]}"
            )
            continue
        seen_names[key] = n
        code = get(row, "code")
        if code:
            if code in seen_codes:
                problems.append(
                    f"第{n}行的单位编码“{code}”与第{seen_codes[code]}行重复 / "
                    f"row {n} repeats the code on row {seen_codes[code]}"
                )
                continue
            seen_codes[code] = n
        agencies.append(Agency(name=name, code=code, contact=get(row, "contact"), phone=get(row, "phone")))
    if problems:
        raise RosterError(path, problems)
    if not agencies:
        raise RosterError(path, ["花名册只有表头，没有单位 / the roster has no agencies"])
    return agencies
