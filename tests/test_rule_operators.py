"""Strict inequalities and tolerances in rules: a variant of national-2021 adds rules with ``<``, ``>`` and
``tolerance``, and each is tested on both sides of its boundary, in the checker and in the template's
live check cells.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import consistent_values, inputs_only
from zfxxgk.check.file import check_file
from zfxxgk.check.rules import rule_findings
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec, load_spec
from zfxxgk.template.formulas import BAD_TEXT, OK_TEXT
from zfxxgk.template.plan import workbook_plan
from zfxxgk.template.writer import build_template

VARIANT = """
id: operators
extends: national-2021
rules:
  - id: X1
    name: 强制少于处罚
    severity: error
    assert: t2.coercion.decisions < t2.penalty.decisions
    message: {zh: "强制{lhs}不少于处罚{rhs}", en: "coercion {lhs} is not below penalties {rhs}"}
    fix: {zh: 核对, en: check}
  - id: X2
    name: 许可多于处罚
    severity: error
    assert: t2.license.decisions > t2.penalty.decisions
    message: {zh: "许可{lhs}不多于处罚{rhs}", en: "licences {lhs} not above penalties {rhs}"}
    fix: {zh: 核对, en: check}
  - id: X3
    name: 收费金额不超过十万元（容差0.5）
    severity: error
    tolerance: 0.5
    assert: t2.fees.amount <= 10
    message: {zh: "收费{lhs}超过{rhs}", en: "fees {lhs} above {rhs}"}
    fix: {zh: 核对, en: check}
  - id: X4
    name: 实收与通知金额相差不超过1元
    severity: error
    tolerance: 1
    assert: text.fee_collected.value = text.fee_billed.value
    message: {zh: "实收{lhs}与通知{rhs}相差过多", en: "collected {lhs} far from billed {rhs}"}
    fix: {zh: 核对, en: check}
  - id: X5
    name: 通知金额至少100元（容差0.01）
    severity: error
    tolerance: 0.01
    assert: text.fee_billed.value >= 100
    message: {zh: "通知金额{lhs}不足{rhs}", en: "billed {lhs} below {rhs}"}
    fix: {zh: 核对, en: check}
  - id: X6
    name: 处罚多于强制（严格，容差1）
    severity: error
    tolerance: 1
    assert: t2.penalty.decisions > t2.coercion.decisions
    message: {zh: "处罚{lhs}，强制{rhs}", en: "penalties {lhs}, coercion {rhs}"}
    fix: {zh: 核对, en: check}
"""

BASE = {
    "t2.coercion.decisions": 3,
    "t2.penalty.decisions": 4,
    "t2.license.decisions": 5,
    "t2.fees.amount": Decimal("10.00"),
    "text.fee_notices.value": 2,
    "text.fee_billed.value": Decimal("100.00"),
    "text.fee_collected.value": Decimal("100.00"),
}
"""Every added rule holds, X4 and X5 at their exact bound; each case moves figures to one side of a boundary."""

CASES = [
    # X1  coercion < penalty, strict; X6  penalty > coercion, strict but within 1
    ({"t2.coercion.decisions": 3}, set()),
    ({"t2.coercion.decisions": 4}, {"X1"}),  # equal is not less; X6: 4 - 4 = 0 > -1 holds
    ({"t2.coercion.decisions": 5}, {"X1", "X6"}),  # X6: 4 - 5 = -1 is not > -1
    # X2  licence > penalty, strict
    ({"t2.license.decisions": 4}, {"X2"}),  # equal is not more
    ({"t2.license.decisions": 3}, {"X2"}),
    # X3  fees <= 10 within 0.5
    ({"t2.fees.amount": Decimal("10.50")}, set()),
    ({"t2.fees.amount": Decimal("10.51")}, {"X3"}),
    # X4  collected = billed within 1 (either way); collected above billed also breaks F3 (a warning)
    ({"text.fee_collected.value": Decimal("99.00")}, set()),
    ({"text.fee_collected.value": Decimal("98.99")}, {"X4"}),
    ({"text.fee_collected.value": Decimal("101.00")}, {"F3"}),
    ({"text.fee_collected.value": Decimal("101.01")}, {"X4", "F3"}),
    # X5  billed >= 100 within 0.01 (and X4 then compares collected 100 with the new billed)
    ({"text.fee_billed.value": Decimal("99.99"), "text.fee_collected.value": Decimal("99.99")}, set()),
    ({"text.fee_billed.value": Decimal("99.98"), "text.fee_collected.value": Decimal("99.98")}, {"X5"}),
]


@pytest.fixture(scope="module")
def variant_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "operators.yaml"
    path.write_text(textwrap.dedent(VARIANT), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def variant(variant_path: Path) -> Spec:
    return load_spec(str(variant_path))


def figures(spec: Spec, edits: dict[str, Any]) -> dict[str, Any]:
    return {**consistent_values(spec, seed=11), **BASE, **edits}


def fired(spec: Spec, values: dict[str, Any]) -> set[str]:
    plan = workbook_plan(spec)
    return {f.code for f in rule_findings(spec, values, lambda c: (plan.positions[c][0], plan.address(c)))}


def test_the_added_rules_are_loaded_with_their_operators_and_tolerances(variant: Spec) -> None:
    added = {r.id: r for r in variant.rules if r.id.startswith("X")}
    assert {k: (r.instances[0].check.op, r.tolerance) for k, r in added.items()} == {
        "X1": ("<", Decimal(0)),
        "X2": (">", Decimal(0)),
        "X3": ("<=", Decimal("0.5")),
        "X4": ("=", Decimal(1)),
        "X5": (">=", Decimal("0.01")),
        "X6": (">", Decimal(1)),
    }


def test_the_base_figures_pass_every_rule(variant: Spec) -> None:
    assert fired(variant, figures(variant, {})) == set()


@pytest.mark.parametrize(("edits", "expected"), CASES, ids=[str(e) for e, _ in CASES])
def test_each_side_of_each_boundary(variant: Spec, edits: dict[str, Any], expected: set[str]) -> None:
    assert fired(variant, figures(variant, edits)) == expected


@pytest.mark.parametrize(
    ("edits", "expected"),
    [({}, set()), ({"t2.coercion.decisions": 5, "t2.fees.amount": Decimal("10.51")}, {"X1", "X3", "X6"})],
    ids=["passing", "failing"],
)
def test_check_file_and_the_templates_check_cells_agree(
    tmp_path: Path, variant: Spec, variant_path: Path, edits: dict[str, Any], expected: set[str]
) -> None:
    fill = {**inputs_only(variant, figures(variant, edits)), "text.problems.body": "问题。", "text.other.body": "无。"}
    fill["text.overview_active.body"] = "概述。"
    path = tmp_path / "r.xlsx"
    path.write_bytes(build_template(variant, 2025, Agency(name="测试局"), prefill=fill))
    result = check_file(path, spec=str(variant_path))
    assert {f.code for f in result.findings if f.code.startswith("X")} == expected
    plan = workbook_plan(variant)
    wb = openpyxl.load_workbook(path, data_only=True)
    shown = {
        spot.instance.rule.id: wb[ts.name].cell(spot.pos[1] + 1, spot.pos[2] + 1).value
        for ts in plan.tables
        for spot in ts.checks
        if spot.instance.rule.id.startswith("X")
    }
    assert set(shown) == {"X1", "X2", "X3", "X6"}  # the rules on the statistical sheets have live checks
    assert shown == {k: BAD_TEXT if k in expected else OK_TEXT for k in shown}
