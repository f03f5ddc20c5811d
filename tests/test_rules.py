"""Every rule of the spec: a passing case, a failing case, and properties of the arithmetic."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import consistent_values, inputs_only
from zfxxgk.check.rules import rule_findings
from zfxxgk.spec import Spec
from zfxxgk.spec.evaluate import CHECKER, computed_values
from zfxxgk.template.plan import workbook_plan


def locate_all(spec: Spec):  # type: ignore[no-untyped-def]
    plan = workbook_plan(spec)
    return lambda cell_id: (plan.positions[cell_id][0], plan.address(cell_id))


def codes(spec: Spec, values: dict[str, Any], previous: dict[str, Any] | None = None) -> list[str]:
    return [f.rule for f in rule_findings(spec, values, locate_all(spec), previous)]


def test_consistent_tables_pass_every_rule(spec21: Spec) -> None:
    assert codes(spec21, consistent_values(spec21)) == []


@pytest.mark.parametrize(
    ("cell", "delta", "fires"),
    [
        ("t3.forward.natural", 1, ["S1[c=natural]", "I1[r=forward]"]),
        ("t3.new.legal", -1, ["S1[c=legal]", "I1[r=new]"]),
        ("t3.open.total", 2, ["I1[r=open]", "I2[c=total]"]),
        ("t3.total.business", 1, ["S1[c=business]", "I1[r=total]", "I2[c=business]"]),
        ("t4.cases.review_total", 1, ["I4[g=review]"]),
        ("t4.cases.after_pending", 1, ["I4[g=after]"]),
    ],
)
def test_one_wrong_figure_fires_exactly_the_identities_it_breaks(
    spec21: Spec, cell: str, delta: int, fires: list[str]
) -> None:
    v = consistent_values(spec21, seed=3)
    v[cell] += delta
    assert sorted(codes(spec21, v)) == sorted(fires)


def test_finding_names_both_sides_and_the_difference(spec21: Spec) -> None:
    v = consistent_values(spec21, seed=5)
    v["t3.forward.natural"] += 4
    (s1,) = [f for f in rule_findings(spec21, v, locate_all(spec21)) if f.rule == "S1[c=natural]"]
    assert s1.code == "S1" and s1.severity == "error"
    assert s1.actual == v["t3.new.natural"] + v["t3.carried.natural"]
    assert s1.expected == v["t3.total.natural"] + v["t3.forward.natural"]
    assert s1.difference == -4
    assert (s1.sheet, s1.cell, s1.row_label, s1.column_label) == (
        "三、依申请公开",
        "D7",
        "一、本年新收政府信息公开申请数量",
        "自然人",
    )
    assert "“自然人”列" in s1.message and "相差-4" in s1.message and s1.fix
    assert len(s1.cells) == 4


def test_blank_counts_as_zero_in_identities(spec21: Spec) -> None:
    v = consistent_values(spec21, seed=1)
    v["t4.cases.review_upheld"], v["t4.cases.review_total"] = (
        None,
        v["t4.cases.review_total"] - v["t4.cases.review_upheld"],
    )
    assert codes(spec21, v) == []


def test_previous_year_rules(spec21: Spec) -> None:
    v = consistent_values(spec21, seed=2)
    prev = consistent_values(spec21, seed=9)
    for c in spec21.tables["t3"].columns:
        prev[f"t3.forward.{c}"] = v[f"t3.carried.{c}"]
    for r in ("rules", "normative"):
        prev[f"t2.{r}.in_force"] = v[f"t2.{r}.in_force"] - v[f"t2.{r}.issued"] + v[f"t2.{r}.repealed"]
    assert codes(spec21, v, prev) == []
    assert codes(spec21, v) == []  # without last year, P rules do not apply
    prev["t3.forward.research"] += 1
    prev["t3.forward.total"] += 1
    prev["t2.rules.in_force"] += 2
    assert sorted(codes(spec21, v, prev)) == ["P1[c=research]", "P1[c=total]", "P2[r=rules]"]
    v["t2.normative.repealed"] = v["t2.normative.in_force"] = 10**6
    fired = codes(spec21, v, prev)
    assert "P3[r=normative]" in fired


def test_fee_rules_apply_only_when_their_condition_holds(spec21: Spec) -> None:
    v = consistent_values(spec21, seed=4)
    v["text.fee_notices.value"] = 0
    v["text.fee_collected.value"] = v["text.fee_billed.value"] = 0
    v["t3.other_no_fee.natural"] = v["t3.other_no_fee.total"] = 0
    assert [c for c in codes(spec21, v) if c.startswith("F")] == []
    v["t3.other_no_fee.total"] = 2
    assert "F1" in codes(spec21, v)
    v["text.fee_collected.value"] = 30
    fired = codes(spec21, v)
    assert "F2" in fired and "F3" in fired  # collected 30 > billed 0, and no notices
    v["text.fee_notices.value"] = 1
    v["text.fee_billed.value"] = 30
    assert [c for c in codes(spec21, v) if c.startswith("F")] == []


def test_rules_of_the_2019_format(spec19: Spec) -> None:
    v = consistent_values(spec19, seed=7)
    assert codes(spec19, v) == []
    v["t3.other.natural"] += 1
    assert "I2[c=natural]" in codes(spec19, v)


@given(seed=st.integers(0, 10**6), cell_index=st.integers(0, 10**4), delta=st.integers(1, 50))
def test_any_changed_input_of_table_three_breaks_an_identity(
    spec21: Spec, seed: int, cell_index: int, delta: int
) -> None:
    v = consistent_values(spec21, seed=seed)
    inputs = [c for c in spec21.tables["t3"].cells if not spec21.cells[c].computed]
    cell = inputs[cell_index % len(inputs)]
    v[cell] += delta
    fired = codes(spec21, v)
    assert fired and all(f.split("[")[0] in ("S1", "I1", "I2") for f in fired)


@given(seed=st.integers(0, 10**6))
def test_recomputed_totals_equal_the_identities(spec21: Spec, seed: int) -> None:
    v = consistent_values(spec21, seed=seed)
    totals = computed_values(spec21, inputs_only(spec21, v), None, CHECKER)
    assert all(totals[k] == Decimal(v[k]) for k in totals)


@given(seeds=st.lists(st.integers(0, 10**6), min_size=2, max_size=6))
def test_a_sum_of_valid_tables_is_valid(spec21: Spec, seeds: list[int]) -> None:
    tables = [consistent_values(spec21, seed=s) for s in seeds]
    total = {k: sum(t[k] for t in tables) for k in tables[0]}
    assert [c for c in codes(spec21, total) if not c.startswith("F")] == []
