"""No user-facing text inline in Python: Chinese belongs in the message catalogue (``messages/*.yaml``).

A string literal under ``src/`` with a CJK character (ideographs, CJK punctuation, full-width forms) is an
offender unless it is a docstring or it sits in a table of data listed in :data:`ALLOWED`. Comments are
not literals, so they never count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import zfxxgk

SRC = Path(zfxxgk.__file__).parent
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Tables of data, not messages: (file under src/zfxxgk, top-level name the literals belong to) -> why.
ALLOWED = {
    ("read/values.py", "_DIGITS"): "Chinese numerals, read in input cells (零 … 九)",
    ("read/values.py", "_UNITS_CN"): "Chinese numeral units, read in input cells (十 百 千)",
    ("read/values.py", "chinese_number"): "the Chinese numeral parser (万, 零/〇)",
    ("read/values.py", "ZERO_WORDS"): "words read as nothing in an input cell (无, 没有 …)",
    ("read/values.py", "UNITS"): "units recognised after a number in an input cell (件, 万元 …)",
    ("read/labels.py", "_BRACKETS"): "full-width brackets and punctuation folded when labels are compared",
    ("read/labels.py", "_NUMBERING"): "the pattern of a label's numbering (1、)",
    ("read/labels.py", "_NOTE"): "the pattern of a unit note in a label ((单位：件))",
    ("read/workbook.py", "_YEAR"): "the pattern of a year in a hand-made workbook's title (2025年)",
    ("read/workbook.py", "_TITLE"): "the pattern of a hand-made workbook's title (…年度政府信息公开…)",
    ("check/narrative.py", "quoted_number"): "a number quoted in the text: the full-width comma is folded",
    ("spec/loader.py", "NUMBER_PATTERN"): "the spec's pattern of a number in the text (Arabic or Chinese numerals)",
    ("roster.py", "COLUMNS"): "the column headings a roster is read by (单位名称 …)",
    ("roster.py", "clean"): "normalisation of roster cells: the full-width space (U+3000) is stripped",
    ("libreoffice.py", "FONT_FALLBACKS"): "font family names of the 公文 fonts and their substitutes",
    ("report/word.py", "TITLE_FONT"): "a font family name",
    ("report/word.py", "BODY_FONT"): "a font family name",
    ("report/word.py", "H1_FONT"): "a font family name",
    ("report/word.py", "H2_FONT"): "a font family name",
    ("report/word.py", "NUMBER_FONT"): "a font family name",
    ("template/writer.py", "_Formats"): "a font family name (宋体)",
}

# Files whose texts other work of issue 8 is moving into the catalogue at the same time (the CLI and the
# county compile to cli.yaml/county.yaml, the reader and file checks, the spec, the template and the
# report): the number of offending literals each may still hold. A file not listed may hold none, and a
# listed file no more than its count; lower a count (or drop the file) as its texts move.
PENDING = {
    "check/file.py": 17,
    "cli.py": 91,
    "county/__init__.py": 20,
    "county/match.py": 6,
    "county/report.py": 8,
    "county/workbook.py": 68,
    "read/intake.py": 15,
    "read/package.py": 1,
    "read/sources.py": 2,
    "read/values.py": 13,
    "read/workbook.py": 6,
    "report/__init__.py": 1,
    "report/model.py": 1,
    "spec/compiled.py": 2,
    "spec/expr.py": 12,
    "spec/loader.py": 69,
    "spec/models.py": 3,
    "template/formulas.py": 7,
    "template/layout.py": 1,
    "template/plan.py": 8,
    "template/writer.py": 40,
}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes: the first statement of a module, class or function, if a string."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _top_name(statement: ast.stmt) -> str:
    """The name a top-level statement defines (a function, a class, an assigned constant), or ""."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return statement.name
    targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if len(names) == 1 else ""


def _literals(node: ast.AST, skip: set[int]) -> list[str]:
    """The string literals under ``node``; an f-string is one literal, its text parts joined."""
    out: list[str] = []
    for child in ast.walk(node):
        if isinstance(child, ast.JoinedStr):
            parts = [v for v in child.values if isinstance(v, ast.Constant)]
            skip.update(id(v) for v in parts)
            out.append("".join(str(v.value) for v in parts))
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and id(child) not in skip:
            out.append(child.value)
    return out


def offenders(source: str, path: str) -> list[tuple[str, str]]:
    """(top-level name, literal) of every string literal of ``source`` with CJK text, docstrings and
    allowed tables aside."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for statement in tree.body:
        name = _top_name(statement)
        if (path, name) in ALLOWED:
            continue
        found += [(name, s) for s in _literals(statement, set(skip)) if CJK.search(s)]
    return found


def _census() -> dict[str, list[tuple[str, str]]]:
    out = {}
    for file in sorted(SRC.rglob("*.py")):
        path = file.relative_to(SRC).as_posix()
        if found := offenders(file.read_text(encoding="utf-8"), path):
            out[path] = found
    return out


def test_no_inline_chinese_outside_the_pending_files() -> None:
    census = _census()
    strays = {path: found for path, found in census.items() if path not in PENDING}
    assert strays == {}, "move these texts into src/zfxxgk/messages/*.yaml"
    over = {path: len(found) for path, found in census.items() if len(found) > PENDING.get(path, 0)}
    assert over == {}, {path: census[path] for path in over}


def test_allowed_tables_and_pending_files_exist() -> None:
    for path, _ in ALLOWED:
        assert (SRC / path).is_file(), path
    for path in PENDING:
        assert (SRC / path).is_file(), path


def test_the_census_sees_literals_but_not_docstrings_comments_or_tables() -> None:
    source = '''"""模块说明。"""
# 注释
ZERO_WORDS = ("无", "没有")


def f(x):
    """函数说明。"""
    label = "合计" + f"第{x}行"
    return label, "plain", b"bytes"


class C:
    """类说明。"""

    heading = "标题"
'''
    assert offenders(source, "read/values.py") == [("f", "合计"), ("f", "第行"), ("C", "标题")]
    assert offenders(source, "elsewhere.py")[0] == ("ZERO_WORDS", "无")
