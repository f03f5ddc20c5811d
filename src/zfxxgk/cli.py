"""The ``zfxxgk`` command: a thin shell over the library (argument parsing, files, output)."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from itertools import chain, count
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table as RichTable
from rich.text import Text

from . import __version__
from .check.annotate import AnnotateError
from .check.annotate import annotate as write_annotated
from .check.file import check_file
from .check.present import as_json as as_json_doc
from .check.present import exit_code, print_results
from .county import STATUS_EN, STATUS_ZH, compile_county, write_csv
from .county import workdir as county_workdir
from .county.report import county_document
from .county.workbook import SummaryWorkbook
from .fileio import csv_text, first_free, safe_filename, write_text_atomic
from .findings import counts
from .libreoffice import LibreOfficeError
from .report import FORMATS as REPORT_FORMATS
from .report import build_document, write_pdf, write_report
from .roster import Agency, RosterError, read_roster
from .spec import DEFAULT_SPEC, Spec, SpecError, available_specs, load_spec
from .template.plan import cell_map, workbook_plan
from .template.writer import write_template

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=lambda: os.environ.get("ZFXXGK_LANG", "zh"),
        show_default="zh",
        help="输出语言 / output language",
    )(f)


def spec_option(f: F) -> F:
    return click.option(
        "--spec",
        "spec_ref",
        default=DEFAULT_SPEC,
        show_default=True,
        help="报表格式（规格编号或 YAML 文件路径） / spec id or YAML path",
    )(f)


def console(stderr: bool = False) -> Console:
    """A console that prints text as it is: paths and agency names may contain [brackets]."""
    c = Console(stderr=stderr, highlight=False, markup=False)
    if not c.is_terminal:
        c.width = 200  # piped output: do not cut table columns to 80 characters
    return c


def fail(lang: str, zh: str, en: str, code: int = EXIT_USAGE) -> NoReturn:
    message = Text(pick(lang, "错误：", "Error: "), style="bold red")
    message.append(pick(lang, zh, en))
    console(stderr=True).print(message)
    sys.exit(code)


def load_spec_or_exit(ref: str, lang: str) -> Spec:
    try:
        return load_spec(ref)
    except SpecError as exc:
        fail(lang, f"报表格式有误：\n{exc}", f"invalid spec:\n{exc}")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="zfxxgk")
def main() -> None:
    """政府信息公开工作年度报告：生成模板、校验报表、生成报告、汇总全县。

    Annual government information disclosure reports: templates, checks, reports, county compilation.
    """


# --------------------------------------------------------------------------- spec


@main.group("spec")
def spec_group() -> None:
    """查看报表格式（表、行、列、单元格） / inspect the form specs."""


@spec_group.command("list")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
def spec_list(lang: str, as_json: bool) -> None:
    """列出可用的报表格式 / list the available specs."""
    rows = []
    for spec_id, path in available_specs().items():
        try:
            s = load_spec(spec_id)
            years = f"{s.first_year}–{s.last_year or ''}"
            rows.append(
                {
                    "id": s.id,
                    "version": s.version,
                    "name": pick(lang, s.name, s.name_en or s.name),
                    "years": years,
                    "extends": s.extends[0] if s.extends else "",
                    "path": str(path),
                }
            )
        except SpecError as exc:
            rows.append(
                {
                    "id": spec_id,
                    "version": "",
                    "name": pick(lang, "无效：", "invalid: ") + str(exc),
                    "years": "",
                    "extends": "",
                    "path": str(path),
                }
            )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    t = RichTable(
        *(
            pick(lang, zh, en)
            for zh, en in (
                ("编号", "id"),
                ("版本", "version"),
                ("名称", "name"),
                ("适用年度", "years"),
                ("继承", "extends"),
            )
        )
    )
    for r in rows:
        t.add_row(r["id"], r["version"], r["name"], r["years"], r["extends"])
    console().print(t)


@spec_group.command("cells")
@spec_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
def spec_cells(spec_ref: str, lang: str, as_json: bool) -> None:
    """列出每个单元格：编号、表、行、列、输入或计算、工作表、地址、定义名称 / list every cell."""
    spec = load_spec_or_exit(spec_ref, lang)
    rows = cell_map(workbook_plan(spec))
    if lang == "en":
        for r in rows:
            cell = spec.cells[r["id"]]
            r["row"], r["column"] = cell.labels("en")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    heads = [
        ("编号", "id"),
        ("表", "table"),
        ("行", "row"),
        ("列", "column"),
        ("类型", "role"),
        ("工作表", "sheet"),
        ("地址", "address"),
        ("定义名称", "name"),
    ]
    t = RichTable(*(pick(lang, zh, en) for zh, en in heads))
    role = {"input": pick(lang, "输入", "input"), "computed": pick(lang, "计算", "computed")}
    for r in rows:
        t.add_row(r["id"], r["table"], r["row"], r["column"], role[r["role"]], r["sheet"], r["address"], r["name"])
    console().print(t)


# --------------------------------------------------------------------------- template


@main.command("template")
@spec_option
@click.option("--year", type=click.IntRange(2008, 2100), required=True, help="报告年度 / report year")
@click.option("--agency", default="", help="单位名称（单个模板） / agency name (single template)")
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="花名册 CSV/XLSX：每个单位生成一个模板 / roster: one workbook per agency",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="输出文件（单个）或目录（花名册） / output file, or directory with --roster",
)
@click.option("--password", default=None, help="工作表保护密码（默认无） / sheet protection password")
@click.option("--force", is_flag=True, help="覆盖已有文件 / overwrite existing files")
@lang_option
def template_cmd(
    spec_ref: str,
    year: int,
    agency: str,
    roster: Path | None,
    output: Path,
    password: str | None,
    force: bool,
    lang: str,
) -> None:
    """生成锁定的 Excel 填报模板 / generate locked Excel templates."""
    spec = load_spec_or_exit(spec_ref, lang)
    if not spec.covers(year):
        fail(
            lang,
            f"{spec.id} 适用于 {spec.first_year}–{spec.last_year or ''} 年度的报告，不适用于 {year} 年度。",
            f"{spec.id} is for reports of {spec.first_year}–{spec.last_year or ''}, not {year}.",
        )
    out = console()
    if roster is None:
        if output.suffix.lower() != ".xlsx":
            fail(lang, "输出文件应以 .xlsx 结尾（花名册模式请加 --roster）", "the output must end in .xlsx")
        if output.exists() and not force:
            fail(lang, f"{output} 已存在，加 --force 覆盖", f"{output} exists; use --force to overwrite")
        write_template(output, spec, year, Agency(name=agency), password=password)
        out.print(pick(lang, f"已生成 {output}", f"Wrote {output}"))
        return
    if agency:
        fail(lang, "--agency 与 --roster 不能同时使用", "--agency and --roster are mutually exclusive")
    try:
        agencies = read_roster(roster)
    except RosterError as exc:
        fail(lang, f"花名册有误：{exc}", f"invalid roster: {exc}")
    if output.suffix.lower() == ".xlsx":
        fail(lang, "使用花名册时 -o 应为目录", "with --roster, -o must be a directory")
    output.mkdir(parents=True, exist_ok=True)
    names = _file_names(agencies, year)
    clashes = [n for n in names.values() if (output / n).exists()]
    if clashes and not force:
        fail(
            lang,
            f"{len(clashes)} 个文件已存在（如 {clashes[0]}），加 --force 覆盖",
            f"{len(clashes)} files exist (e.g. {clashes[0]}); use --force",
        )
    with out.status(pick(lang, "正在生成模板……", "Generating templates…")):
        for a in agencies:
            write_template(output / names[a.name], spec, year, a, password=password)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["序号", "单位名称", "单位编码", "联系人", "联系电话", "文件名"])
    for n, a in enumerate(agencies, start=1):
        w.writerow([n, *(csv_text(x) for x in (a.name, a.code, a.contact, a.phone, names[a.name]))])
    write_text_atomic(output / "模板清单.csv", "\ufeff" + buf.getvalue())
    out.print(
        pick(
            lang,
            f"已为 {len(agencies)} 个单位生成模板，保存在 {output}（清单：模板清单.csv）",
            f"Wrote {len(agencies)} templates to {output} (list: 模板清单.csv)",
        )
    )


def _file_names(agencies: list[Agency], year: int) -> dict[str, str]:
    """One distinct, safe file name per agency."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for a in agencies:
        base = safe_filename(a.name)
        by_code = [f"{base}_{a.code}"] if a.code else []
        stem = first_free(chain([base], by_code, (f"{base}_{k}" for k in count(2))), used)
        names[a.name] = f"{stem}_{year}年度政府信息公开年报.xlsx"
    return names


def _annotated_name(folder: Path, source: Path, used: set[str]) -> Path:
    """``<name>_校验.xlsx`` in ``folder``, numbered when two checked files share a name."""
    stem = f"{source.stem}_校验"
    return folder / first_free((f"{stem}{f'_{k}' if k > 1 else ''}.xlsx" for k in count(1)), used)


# --------------------------------------------------------------------------- check


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=click.IntRange(2008, 2100), help="应报年度 / expected report year")
@click.option("--spec", "spec_ref", default=None, help="按此格式识别非模板文件 / spec for reading non-template files")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出（格式见 README） / JSON output")
@click.option("--previous", type=click.Path(path_type=Path), help="上年的报表，用于跨年度核对 / last year's workbook")
@click.option(
    "--annotate",
    type=click.Path(path_type=Path),
    help="写出标注了问题的副本（多个文件时为目录） / write an annotated copy (a directory for several files)",
)
@lang_option
def check_cmd(
    files: tuple[Path, ...],
    year: int | None,
    spec_ref: str | None,
    as_json: bool,
    previous: Path | None,
    annotate: Path | None,
    lang: str,
) -> None:
    """校验报表，列出每个问题、位置和改法 / check returned workbooks.

    退出码 / exit code: 0 没有错误 / no errors; 1 有错误 / errors found; 2 文件无法读取或用法错误 / unreadable or usage.
    """
    if spec_ref:
        load_spec_or_exit(spec_ref, lang)
    if annotate and len(files) > 1 and annotate.suffix.lower() == ".xlsx":
        fail(lang, "检查多个文件时 --annotate 应为目录", "with several files, --annotate must be a directory")
    if annotate and annotate.resolve() in {f.resolve() for f in files}:
        fail(lang, "--annotate 不能覆盖被检查的文件", "--annotate must not overwrite a checked file")
    results = [check_file(f, year=year, spec=spec_ref, previous=previous, lang=lang) for f in files]
    if annotate:
        used: set[str] = set()
        for r in results:
            target = annotate if len(files) == 1 else _annotated_name(annotate, Path(r.path), used)
            try:
                write_annotated(r, target, lang)
            except AnnotateError as exc:
                console(stderr=True).print(f"{r.path}: {exc}")
    if as_json:
        click.echo(json.dumps(as_json_doc(results), ensure_ascii=False, indent=2))
    else:
        print_results(console(), results, lang)
    sys.exit(exit_code(results))


# --------------------------------------------------------------------------- report


@main.command("report")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="输出文件：.docx / .html / .md / output file"
)
@click.option("--fragment", is_flag=True, help="HTML 只输出正文部分，便于粘贴到网站编辑器 / HTML body only")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（与输出文件同名） / also write a PDF")
@click.option("--force", is_flag=True, help="有错误也生成，并标明“草稿” / write a marked draft despite errors")
@click.option("--year", type=click.IntRange(2008, 2100), help="应报年度 / expected report year")
@click.option("--spec", "spec_ref", default=None, help="按此格式识别非模板文件 / spec for non-template files")
@lang_option
def report_cmd(
    file: Path, output: Path, fragment: bool, pdf: bool, force: bool, year: int | None, spec_ref: str | None, lang: str
) -> None:
    """生成可发布的年度报告（公文格式 Word、网页、Markdown） / write the publishable report."""
    if output.suffix.lower() not in REPORT_FORMATS:
        fail(
            lang, f"输出文件应以 {' '.join(REPORT_FORMATS)} 结尾", f"the output must end in {' '.join(REPORT_FORMATS)}"
        )
    if output.resolve() == file.resolve():
        fail(lang, "输出文件不能覆盖输入文件", "the output must not overwrite the input")
    result = check_file(file, year=year, spec=spec_ref, lang=lang)
    errors = counts(result.findings)["error"]
    if not result.readable or result.spec is None:
        print_results(console(stderr=True), [result], lang)
        sys.exit(EXIT_USAGE)
    hand_made = result.ret is not None and result.ret.source != "template"
    if errors and not force:
        print_results(console(stderr=True), [result], lang)
        fail(
            lang,
            f"报表有 {errors} 个错误，未生成报告。请先改正；确需先出草稿可加 --force。",
            f"{errors} errors: no report written. Fix them first, or use --force for a marked draft.",
            code=EXIT_FINDINGS,
        )
    if hand_made and not force:
        fail(
            lang,
            "这份工作簿不是本系统的模板，没有“文字部分”，生成的报告会缺少正文。请用模板填写后再生成；"
            "确需先出草稿可加 --force。",
            "This workbook is not a template and holds no text; fill in the template first, or use --force "
            "for a marked draft.",
            code=EXIT_FINDINGS,
        )
    draft = bool(errors) or hand_made
    doc = build_document(result.spec, result.values, result.agency, result.year, draft=draft, lang=lang)
    write_report(doc, output, fragment=fragment)
    written = [output]
    if pdf:
        target = output.with_suffix(".pdf")
        try:
            write_pdf(doc, target)
        except LibreOfficeError as exc:
            fail(lang, f"PDF 生成失败：{exc}", f"PDF failed: {exc}")
        written.append(target)
    note = pick(lang, "（草稿）", " (draft)") if draft else ""
    console().print(pick(lang, "已生成 ", "Wrote ") + "、".join(map(str, written)) + note)


# --------------------------------------------------------------------------- compile


@main.command("compile")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--roster", type=click.Path(dir_okay=False, path_type=Path), required=True, help="花名册 CSV/XLSX / roster"
)
@click.option("--year", type=click.IntRange(2008, 2100), required=True, help="报告年度 / report year")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="汇总.xlsx")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="同时生成全县汇总报告（.docx/.html/.md） / also write the county report",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, path_type=Path),
    help="上年各单位报表所在目录或压缩包，用于跨年度核对 / last year's returns",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="并行进程数（默认为 CPU 核数） / processes")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="长表 CSV（单位、单元格、数值） / long CSV")
@click.option("--spec", "spec_ref", default=DEFAULT_SPEC, show_default=True, help="汇总所用格式 / county spec")
@click.option("--name", default="", help="地区名称，如“示范县”（默认取花名册单位名称的共同前缀） / county name")
@lang_option
def compile_cmd(
    inputs: tuple[Path, ...],
    roster: Path,
    year: int,
    output: Path,
    report_path: Path | None,
    previous: Path | None,
    jobs: int | None,
    csv_path: Path | None,
    spec_ref: str,
    name: str,
    lang: str,
) -> None:
    """汇总全县报表：谁报了、谁没报、每份的问题、汇总表和汇总报告 / compile a county's returns."""
    if output.suffix.lower() != ".xlsx":
        fail(lang, "-o 应以 .xlsx 结尾", "-o must end in .xlsx")
    if report_path and report_path.suffix.lower() not in REPORT_FORMATS:
        fail(lang, f"--report 应以 {' '.join(REPORT_FORMATS)} 结尾", f"--report must end in {' '.join(REPORT_FORMATS)}")
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        fail(lang, f"找不到：{'、'.join(missing)}", f"not found: {', '.join(missing)}")
    spec = load_spec_or_exit(spec_ref, lang)
    out = console()
    with (
        county_workdir() as tmp,
        Progress(console=out, transient=True, disable=not out.is_terminal) as bar,
        SummaryWorkbook(output, spec, year, name) as book,
    ):
        task = bar.add_task(pick(lang, "正在校验", "Checking"), total=None)
        try:
            county = compile_county(
                list(inputs),
                roster,
                year,
                spec_ref=spec_ref,
                previous=previous,
                jobs=jobs,
                lang=lang,
                name=name,
                workdir=Path(tmp),
                each=book.add,
                skip=[p for p in (output, report_path, csv_path) if p],
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except RosterError as exc:
            fail(lang, f"花名册有误：{exc}", f"invalid roster: {exc}")
        bar.update(task, description=pick(lang, "正在写出汇总表", "Writing"))
        book.finish(county)
        written = [str(output)]
        if report_path:
            write_report(county_document(county, lang), report_path)
            written.append(str(report_path))
        if csv_path:
            write_csv(county, csv_path)
            written.append(str(csv_path))
        county.store.close()
    tally = Counter(row.status for row in county.rows)
    labels = STATUS_EN if lang == "en" else STATUS_ZH
    parts = [f"{labels[k]} {tally[k]}" for k in labels if k in tally]
    out.print(
        pick(
            lang,
            f"共 {county.sources} 份文件、花名册 {len(county.agencies)} 个单位：",
            f"{county.sources} files, {len(county.agencies)} agencies: ",
        )
        + ("，" if lang != "en" else ", ").join(parts)
    )
    if county.checks:
        warning = pick(
            lang,
            f"注意：全县汇总表有 {len(county.checks)} 处勾稽关系不成立，见“问题清单”开头。",
            f"Warning: {len(county.checks)} identities fail on the county totals; see the start of 问题清单.",
        )
        out.print(Text(warning, style="bold red"))
    out.print(pick(lang, "已生成 ", "Wrote ") + "、".join(written))


if __name__ == "__main__":  # pragma: no cover
    main()
