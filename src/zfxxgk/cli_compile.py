"""``zfxxgk compile``: a county's returns checked, matched to its roster, summed and written."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.text import Text

from .cli import YEAR, both, console, fail, lang_option, main, wrote
from .county import CompileError, CompileResult, compile_county, status_labels
from .county.checking import DEFAULT_TIMEOUT
from .county.compile import CACHE_SUFFIX
from .messages import text
from .roster import RosterError
from .spec import SpecError


@main.command("compile", help=both("help-compile"))
@click.argument("inputs", nargs=-1, required=True)
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), required=True, help=both("help-roster"))
@click.option("--year", type=YEAR, required=True, help=both("help-year"))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=both("help-compile-output"))
@click.option("--report", "report_path", type=click.Path(path_type=Path), help=both("help-county-report"))
@click.option("--previous", type=click.Path(exists=True, path_type=Path), help=both("help-previous-folder"))
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help=both("help-jobs"))
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help=both("help-csv"))
@click.option("--spec", "spec_ref", default=None, help=both("help-county-spec"))
@click.option("--name", default="", help=both("help-name"))
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=both("help-decisions"))  # fmt: skip
@click.option(
    "--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, help=both("help-timeout")
)
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help=both("help-scheduler"))
@click.option("--out", "results", type=click.Path(file_okay=False, path_type=Path), help=both("help-results"))
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path), help=both("help-cache"))
@click.option("--no-cache", is_flag=True, help=both("help-no-cache"))
@lang_option
def compile_cmd(
    inputs: tuple[str, ...], roster: Path, year: int, output: Path, report_path: Path | None,
    previous: Path | None, jobs: int | None, csv_path: Path | None, spec_ref: str | None, name: str,
    decisions_path: Path | None, timeout: float, scheduler: str | None, results: Path | None,
    cache_path: Path | None, no_cache: bool, lang: str,
) -> None:  # fmt: skip
    from .county.decisions import DecisionsError, read_decisions

    cache = None if no_cache else cache_path or output.with_name(f".{output.stem}{CACHE_SUFFIX}")
    out = console()
    try:
        decisions = read_decisions(decisions_path, lang) if decisions_path else None
    except DecisionsError as exc:
        fail(lang, str(exc))
    with Progress(console=out, transient=True, disable=not out.is_terminal) as bar:
        task = bar.add_task(text("cli.checking", lang), total=None)

        def progress(stage: str, done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total, description=text(f"cli.stage-{stage}", lang))

        try:
            result = compile_county(
                inputs, roster, year, output, report=report_path, csv=csv_path, previous=previous, jobs=jobs,
                name=name, spec=spec_ref, lang=lang, progress=progress, timeout=timeout, scheduler=scheduler,
                decisions=decisions, results=results, cache=cache,
            )  # fmt: skip
        except CompileError as exc:
            fail(lang, str(exc))
        except SpecError as exc:
            fail(lang, text("cli.bad-spec", lang, detail=exc))
        except RosterError as exc:
            fail(lang, text("cli.bad-roster", lang, detail=exc))
    _print_compiled(out, result, lang)


def _print_compiled(out: Console, result: CompileResult, lang: str) -> None:
    labels = status_labels(lang)
    parts = [f"{labels[k]} {n}" for k, n in result.tally.items()]
    county = result.county
    head = text("cli.compiled", lang, files=result.sources, agencies=len(county.agencies))
    out.print(head + text("cli.tally-separator", lang).join(parts))
    if result.failing_checks:
        warning = text(
            "cli.county-checks", lang, count=result.failing_checks, sheet=text("county.sheet-findings", lang)
        )
        out.print(Text(warning, style="bold red"))
    out.print(wrote(lang, result.written))
    if result.log_path:
        out.print(text("cli.log-at", lang, path=result.log_path))
