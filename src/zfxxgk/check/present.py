"""Check results for people (a readable table) and for programs (JSON, schema documented in README)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..findings import SEVERITY_LABEL, counts
from ..messages import text
from .result import STATUS_LABEL, STATUSES, CheckResult

JSON_SCHEMA_VERSION = 1
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SOURCE = {"template": "check.source-template", "labels": "check.source-labels"}
HEADS = ("check.head-severity", "check.head-where", "check.head-row", "check.head-column", "check.head-problem")


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
    """Each result as a heading, its facts, a one-line verdict and a table of findings; then a tally."""
    for r in results:
        _print_one(console, r, lang)
    if len(results) > 1:
        tally = Counter(r.status for r in results)
        parts = text("check.tally-separator", lang).join(
            f"{STATUS_LABEL[lang][s]} {tally[s]}" for s in STATUSES if s in tally
        )
        console.print(Text(text("check.tally", lang, count=len(results), parts=parts)))


def _facts(r: CheckResult, lang: str) -> list[str]:
    facts = []
    if r.agency:
        facts.append(text("check.fact-agency", lang, agency=r.agency))
    if r.year:
        facts.append(text("check.fact-year", lang, year=r.year))
    if r.ret and r.ret.parts:
        source = text(SOURCE[r.ret.source], lang)
        facts.append(text("check.fact-format", lang, spec=r.ret.spec.id, source=source))
    if r.application:
        facts.append(text("check.fact-application", lang, application=r.application))
    return facts


def _print_one(console: Console, r: CheckResult, lang: str) -> None:
    labels = SEVERITY_LABEL[lang]
    console.rule(Text(r.path, style="bold"), align="left")
    facts = _facts(r, lang)
    if facts:
        console.print(Text(text("check.fact-separator", lang).join(facts)))
    status = STATUS_LABEL[lang][r.status]
    style = {"ok": "bold green", "warnings": "bold yellow", "errors": "bold red", "unreadable": "bold red"}[r.status]
    tally = text("check.counts", lang, **counts(r.findings))
    console.print(Text(text("check.result", lang, status=status, counts=tally), style=style))
    if not r.findings:
        return
    table = Table(show_lines=True, expand=False)
    for head in HEADS:
        table.add_column(text(head, lang), overflow="fold")
    for f in r.findings:
        body = Text(f.message)
        body.append("\n" + text("check.fix", lang, fix=f.fix), style="dim")
        table.add_row(
            Text(labels[f.severity], style=STYLE[f.severity]),
            Text(f.where or "—"),
            Text(f.row_label),
            Text(f.column_label),
            body,
        )
    console.print(table)
