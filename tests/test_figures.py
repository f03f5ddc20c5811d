"""The shared generator of consistent figures (``zfxxgk.figures``): every current-year rule holds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zfxxgk.check.rules import holds
from zfxxgk.figures import consistent_figures, inputs_only, over_inputs, seeded
from zfxxgk.spec import Spec, available_specs, load_spec
from zfxxgk.spec.evaluate import CHECKER, computed_values

SPECS = {name: load_spec(name) for name in sorted(available_specs())}


def failing(spec: Spec, values: dict[str, int | Decimal]) -> list[str]:
    return [i.key for r in spec.rules for i in r.instances if not i.uses_prev and holds(i, values) is False]


def in_domain(spec: Spec, values: dict[str, int | Decimal]) -> bool:
    for cell_id, v in values.items():
        d = spec.cells[cell_id].domain
        if (d.min is not None and v < d.min) or (d.max is not None and v > d.max):
            return False
        if d.kind == "integer" and not isinstance(v, int):
            return False
        if d.kind == "decimal" and Decimal(v).as_tuple().exponent < -(d.decimals or 0):  # type: ignore[operator]
            return False
    return True


@settings(max_examples=30)
@given(data=st.data(), name=st.sampled_from(sorted(SPECS)), size=st.integers(0, 40), density=st.sampled_from([0.2, 1]))
def test_every_rule_holds_for_drawn_figures(data: st.DataObject, name: str, size: int, density: float) -> None:
    spec = SPECS[name]
    values = consistent_figures(spec, lambda lo, hi: data.draw(st.integers(lo, hi)), size=size, density=density)
    assert failing(spec, values) == []
    assert in_domain(spec, values)
    numeric = {c.id for c in spec.cells.values() if c.domain.numeric}
    assert set(values) == numeric  # every numeric cell, inputs and totals, and nothing else
    totals = computed_values(spec, inputs_only(spec, values), None, CHECKER)
    assert all(values[c] == v for c, v in totals.items())  # the totals are the spec's formulas


def test_a_seed_gives_the_same_figures_and_another_seed_others() -> None:
    spec = SPECS["national-2021"]
    assert consistent_figures(spec, seeded(4)) == consistent_figures(spec, seeded(4))
    assert consistent_figures(spec, seeded(4)) != consistent_figures(spec, seeded(5))


def test_size_density_whole_and_fixed_shape_the_figures() -> None:
    spec = SPECS["national-2021"]
    inputs = inputs_only(spec, consistent_figures(spec, seeded(1), size=0))
    assert set(inputs.values()) == {0}  # nothing drawn, nothing to repair
    sparse = inputs_only(spec, consistent_figures(spec, seeded(1), size=9, density=0.1))
    dense = inputs_only(spec, consistent_figures(spec, seeded(1), size=9))
    assert sum(v == 0 for v in sparse.values()) > sum(v == 0 for v in dense.values())
    decimals = [c.id for c in spec.input_cells if c.domain.kind == "decimal"]
    assert decimals
    whole = consistent_figures(spec, seeded(2), whole=True)
    assert all(Decimal(whole[c]) == int(whole[c]) for c in decimals)
    zero_fees = {c: 0 for c in decimals}
    held = consistent_figures(spec, seeded(3), fixed=zero_fees)
    assert all(held[c] == 0 for c in decimals) and failing(spec, held) == []


def test_over_inputs_replaces_totals_by_their_formulas() -> None:
    spec = SPECS["national-2021"]
    (s1,) = [i for r in spec.rules if r.id == "S1" for i in r.instances if i.bindings.get("c") == "natural"]
    rhs = over_inputs(spec, s1.check.rhs)  # total + forward, the total being the sum of the outcomes
    outcomes = spec.tables["t3"].sets["outcomes"]
    assert rhs == {f"t3.{r}.natural": 1 for r in outcomes} | {"t3.forward.natural": 1}


def test_rules_that_cannot_be_met_are_an_error() -> None:
    spec = SPECS["national-2021"]
    (s1,) = [i for r in spec.rules if r.id == "S1" for i in r.instances if i.bindings.get("c") == "natural"]
    every_input = {**over_inputs(spec, s1.check.lhs), **over_inputs(spec, s1.check.rhs)}
    held = {c: 0 for c in every_input} | {"t3.new.natural": 1}  # 1 + 0 = 0 + 0, with nothing left to change
    with pytest.raises(ValueError, match="cannot"):
        consistent_figures(spec, seeded(0), fixed=held)
