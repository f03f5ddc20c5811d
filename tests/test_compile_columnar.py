"""Province scale: the columnar results of a compile, the compile cache, and 明细 past its limit.

The results folder must say what 汇总.xlsx says (same rows, same findings, the same totals from the
included cells); a second compile with the cache checks only new or changed files and writes the same
outputs as a full run; a damaged cache or a changed spec or tool version never gives a wrong result.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from helpers import DEMO, filled_template
from spec_files import write_variant
from zfxxgk.county import cache as cache_module
from zfxxgk.county import compile as compile_module
from zfxxgk.county import compile_county, read_results
from zfxxgk.county import workbook as workbook_module
from zfxxgk.county.checking import Task, check_one
from zfxxgk.county.results import CELLS, FINDINGS, META, RETURNS
from zfxxgk.county.store import Outcome
from zfxxgk.spec import Spec

CALLS_ENV = "ZFXXGK_TEST_CALLS"
README = Path(__file__).resolve().parent.parent / "README.md"


def counted_check(task: Task) -> Outcome:
    """The real check, recording the file's name (workers are processes: one marker file per call)."""
    folder = Path(os.environ[CALLS_ENV])
    (folder / f"{os.getpid()}-{task[1]}-{os.urandom(4).hex()}").write_text(task[0].file_name, encoding="utf-8")
    return check_one(task)


def crashing_check(task: Task) -> Outcome:
    """A file named exit* kills its worker (as a crash in a native library would); the others are counted."""
    if task[0].file_name.startswith("exit"):
        os._exit(3)
    return counted_check(task)


def counting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder where :func:`counted_check` records each file it checks (see :func:`calls`)."""
    seen = tmp_path / "calls"
    seen.mkdir()
    monkeypatch.setenv(CALLS_ENV, str(seen))
    return seen


def calls(folder: Path) -> list[str]:
    names = sorted(p.read_text(encoding="utf-8") for p in folder.iterdir())
    for p in folder.iterdir():
        p.unlink()
    return names


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def status_body(path: Path) -> list[tuple[Any, ...]]:
    rows = sheets(path)["报送情况"]
    return rows[next(n for n, r in enumerate(rows) if r[0] == "序号") + 1 :]


def test_the_results_folder_says_what_the_workbook_says(tmp_path: Path) -> None:
    out, folder = tmp_path / "汇总.xlsx", tmp_path / "results"
    result = compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, out, results=folder, jobs=2)
    assert folder in result.written and sorted(p.name for p in folder.iterdir()) == sorted(
        [RETURNS, CELLS, FINDINGS, META]
    )
    r = read_results(folder)
    body = status_body(out)
    assert len(r.returns) == len(body) and list(r.returns.agency) == [row[1] for row in body]
    assert list(r.returns.status) == [result.county.rows[n].status for n in range(len(body))]
    assert r.returns.how[r.returns.included].isin(["code", "meta", "name", "loose", "conflict", "suffix", "file"]).all()
    assert len(r.findings) == len(sheets(out)["问题清单"]) - 1
    assert set(r.findings.fingerprint) == {row[-1] for row in sheets(out)["问题清单"][1:]}
    # Every total of 汇总表 is the sum of the included cells of the long table.
    included = r.cells[r.cells.included]
    sums = included.groupby("cell_id")["value"].sum()
    totals = result.county.totals
    assert totals and all(Decimal(sums.get(cell_id, 0)) == v for cell_id, v in totals.items())
    assert r.meta["spec_id"] == result.county.spec.id and r.meta["counts"]["cells"] == len(r.cells)
    assert set(r.cells.agency) <= set(r.returns.agency) and r.cells.value.map(type).eq(Decimal).any()


def test_a_damaged_results_file_is_an_error_never_other_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, tmp_path / "汇总.xlsx", results=folder, jobs=1)
    good = (folder / CELLS).read_bytes()
    want = read_results(folder).cells
    footer = len(good) - 8 - int.from_bytes(good[-8:-4], "little")  # the pages lie before the footer
    for at in range(4, footer, max(1, footer // 150)):
        (folder / CELLS).write_bytes(good[:at] + bytes([good[at] ^ 0x01]) + good[at + 1 :])
        try:
            got = read_results(folder).cells
        except (OSError, pa.ArrowException):  # refused (a checksum, a page header, lengths that do not add up)
            continue
        assert got.equals(want), f"a flipped bit at byte {at} changed the figures silently"


def test_the_readme_analysis_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The three pandas lines of the README, run exactly as printed there, on a compile of the demo."""
    block = re.search(r"```python\n(from zfxxgk\.county import read_results\n.*?)```", README.read_text("utf-8"), re.S)
    assert block, "the README's analysis block is missing"
    lines = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(lines) == 4  # the import and three lines of analysis
    compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, tmp_path / "汇总.xlsx", results=tmp_path / "结果")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    exec("\n".join(lines), scope)  # the README's own lines, nothing else
    table = scope["by_outcome"]
    assert isinstance(table, pd.DataFrame) and len(table) > 5 and table.to_numpy().sum() > 0


def _corpus(tmp_path: Path, spec: Spec, n: int) -> tuple[Path, Path]:
    folder, roster = tmp_path / "in", tmp_path / "roster.csv"
    folder.mkdir()
    roster.write_text("单位名称\n" + "".join(f"第{k}局\n" for k in range(n + 1)), encoding="utf-8")
    for k in range(n):
        filled_template(folder / f"第{k}局.xlsx", spec, agency=f"第{k}局", seed=k)
    return folder, roster


def _compile(folder: Path, roster: Path, out_dir: Path, cache: Path | None) -> Path:
    out = out_dir / "汇总.xlsx"
    compile_county(
        [folder], roster, 2025, out, csv=out_dir / "long.csv", results=out_dir / "results", jobs=2, cache=cache,
        checker=counted_check,
    )  # fmt: skip
    return out


def _same_outputs(a: Path, b: Path) -> None:
    """Two compiles' outputs: 汇总.xlsx cell by cell, the CSV byte for byte, the Parquet files row by row."""
    assert sheets(a / "汇总.xlsx") == sheets(b / "汇总.xlsx")
    assert filecmp.cmp(a / "long.csv", b / "long.csv", shallow=False)
    ra, rb = read_results(a / "results"), read_results(b / "results")
    for name in ("returns", "cells", "findings"):
        pd.testing.assert_frame_equal(getattr(ra, name), getattr(rb, name))
    assert ra.meta == rb.meta


def test_a_second_compile_checks_only_new_or_changed_files(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, roster = _corpus(tmp_path, spec21, 6)
    seen = counting(tmp_path, monkeypatch)
    cache = tmp_path / "cache.sqlite"
    _compile(folder, roster, tmp_path / "first", cache)
    assert len(calls(seen)) == 6
    # One file changed (other figures, same name), one new, one renamed (its findings name it: checked again).
    filled_template(folder / "第1局.xlsx", spec21, agency="第1局", seed=99)
    filled_template(folder / "第6局.xlsx", spec21, agency="第6局", seed=6)
    (folder / "第2局.xlsx").rename(folder / "第2局-改.xlsx")
    _compile(folder, roster, tmp_path / "second", cache)
    assert calls(seen) == ["第1局.xlsx", "第2局-改.xlsx", "第6局.xlsx"]
    _compile(folder, roster, tmp_path / "full", None)
    assert len(calls(seen)) == 7
    _same_outputs(tmp_path / "second", tmp_path / "full")
    # Nothing changed: nothing is checked, and the outputs are again the same.
    _compile(folder, roster, tmp_path / "third", cache)
    assert calls(seen) == []
    _same_outputs(tmp_path / "third", tmp_path / "full")


def test_a_new_tool_version_or_a_changed_spec_checks_everything_again(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, roster = _corpus(tmp_path, spec21, 3)
    seen = counting(tmp_path, monkeypatch)
    specs = tmp_path / "specs"
    variant = write_variant(specs, "name: 变体一\n")
    monkeypatch.setenv("ZFXXGK_SPEC_PATH", str(specs))
    cache = tmp_path / "cache.sqlite"
    _compile(folder, roster, tmp_path / "a", cache)
    assert len(calls(seen)) == 3
    _compile(folder, roster, tmp_path / "b", cache)
    assert calls(seen) == []
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    _compile(folder, roster, tmp_path / "c", cache)
    assert len(calls(seen)) == 3
    variant.write_text(variant.read_text("utf-8").replace("变体一", "变体二"), encoding="utf-8")
    os.utime(variant, (1e9, 1e9))  # another mtime whatever the clock's resolution: the spec is read anew
    _compile(folder, roster, tmp_path / "d", cache)
    assert len(calls(seen)) == 3
    _same_outputs(tmp_path / "a", tmp_path / "d")


def test_a_damaged_cache_costs_time_never_a_wrong_result(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder, roster = _corpus(tmp_path, spec21, 3)
    seen = counting(tmp_path, monkeypatch)
    cache = tmp_path / "cache.sqlite"
    _compile(folder, roster, tmp_path / "full", cache)
    calls(seen)
    # An entry whose body was altered on disk is not used: its file is checked again.
    import sqlite3

    with sqlite3.connect(cache) as db:
        (key, body) = db.execute("SELECT key, body FROM outcome ORDER BY key LIMIT 1").fetchone()
        db.execute("UPDATE outcome SET body = ? WHERE key = ?", (body[:-9] + b"XXXXXXXXX", key))
    _compile(folder, roster, tmp_path / "altered", cache)
    assert len(calls(seen)) == 1
    _same_outputs(tmp_path / "altered", tmp_path / "full")
    # A cache file that is not a database at all: every file is checked, with a line in the log.
    cache.write_bytes(b"not a database" * 100)
    _compile(folder, roster, tmp_path / "garbage", cache)
    assert len(calls(seen)) == 3
    _same_outputs(tmp_path / "garbage", tmp_path / "full")
    log = (tmp_path / "garbage" / "汇总.log").read_text("utf-8")
    assert "compile cache" in log and "cannot be used" in log


def test_a_file_that_killed_its_worker_is_not_cached_but_checked_again(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, roster = _corpus(tmp_path, spec21, 3)
    filled_template(folder / "exit.xlsx", spec21, agency="第3局", seed=3)
    seen = counting(tmp_path, monkeypatch)
    cache = tmp_path / "cache.sqlite"
    for run in ("a", "b"):
        out = tmp_path / run / "汇总.xlsx"
        compile_county([folder], roster, 2025, out, jobs=2, cache=cache, checker=crashing_check)
        statuses = {row[4].rsplit("/", 1)[-1]: row[3] for row in status_body(out) if row[4]}
        assert statuses["exit.xlsx"] == "无法读取" and len(statuses) == 4  # every file accounted for
        assert calls(seen) == ([] if run == "b" else ["第0局.xlsx", "第1局.xlsx", "第2局.xlsx"])
    assert "exited" in (tmp_path / "b" / "汇总.log").read_text("utf-8")  # checked (and crashed) again


def test_workers_are_replaced_after_some_files_and_every_file_is_still_checked_once(
    tmp_path: Path, spec21: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a check caches per process cannot grow with the count: each worker checks a few files, then a fresh one."""
    from zfxxgk.county import pool

    folder, roster = _corpus(tmp_path, spec21, 6)
    seen = counting(tmp_path, monkeypatch)
    monkeypatch.setattr(pool, "RECYCLE", 1)
    compile_county([folder], roster, 2025, tmp_path / "汇总.xlsx", jobs=2, checker=counted_check)
    pids = {p.name.split("-")[0] for p in seen.iterdir()}
    assert len(pids) >= 4 and calls(seen) == sorted(f"第{k}局.xlsx" for k in range(6))
    assert sorted(r[3] for r in status_body(tmp_path / "汇总.xlsx")).count("未报送") == 1


def test_past_the_detail_limit_the_detail_sheet_points_to_the_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = tmp_path / "full" / "汇总.xlsx"
    compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, full, jobs=2)
    monkeypatch.setattr(workbook_module, "DETAIL_LIMIT", 3)
    monkeypatch.setattr(compile_module, "DETAIL_LIMIT", 3)
    out = tmp_path / "big" / "汇总.xlsx"
    result = compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, out, jobs=2)
    folder = compile_module.default_results(out)
    assert folder in result.written and (folder / CELLS).exists()
    detail = sheets(out)["明细"]
    assert len(detail) == 2 and str(folder / CELLS) in str(detail[1][0])
    # 汇总表 holds the same figures, as numbers: they are the sums of the included rows of cells.parquet.
    ours = openpyxl.load_workbook(out)["汇总表"]
    theirs = openpyxl.load_workbook(full, data_only=True)["汇总表"]
    figures = [(c.coordinate, c.value) for row in ours.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert len(figures) > 100
    assert all(theirs[coord].value == value for coord, value in figures)
    cells = read_results(folder).cells
    sums = cells[cells.included].groupby("cell_id")["value"].sum()
    assert all(Decimal(sums.get(k, 0)) == v for k, v in result.county.totals.items())
    assert sheets(out)["报送情况"] == sheets(full)["报送情况"] and sheets(out)["问题清单"] == sheets(full)["问题清单"]


def test_the_command_line_keeps_a_cache_beside_the_output_and_can_do_without(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from zfxxgk.cli import main

    shutil.copytree(DEMO / "returns", tmp_path / "in")
    args = ["compile", str(tmp_path / "in"), "--roster", str(DEMO / "roster.csv"), "--year", "2025", "--jobs", "2"]
    res = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "a" / "汇总.xlsx"), "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a" / f".汇总{compile_module.CACHE_SUFFIX}").is_file() and (tmp_path / "r" / CELLS).is_file()
    res = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "b" / "汇总.xlsx"), "--no-cache"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["汇总.log", "汇总.xlsx"]
    assert "from the cache" in (tmp_path / "a" / "汇总.log").read_text("utf-8")


def test_past_the_findings_limit_the_findings_sheet_lists_the_first_and_points_to_the_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """问题清单 never passes Excel's row limit silently: past its limit a last row says how many findings
    there are and where all of them are (the results folder, written for it)."""
    full = tmp_path / "full" / "汇总.xlsx"
    compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, full, jobs=2)
    listed = sheets(full)["问题清单"][1:]
    limit = len(listed) // 2
    monkeypatch.setattr(workbook_module, "FINDINGS_LIMIT", limit)
    monkeypatch.setattr(compile_module, "FINDINGS_LIMIT", limit)
    out = tmp_path / "big" / "汇总.xlsx"
    result = compile_county([DEMO / "returns"], DEMO / "roster.csv", 2025, out, jobs=2)
    folder = compile_module.default_results(out)
    assert folder in result.written
    rows = sheets(out)["问题清单"][1:]
    assert rows[:limit] == listed[:limit] and len(rows) == limit + 1
    note = str(rows[-1][0])
    assert f"共 {len(listed)} 条问题" in note and f"前 {limit} 条" in note and str(folder / "findings.parquet") in note
    assert len(read_results(folder).findings) == len(listed) - len(result.county.checks)  # the files' own, all of them
    assert sheets(out)["明细"] == sheets(full)["明细"]
