"""No format fact in Python: ids and official labels of the shipped specs live in workbook_templates/*.yaml.

A string literal anywhere under ``src/`` (f-string parts included, docstrings excepted: they document)
fails this test when it

* equals a table id or a spec id of a shipped spec, or contains a spec id;
* contains a cell id of a shipped spec (``t3.new.total``, ``text.other.body``);
* contains an official row or column label of a shipped spec's grid tables that is at least
  ``MIN_LABEL`` characters long (a label that is a placeholder, such as ``{agency}``, is none).

Why four characters: the official headers of up to three characters are everyday words that Python
may rightly use on its own (总计, 合计, 其他, 规章, 件数, 自然人); from four characters on a header is
the format's own wording (行政许可, 行政复议, 商业企业, 本年新制作数量), and no shorter header of the
shipped specs names anything a program needs to say.

The built-in form tables ``text`` and ``info`` (文字部分, 填报说明) are the program's own, not a format's,
so their table ids are not format facts; nor are the cells of ``info`` (the agency's name, contact and
phone, which no spec file defines). The cells of ``text`` are: the spec's report sections and fields
make them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from zfxxgk.spec import INFO_TABLE, TEXT_TABLE, available_specs, load_spec
from zfxxgk.spec.compiled import forest_paths

SRC = Path(__file__).resolve().parent.parent / "src"
MIN_LABEL = 4

# Offenders in modules other work is moving out of Python right now (issue 8: the county report's
# sentences and cell ids, the base specs a hand-made workbook is matched against, the reader's and
# the checker's agency cell). Each entry must still be there: remove it when its literal is gone.


@cache
def facts() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(exact ids, spec ids, cell ids, labels) of every shipped spec."""
    exact: set[str] = set()
    spec_ids: set[str] = set()
    cells: set[str] = set()
    labels: set[str] = set()
    for spec_id in available_specs():
        spec = load_spec(spec_id)
        spec_ids.add(spec.id)
        exact.update(t for t in spec.tables if t not in (TEXT_TABLE, INFO_TABLE))
        cells.update(c.id for c in spec.cells.values() if c.table != INFO_TABLE)
        for table in spec.grid_tables:
            for block in table.blocks:
                for path in forest_paths(block.rows) + forest_paths(block.columns):
                    labels.update(h.label for h in path if len(h.label) >= MIN_LABEL and "{" not in h.label)
    return frozenset(exact | spec_ids), frozenset(spec_ids), frozenset(cells), frozenset(labels)


def literals(tree: ast.AST) -> Iterator[str]:
    """Every string constant of a module except docstrings."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def offences(value: str) -> set[str]:
    exact, spec_ids, cells, labels = facts()
    found = {value} & exact
    found |= {s for s in spec_ids if s in value}
    found |= {c for c in cells if c in value}
    found |= {label for label in labels if label in value}
    return found


def offenders() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = {o for value in literals(tree) for o in offences(value)}
        if found:
            out[path.relative_to(SRC).as_posix()] = found
    return out


def test_no_format_fact_is_a_literal_in_python() -> None:
    assert offenders() == {}


def test_the_check_sees_each_kind_of_fact() -> None:
    tree = ast.parse('X = "t3"\nY = f"{a}t3.new.total"\nZ = "见national-2019"\nW = "按行政许可的件数"\n')
    seen = set().union(*(offences(v) for v in literals(tree)))
    assert {"t3", "t3.new.total", "national-2019", "行政许可"} <= seen
    assert offences("合计") == set() and offences("总计") == set()
    assert not list(literals(ast.parse('"""t3.new.total is documented."""\n')))
