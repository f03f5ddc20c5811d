"""The roster (花名册) of agencies: a CSV or Excel file with at least a 单位名称 column."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .messages import text
from .normalize import cell_text, name_key
from .read.package import Package
from .read.package_errors import PackageError
from .read.sheetxml import MAX_COLS, MAX_ROWS

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


Problem = tuple[str, dict[str, Any]]  # a ``roster.*`` catalogue key and the fields of its text


def problem(key: str, **fields: Any) -> Problem:
    """One problem of a roster: a ``roster.*`` catalogue key and what fills its text."""
    return key, fields


class RosterError(ValueError):
    """A roster that cannot be used; each problem names the row. ``str()`` is Chinese, :meth:`text` either."""

    def __init__(self, path: str | Path, problems: list[Problem]) -> None:
        self.path = str(path)
        self.issues = problems
        super().__init__(self.text())

    @property
    def problems(self) -> list[str]:
        """The problems in Chinese."""
        return self.lines()

    def lines(self, lang: str = "zh") -> list[str]:
        """The problems in ``lang``, one per line."""
        return [text(key, lang, **{k: _shown(v, lang) for k, v in fields.items()}) for key, fields in self.issues]

    def text(self, lang: str = "zh") -> str:
        """The file and its problems in ``lang``."""
        return f"{self.path}:\n" + "\n".join(f"  - {p}" for p in self.lines(lang))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.issues)


def _shown(value: object, lang: str) -> object:
    """A field of a problem as its text quotes it: a tuple of names listed, an empty one as "(none)"."""
    if not isinstance(value, tuple):
        return value
    return text("common.list-separator", lang).join(map(str, value)) or text("roster.header-empty", lang)


MAX_ROSTER_BYTES = 20 << 20  # a CSV roster of 200,000 agencies is about this size


def _rows(path: Path) -> list[list[str]]:
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterError(path, [problem("roster.too-large", limit=MAX_ROSTER_BYTES >> 20)])
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _workbook_rows(path, data)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise RosterError(path, [problem("roster.old-xls")])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(path, [problem("roster.unknown-encoding")])
    return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text))]


def _workbook_rows(path: Path, data: bytes) -> list[list[str]]:
    """The first sheet of an .xlsx roster, read as returns are: screened first, and bounded."""
    try:
        package = Package(data)
        if not package.sheets:
            raise PackageError("file-corrupt", "no sheets")
        first = package.sheets[0].name
        if package.xml(first).outside:
            raise RosterError(path, [problem("roster.workbook-too-large", last=package.xml(first).farthest, rows=MAX_ROWS, cols=MAX_COLS)])
        grid = package.grid(first)
    except PackageError as exc:
        raise RosterError(path, [problem("roster.unreadable-workbook", error=exc.detail)]) from exc
    return [[cell_text(v) for v in row] for row in grid]


def _head(text: str) -> str:
    return text.replace(" ", "").replace("*", "")


def _has_name_column(row: list[str]) -> bool:
    return any(_head(h) in COLUMNS["name"] for h in row)


def read_roster(path: str | Path) -> list[Agency]:
    """The agencies of a roster, in file order; :class:`RosterError` lists every problem by row."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(path, [problem("roster.no-file")])
    rows = _rows(path)
    first = next((n for n, row in enumerate(rows) if any(row)), None)
    if first is None:
        raise RosterError(path, [problem("roster.empty")])
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
        columns = tuple(h for h in header if h)
        raise RosterError(path, [problem("roster.no-name-column", row=head_at + 1, columns=columns)])
    body = rows[head_at + 1 :]
    while body and not any(body[-1]):
        body.pop()  # trailing empty rows, as spreadsheets often leave them
    problems: list[Problem] = []
    agencies: list[Agency] = []
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}

    def get(row: list[str], key: str) -> str:
        k = index.get(key)
        return row[k] if k is not None and k < len(row) else ""

    for n, row in enumerate(body, start=head_at + 2):
        name = get(row, "name")
        if not any(row):
            problems.append(problem("roster.empty-row", row=n))
            continue
        if not name:
            problems.append(problem("roster.no-name", row=n))
            continue
        key = name_key(name)  # as agencies are matched: two names that compare equal are one agency
        if key in seen_names:
            problems.append(problem("roster.duplicate-name", row=n, name=name, first=seen_names[key]))
            continue
        seen_names[key] = n
        code = get(row, "code")
        if code:
            if code in seen_codes:
                problems.append(problem("roster.duplicate-code", row=n, code=code, first=seen_codes[code]))
                continue
            seen_codes[code] = n
        agencies.append(Agency(name=name, code=code, contact=get(row, "contact"), phone=get(row, "phone")))
    if problems:
        raise RosterError(path, problems)
    if not agencies:
        raise RosterError(path, [problem("roster.no-agencies")])
    return agencies
