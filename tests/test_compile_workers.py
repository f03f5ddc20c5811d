"""A compile never aborts: a worker that crashes, hangs or runs out of memory costs only its file.

No file can be relied on to crash the real reader (that would be a bug to fix), so these tests give
``compile_county`` a per-file check of their own: a top-level function of this module that really
crashes the worker process (``os._exit``, SIGSEGV), really loops forever, or really allocates more
than the worker's memory cap for files whose name says so, and runs the real check for every other
file. The pool, the time limit, the memory cap and the outputs are the real ones; only what a file
does to its worker is staged here.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import filled_template
from zfxxgk.cli import main
from zfxxgk.county import compile_county
from zfxxgk.county.checking import Task, check_one
from zfxxgk.county.store import Outcome
from zfxxgk.spec import Spec


def hostile_check(task: Task) -> Outcome:
    """The real check, except for files named to crash, hang or eat memory."""
    name = task[0].file_name
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("segv"):
        faulthandler.disable()  # pytest's traceback dump would only clutter the output
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hang"):
        while True:
            time.sleep(0.05)
    if name.startswith("hog"):
        hoard = [bytearray(16 << 30)]  # 16 GiB at once, far beyond the cap: refused at once, whatever the load
        raise AssertionError(f"{len(hoard)} blocks allocated: the memory cap did not hold")
    return check_one(task)


def returns(tmp_path: Path, spec: Spec, names: list[str]) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n" + "".join(f"{n}局\n" for n in names), encoding="utf-8")
    for n, name in enumerate(names):
        filled_template(folder / f"{name}.xlsx", spec, agency=f"{name}局", seed=n)
    return folder, roster


def status_rows(out: Path) -> dict[str, tuple[str, str]]:
    rows = list(openpyxl.load_workbook(out)["报送情况"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "序号")
    return {str(r[4]).rsplit("/", 1)[-1]: (r[3], r[1]) for r in rows[head + 1 :] if r[4]}


def failures(out: Path) -> dict[str, str]:
    rows = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True))
    return {str(r[2]).rsplit("/", 1)[-1]: str(r[10]) for r in rows[1:] if r[5] == "read-failed"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_crashing_hanging_and_memory_hungry_files_cost_only_themselves(tmp_path: Path, spec21: Spec, jobs: int) -> None:
    names = ["a", "exit", "b", "segv", "c", "hang", "d", "hog", "e"]
    folder, roster = returns(tmp_path, spec21, names)
    out = tmp_path / "汇总.xlsx"
    started = time.monotonic()
    result = compile_county(
        [folder], roster, 2025, out, csv=tmp_path / "long.csv", report=tmp_path / "r.md", jobs=jobs,
        timeout=3, memory=1 << 30, checker=hostile_check,
    )  # fmt: skip
    assert time.monotonic() - started < 60  # the hanging file was given up after its 3 seconds
    assert [p.name for p in result.written] == ["汇总.xlsx", "r.md", "long.csv"]
    assert result.sources == len(names)
    rows = status_rows(out)
    assert set(rows) == {f"{n}.xlsx" for n in names}  # every input listed
    for good in "abcde":
        assert rows[f"{good}.xlsx"] == ("合格", f"{good}局")  # the files checked after a crash are fine
    for bad in ("exit", "segv", "hang", "hog"):
        assert rows[f"{bad}.xlsx"][0] == "无法读取"
    found = failures(out)
    assert "检查进程意外退出" in found["exit.xlsx"] and "3" in found["exit.xlsx"]
    assert "检查进程意外退出" in found["segv.xlsx"] and str(-signal.SIGSEGV) in found["segv.xlsx"]
    assert "超过每个文件的时间限制（3 秒）" in found["hang.xlsx"]
    assert "内存不足" in found["hog.xlsx"]
    assert "exited" in (tmp_path / "汇总.log").read_text(encoding="utf-8")


def test_results_do_not_depend_on_which_worker_died_when(tmp_path: Path, spec21: Spec) -> None:
    folder, roster = returns(tmp_path, spec21, ["a", "exit1", "b", "exit2", "c", "d"])
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"{jobs}" / "汇总.xlsx"
        compile_county([folder], roster, 2025, out, jobs=jobs, checker=hostile_check)
        outs.append([list(ws.iter_rows(values_only=True)) for ws in openpyxl.load_workbook(out)])
    assert outs[0] == outs[1]


def test_the_time_limit_is_an_option_of_the_command(tmp_path: Path, spec21: Spec) -> None:
    folder, roster = returns(tmp_path, spec21, ["a"])
    args = ["compile", str(folder), "--roster", str(roster), "--year", "2025", "-o", str(tmp_path / "o.xlsx")]
    assert CliRunner().invoke(main, [*args, "--timeout", "0"]).exit_code == 2
    res = CliRunner().invoke(main, [*args, "--timeout", "30"])
    assert res.exit_code == 0, res.output
    assert status_rows(tmp_path / "o.xlsx")["a.xlsx"][0] == "合格"


def _archive_id(path: str, queue: Any) -> None:
    from zfxxgk.read import sources

    queue.put(id(sources._archive(path)))


def test_a_forked_worker_opens_an_archive_of_its_own(tmp_path: Path) -> None:
    """Sharing the parent's open archive would share its file offset: two workers reading at once
    then read each other's bytes (bad CRCs)."""
    import multiprocessing

    from zfxxgk.read import sources

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x.xlsx", b"x" * 1000)
    parent = sources._archive(str(path))
    assert sources._archive(str(path)) is parent  # once per process
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_archive_id, args=(str(path), queue))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) != id(parent)
