"""Check results for people (a readable table) and for programs (JSON, schema documented in README)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..findings import SEVERITY_LABEL, counts
from .result import STATUS_LABEL, STATUSES, CheckResult

JSON_SCHEMA_VERSION = 1
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def exit_code(results: list[CheckResult]) -> int:
    """0: no errors; 1: errors found; 2: a file could not be read."""
    if any(not r.readable for r in results):
        return 2
    return 1 if any(counts(r.findings)["error"] for r in results) else 0


def as_json(results: list[CheckResult]) -> dict[str, Any]:
    total = {"error": 0, "warning": 0, "info": 0}
    files = []
    for r in results:
        c = counts(r.findings)
        for k in total:
            total[k] += c[k]
        spec = r.spec
        files.append(
            {
                "file": r.path,
                "sha256": r.intake.sha256,
                "kind": r.intake.kind,
                "status": r.status,
                "source": r.ret.source if r.ret else None,
                "spec": spec.id if spec else None,
                "year": r.year,
                "agency": r.agency,
                "application": r.application,
                "counts": c,
                "findings": [f.as_dict() for f in r.findings],
            }
        )
    return {
        "tool": "zfxxgk",
        "version": __version__,
        "schema": JSON_SCHEMA_VERSION,
        "files": files,
        "counts": total,
        "exit_code": exit_code(results),
    }


def print_results(console: Console, results: list[CheckResult], lang: str = "zh") -> None:
    en = lang == "en"
    for r in results:
        _print_one(console, r, lang)
    if len(results) > 1:
        tally = Counter(r.status for r in results)
        parts = [f"{STATUS_LABEL[lang][s]} {tally[s]}" for s in STATUSES if s in tally]
        head = f"Checked {len(results)} files: " if en else f"共检查 {len(results)} 个文件："
        console.print(Text(head + ("; ".join(parts) if en else "，".join(parts))))


def _print_one(console: Console, r: CheckResult, lang: str) -> None:
    en = lang == "en"
    labels = SEVERITY_LABEL[lang]
    console.rule(Text(r.path, style="bold"), align="left")
    facts = []
    if r.agency:
        facts.append(("Agency: " if en else "单位：") + r.agency)
    if r.year:
        facts.append(("Year: " if en else "年度：") + str(r.year))
    if r.ret and r.ret.parts:
        how = {"template": ("模板", "template"), "labels": ("按标签识别", "read by labels")}[r.ret.source]
        facts.append(f"Format: {r.ret.spec.id} ({how[1]})" if en else f"格式：{r.ret.spec.id}（{how[0]}）")
    if r.application:
        facts.append(("Saved by: " if en else "保存软件：") + r.application)
    if facts:
        console.print(Text(("   " if en else "　").join(facts)))
    c = counts(r.findings)
    status = STATUS_LABEL[lang][r.status]
    style = {"ok": "bold green", "warnings": "bold yellow", "errors": "bold red", "unreadable": "bold red"}[r.status]
    summary = (
        f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes"
        if en
        else f"{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示"
    )
    console.print(Text(f"Result: {status} ({summary})" if en else f"结果：{status}（{summary}）", style=style))
    if not r.findings:
        return
    table = Table(show_lines=True, expand=False)
    for head in (
        ("级别", "Level"),
        ("位置", "Where"),
        ("行", "Row"),
        ("列", "Column"),
        ("问题与改法", "Problem and fix"),
    ):
        table.add_column(head[1] if en else head[0], overflow="fold")
    for f in r.findings:
        where = f.where or "—"
        body = Text(f.message)
        body.append(("\nFix: " if en else "\n改法：") + f.fix, style="dim")
        table.add_row(
            Text(labels[f.severity], style=STYLE[f.severity]),
            Text(where),
            Text(f.row_label),
            Text(f.column_label),
            body,
        )
    console.print(table)
