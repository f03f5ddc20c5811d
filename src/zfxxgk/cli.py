"""The ``zfxxgk`` command: parse the arguments, call one library function per command, print the outcome."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable
from rich.text import Text

from . import __version__, logs
from .check.batch import BatchError, check_files
from .check.present import as_json as as_json_doc
from .check.present import exit_code, print_results
from .messages import entry, text
from .report.publish import PublishError, publish
from .roster import Agency, RosterError
from .spec import Spec, SpecError, available_specs, load_spec
from .template import carry
from .template.plan import cell_map, workbook_plan
from .template.roster_batch import TemplateError, write_for_roster, write_one

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
YEAR = click.IntRange(2008, 2100)


def both(key: str) -> str:
    """A help text in both languages: ``中文 / English``."""
    e = entry(f"cli.{key}")
    return f"{e['zh']} / {e['en']}"


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=lambda: os.environ.get("ZFXXGK_LANG", "zh"),
        show_default="zh",
        help=both("help-lang"),
    )(f)


def spec_option(f: F) -> F:
    return click.option("--spec", "spec_ref", default=None, help=both("help-spec"))(f)


def console(stderr: bool = False) -> Console:
    """A console that prints text as it is: paths and agency names may contain [brackets]."""
    c = Console(stderr=stderr, highlight=False, markup=False)
    if not c.is_terminal:
        c.width = 200  # piped output: do not cut table columns to 80 characters
    return c


def fail(lang: str, message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``错误：message`` to stderr and exit."""
    line = Text(text("cli.error", lang), style="bold red")
    line.append(message)
    console(stderr=True).print(line)
    sys.exit(code)


def load_spec_or_exit(ref: str | None, lang: str) -> Spec:
    try:
        return load_spec(ref)
    except SpecError as exc:
        fail(lang, text("cli.bad-spec", lang, detail=exc))


def wrote(lang: str, paths: list[Path], note: str = "") -> str:
    return text("cli.wrote", lang, paths=text("common.list-separator", lang).join(map(str, paths))) + note


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}, help=text("cli.help-main")
)
@click.version_option(__version__, prog_name="zfxxgk")
@click.option("-v", "--verbose", is_flag=True, help=both("help-verbose"))
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    handler = logs.to_stderr(verbose)
    if handler is not None:
        ctx.call_on_close(lambda: logs.detach(handler))


# --------------------------------------------------------------------------- spec


@main.group("spec", help=both("help-spec-group"))
def spec_group() -> None:
    pass


def _spec_row(spec_id: str, path: Path, lang: str) -> dict[str, str]:
    try:
        s = load_spec(spec_id)
    except SpecError as exc:
        name = text("cli.spec-invalid", lang, detail=exc)
        return {"id": spec_id, "version": "", "name": name, "years": "", "extends": "", "path": str(path)}
    name = s.name_en or s.name if lang == "en" else s.name
    years = f"{s.first_year}–{s.last_year or ''}"
    extends = s.extends[0] if s.extends else ""
    return {"id": s.id, "version": s.version, "name": name, "years": years, "extends": extends, "path": str(path)}


def _table(heads: list[str], lang: str) -> RichTable:
    return RichTable(*(text(f"cli.head-{h}", lang) for h in heads))


@spec_group.command("list", help=both("help-spec-list"))
@lang_option
@click.option("--json", "as_json", is_flag=True, help=both("help-json"))
def spec_list(lang: str, as_json: bool) -> None:
    rows = [_spec_row(spec_id, path, lang) for spec_id, path in available_specs().items()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    t = _table(["id", "version", "name", "years", "extends"], lang)
    for r in rows:
        t.add_row(r["id"], r["version"], r["name"], r["years"], r["extends"])
    console().print(t)


@spec_group.command("cells", help=both("help-spec-cells"))
@spec_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help=both("help-json"))
def spec_cells(spec_ref: str | None, lang: str, as_json: bool) -> None:
    spec = load_spec_or_exit(spec_ref, lang)
    rows = cell_map(workbook_plan(spec))
    if lang == "en":
        for r in rows:
            r["row"], r["column"] = spec.cells[r["id"]].labels("en")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    keys = ["id", "table", "row", "column", "role", "sheet", "address", "name"]
    t = _table([*keys[:-1], "defined-name"], lang)
    for r in rows:
        t.add_row(*(text(f"cli.role-{r[k]}", lang) if k == "role" else r[k] for k in keys))
    console().print(t)


# --------------------------------------------------------------------------- template


@main.command("template", help=both("help-template"))
@spec_option
@click.option("--year", type=YEAR, required=True, help=both("help-year"))
@click.option("--agency", default="", help=both("help-agency"))
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), help=both("help-template-roster"))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=both("help-template-output"))
@click.option("--password", default=None, help=both("help-password"))
@click.option("--force", is_flag=True, help=both("help-force-overwrite"))
@click.option("--previous", type=click.Path(path_type=Path), multiple=True, help=both("help-template-previous"))
@lang_option
def template_cmd(
    spec_ref: str | None, year: int, agency: str, roster: Path | None, output: Path, password: str | None, force: bool,
    previous: tuple[Path, ...], lang: str,
) -> None:  # fmt: skip
    spec = load_spec_or_exit(spec_ref, lang)
    out = console()
    prior = list(previous) or None
    try:
        if roster is None:
            write_one(output, spec, year, Agency(name=agency), password=password, force=force, lang=lang,
                      previous=prior, on_carry=lambda c: out.print(carry.told(c, lang)))  # fmt: skip
            out.print(wrote(lang, [output]))
            return
        if agency:
            fail(lang, text("cli.agency-and-roster", lang))
        with out.status(text("cli.writing-templates", lang)):
            batch = write_for_roster(roster, output, spec, year, password=password, force=force, lang=lang,
                                     previous=prior)  # fmt: skip
    except RosterError as exc:
        fail(lang, text("cli.bad-roster", lang, detail=exc))
    except TemplateError as exc:
        fail(lang, str(exc))
    listing = batch.listing.name if batch.listing else ""
    for line in carry.batch_lines(batch.priors, batch.carried, lang) if prior else []:
        out.print(line)
    out.print(text("cli.wrote-templates", lang, count=len(batch.agencies), folder=output, listing=listing))


# --------------------------------------------------------------------------- check


@main.command("check", help=both("help-check") + "\n\n" + both("help-check-exit"))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=YEAR, help=both("help-expected-year"))
@click.option("--spec", "spec_ref", default=None, help=both("help-spec-labels"))
@click.option("--json", "as_json", is_flag=True, help=both("help-check-json"))
@click.option("--previous", type=click.Path(path_type=Path), multiple=True, help=both("help-previous-file"))
@click.option("--annotate", type=click.Path(path_type=Path), help=both("help-annotate"))
@lang_option
def check_cmd(
    files: tuple[Path, ...], year: int | None, spec_ref: str | None, as_json: bool, previous: tuple[Path, ...],
    annotate: Path | None, lang: str,
) -> None:  # fmt: skip
    if spec_ref:
        load_spec_or_exit(spec_ref, lang)
    try:
        batch = check_files(files, year=year, spec=spec_ref, previous=previous or None, annotate_to=annotate, lang=lang)
    except BatchError as exc:
        fail(lang, str(exc))
    for path, why in batch.not_annotated:
        console(stderr=True).print(f"{path}: {why}")
    if as_json:
        click.echo(json.dumps(as_json_doc(batch.results), ensure_ascii=False, indent=2))
    else:
        print_results(console(), batch.results, lang)
    sys.exit(batch.exit_code)


# --------------------------------------------------------------------------- audit


def _audit_help(key: str) -> str:
    e = entry(f"audit.{key}")
    return f"{e['zh']} / {e['en']}"


@main.command("audit", help=_audit_help("help-audit") + "\n\n" + both("help-check-exit"))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=YEAR, help=both("help-expected-year"))
@click.option("--spec", "spec_ref", default=None, help=both("help-spec-labels"))
@click.option("--json", "as_json", is_flag=True, help=both("help-check-json"))
@click.option("-o", "--output", type=click.Path(path_type=Path), help=_audit_help("help-output"))
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help=both("help-jobs"))
@lang_option
def audit_cmd(
    inputs: tuple[Path, ...], year: int | None, spec_ref: str | None, as_json: bool, output: Path | None,
    jobs: int | None, lang: str,
) -> None:  # fmt: skip
    from .audit import audit_files
    from .audit.workbook import write_audit

    if spec_ref:
        load_spec_or_exit(spec_ref, lang)
    err = console(stderr=True)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(text("audit.auditing", lang), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        results = audit_files(inputs, year=year, spec=spec_ref, lang=lang, jobs=jobs, progress=progress,
                              skip=[output] if output else [])  # fmt: skip
    if output is not None:
        write_audit(results, output, lang)
    if as_json:
        click.echo(json.dumps(as_json_doc(results), ensure_ascii=False, indent=2))
    else:
        print_results(console(), results, lang)
        if output is not None:
            console().print(wrote(lang, [output]))
    sys.exit(exit_code(results))


# --------------------------------------------------------------------------- report


@main.command("report", help=both("help-report"))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=both("help-report-output"))
@click.option("--fragment", is_flag=True, help=both("help-fragment"))
@click.option("--pdf", is_flag=True, help=both("help-pdf"))
@click.option("--force", is_flag=True, help=both("help-force-draft"))
@click.option("--year", type=YEAR, help=both("help-expected-year"))
@click.option("--spec", "spec_ref", default=None, help=both("help-spec-labels"))
@lang_option
def report_cmd(
    file: Path, output: Path, fragment: bool, pdf: bool, force: bool, year: int | None, spec_ref: str | None, lang: str
) -> None:
    try:
        done = publish(file, output, force=force, fragment=fragment, pdf=pdf, year=year, spec=spec_ref, lang=lang)
    except PublishError as exc:
        if exc.result is not None and exc.reason != "pdf":
            print_results(console(stderr=True), [exc.result], lang)
        if exc.reason == "unreadable":
            sys.exit(EXIT_USAGE)
        fail(lang, str(exc), EXIT_USAGE if exc.usage else EXIT_FINDINGS)
    console().print(wrote(lang, done.written, text("cli.draft", lang) if done.draft else ""))


# --------------------------------------------------------------------------- serve


def serve_help(key: str) -> str:
    """A help text of ``serve`` in both languages (the texts live in ``messages/serve.yaml``)."""
    e = entry(f"serve.cli-{key}")
    return f"{e['zh']} / {e['en']}"


@main.command("serve", help=serve_help("help"))
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None, help=serve_help("help-data"))
@click.option("--db", "db_url", default=None, help=serve_help("help-db"))
@click.option("--host", default="127.0.0.1", show_default=True, help=serve_help("help-host"))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=serve_help("help-port"))
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help=serve_help("help-workers"))
@click.option("--max-upload", type=click.IntRange(1, 50), default=20, show_default=True, help=serve_help("help-max-upload"))
@click.option("--export", "export_to", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=serve_help("help-export"))  # fmt: skip
@click.option("--create-admin", "admin_name", default=None, metavar="USERNAME", help=serve_help("help-create-admin"))
@click.option("--demo", "with_demo", is_flag=True, help=serve_help("help-demo"))
@lang_option
def serve_cmd(
    data: Path | None, db_url: str | None, host: str, port: int, workers: int, max_upload: int, export_to: Path | None,
    admin_name: str | None, with_demo: bool, lang: str,
) -> None:  # fmt: skip
    from .serve import Config, add_admin, export, load_demo, run
    from .serve.demo import DEFAULT_DATA, DemoError

    data = data or (DEFAULT_DATA if with_demo else Path("zfxxgk-data"))
    config = Config(data=data, db_url=db_url, lang=lang, workers=workers, upload_limit=max_upload * 1024 * 1024)
    if admin_name is not None:
        password = os.environ.get("ZFXXGK_ADMIN_PASSWORD") or click.prompt(
            text("serve.cli-password", lang), hide_input=True, confirmation_prompt=True
        )
        if len(password) < 8:
            fail(lang, text("serve.cli-password-short", lang, count=8))
        add_admin(config, admin_name, password)
        console().print(text("serve.cli-admin-created", lang, username=admin_name))
        return
    if export_to is not None:
        export(config, export_to)
        console().print(text("serve.cli-exported", lang, path=export_to))
        return
    if with_demo:
        try:
            user, password, _ = load_demo(config, os.environ.get("ZFXXGK_ADMIN_PASSWORD"))
        except DemoError as exc:
            fail(lang, str(exc))
        console().print(text("serve.cli-demo-login", lang, host=host, port=port, username=user, password=password))
    console(stderr=True).print(text("serve.cli-listening", lang, host=host, port=port, data=data))
    run(config, host, port)




from . import cli_compile, cli_rollup  # noqa: E402, F401 - register ``compile`` and ``rollup``, which use these helpers

if __name__ == "__main__":  # pragma: no cover - ``python -m zfxxgk.cli``: the module itself, every command registered
    from zfxxgk.cli import main as _main

    _main()
