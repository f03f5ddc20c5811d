"""``zfxxgk rollup``: a city's summary of its counties' compiled results (a province's of its cities)."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import YEAR, both, console, fail, lang_option, main, wrote
from .county.rollup import RollupError, rollup_units
from .messages import text
from .spec import SpecError


@main.command("rollup", help=both("help-rollup"))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=both("help-rollup-output"))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=both("help-rollup-out"))
@click.option("--name", default="", help=both("help-rollup-name"))
@click.option("--year", type=YEAR, default=None, help=both("help-rollup-year"))
@click.option("--spec", "spec_ref", default=None, help=both("help-county-spec"))
@lang_option
def rollup_cmd(
    inputs: tuple[Path, ...], output: Path, out_dir: Path | None, name: str, year: int | None, spec_ref: str | None,
    lang: str,
) -> None:  # fmt: skip
    try:
        roll = rollup_units(list(inputs), output, name=name, year=year, spec=spec_ref, out_dir=out_dir, lang=lang)
    except RollupError as exc:
        fail(lang, str(exc))
    except SpecError as exc:
        fail(lang, text("cli.bad-spec", lang, detail=exc))
    total = roll.node(())
    left_out = [u for u in roll.units if u.problem is not None]
    out = console()
    said = text(
        "cli.rolled-up", lang, units=len(roll.units) - len(left_out), listed=total.listed,
        returned=total.returned, included=total.included, missing=total.missing,
    )  # fmt: skip
    out.print(said)
    for unit in left_out:
        assert unit.problem is not None
        out.print(text("cli.rollup-left-out", lang, path=unit.path, problem=unit.problem.message))
    out.print(wrote(lang, [output, *([out_dir] if out_dir else [])]))
