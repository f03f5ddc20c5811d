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
    ("normalize.py", "_DIGITS"): "Chinese numerals, read in input cells and prose (零 … 九)",
    ("normalize.py", "_UNITS_CN"): "Chinese numeral units (十 百 千)",
    ("normalize.py", "_MYRIAD"): "the Chinese numeral section units (万 亿)",
    ("normalize.py", "_FORMAL"): "the formal Chinese numerals (壹贰叁 … 拾佰仟) and their plain forms",
    ("normalize.py", "_ZERO"): "the Chinese numerals for zero (零 〇)",
    ("normalize.py", "_TWO"): "the colloquial Chinese numeral two (两)",
    ("normalize.py", "_TEN"): "the Chinese numeral unit ten (十), alone at the start meaning 一十",
    ("normalize.py", "_MONEY"): "money units folded when a number is parsed (元, 万元)",
    ("normalize.py", "_UNIT_NOTE"): "the pattern of a unit note ending a label ((单位：万元), (件))",
    ("normalize.py", "_BRACKETS"): "full-width brackets and punctuation folded when labels are compared",
    ("normalize.py", "_NUMBERING"): "the pattern of a label's numbering (1、)",
    ("normalize.py", "cell_text"): "normalisation of a cell's text: the full-width space (U+3000) is stripped",
    ("read/labels.py", "_REMARK"): "the pattern of a remark after a label ((注：…))",
    ("read/workbook.py", "_YEAR"): "the pattern of a year in a hand-made workbook's title (2025年)",
    ("read/workbook.py", "_TITLE"): "the pattern of a hand-made workbook's title (…年度政府信息公开…)",
    ("audit/prose.py", "_TITLE"): "the pattern of a published report's title (…2023年政府信息公开工作年度报告)",
    ("audit/prose.py", "MARK"): "the punctuation after a heading's numeral (一、)",
    ("audit/prose.py", "NUMBERINGS"): "the patterns of a heading's numbering (一、 （一） 第一部分)",
    ("audit/prose.py", "_END"): "the punctuation that ends a heading's words in running text (。，)",
    ("audit/documents.py", "_PAGE_NUMBER"): "the pattern of a PDF page's page number line (第3页 共5页)",
    ("spec/rules.py", "NUMBER_PATTERN"): "the spec's pattern of a number in the text (Arabic or Chinese numerals)",
    ("county/gather.py", "county_name"): "the characters that end a county's name (县 区 市 旗 州 盟)",
    ("county/match.py", "_OWN_LEVEL"): "the pattern of the 本级 / （本级） ending of an agency's name",
    ("roster.py", "COLUMNS"): "the column headings a roster is read by (单位名称 …)",
    ("libreoffice.py", "FONT_FALLBACKS"): "font family names of the 公文 fonts and their substitutes",
    ("report/word.py", "TITLE_FONT"): "a font family name",
    ("report/word.py", "BODY_FONT"): "a font family name",
    ("report/word.py", "H1_FONT"): "a font family name",
    ("report/word.py", "H2_FONT"): "a font family name",
    ("report/word.py", "NUMBER_FONT"): "a font family name",
    ("template/formats.py", "Formats"): "a font family name (宋体)",
    ("county/sheets/common.py", "Formats"): "a font family name (宋体)",
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


def test_no_inline_chinese_under_src() -> None:
    assert _census() == {}, "move these texts into src/zfxxgk/messages/*.yaml"


def test_every_allowed_table_exists_and_holds_chinese() -> None:
    """The allowlist stays honest: each entry names a top-level definition that still has CJK literals."""
    for path, name in ALLOWED:
        tree = ast.parse((SRC / path).read_text(encoding="utf-8"))
        statements = [st for st in tree.body if _top_name(st) == name]
        assert statements, (path, name)
        assert any(CJK.search(lit) for st in statements for lit in _literals(st, _docstrings(tree))), (path, name)


def test_the_census_sees_literals_but_not_docstrings_comments_or_tables() -> None:
    source = '''"""模块说明。"""
# 注释
_DIGITS = ("无", "没有")


def f(x):
    """函数说明。"""
    label = "合计" + f"第{x}行"
    return label, "plain", b"bytes"


class C:
    """类说明。"""

    heading = "标题"
'''
    assert offenders(source, "normalize.py") == [("f", "合计"), ("f", "第行"), ("C", "标题")]
    assert offenders(source, "elsewhere.py")[0] == ("_DIGITS", "无")
