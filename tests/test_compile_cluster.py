"""``compile --scheduler``: the checks on a real Dask cluster (a scheduler and two workers on 127.0.0.1).

The scheduler and the workers are ``dask`` command-line processes started here, with this checkout on
their ``PYTHONPATH`` (the tests folder too, for the per-file checks below that slow a file down or log
its name). The scheduler allows no task a second try after a worker's death
(``allowed-failures: 0``), so a worker killed mid-run costs its batch, which is what is asserted.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import filled_template
from zfxxgk.cli import main
from zfxxgk.county import CompileError, compile_county
from zfxxgk.county.checking import Task, check_one
from zfxxgk.county.store import Outcome
from zfxxgk.spec import Spec

distributed = pytest.importorskip("distributed")
HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
HANGS = "单位27.xlsx"  # in the zip: given up after the time limit per file, on a worker as here
FILES = 30  # 26 workbooks, a zip of 3 more and a broken file; 31 agencies on the roster (two never report)


def slow_check(task: Task) -> Outcome:
    """The real check, a little slower, so that a worker can be killed while it is busy."""
    time.sleep(0.3)
    return check_one(task)


def logged_check(task: Task) -> Outcome:
    """The real check, logging the file's name from the worker (the record must reach 汇总.log)."""
    logging.getLogger("zfxxgk.tests.cluster").warning("checking %s", task[0].file_name)
    return check_one(task)


def hanging_check(task: Task) -> Outcome:
    """The real check, except that one file never finishes."""
    while task[0].file_name == HANGS:
        time.sleep(0.05)
    return check_one(task)


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory, spec21: Spec) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("returns")
    folder, loose = root / "in", root / "loose"
    folder.mkdir()
    loose.mkdir()
    names = [f"单位{n:02d}" for n in range(31)]
    roster = root / "roster.csv"
    roster.write_text("单位名称\n" + "".join(f"{n}局\n" for n in names), encoding="utf-8")
    for n, name in enumerate(names[:29]):
        filled_template((folder if n < 26 else loose) / f"{name}.xlsx", spec21, agency=f"{name}局", seed=n)
    with zipfile.ZipFile(folder / "打包.zip", "w") as zf:
        for path in sorted(loose.iterdir()):
            zf.write(path, path.name)
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    return folder, roster


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-thread workers, all on 127.0.0.1, stopped afterwards."""
    root = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
    quiet = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
    started = [_dask(env, root, "scheduler", "--host", "127.0.0.1", "--port", "0", *quiet,
                     "--scheduler-file", str(root / "scheduler.json"))]  # fmt: skip
    try:
        address = _address(root / "scheduler.json", started[0])
        for n in range(2):
            started.append(_dask(env, root, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                 "--name", f"w{n}", "--local-directory", str(root), *quiet))  # fmt: skip
        _wait_for_workers(address, 2)
        yield address
    finally:
        for proc in reversed(started):
            os.killpg(proc.pid, signal.SIGTERM)  # the nanny, its worker and the worker's checking process
        for proc in reversed(started):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _dask(env: dict[str, str], root: Path, *args: str) -> subprocess.Popen[bytes]:
    log = (root / f"{args[0]}-{time.monotonic_ns()}.log").open("wb")
    command = [sys.executable, "-m", "dask", *args]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _address(path: Path, proc: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scheduler exited"
        if path.exists() and path.stat().st_size:
            return str(json.loads(path.read_text())["address"])
        time.sleep(0.1)
    raise AssertionError("the scheduler did not start")


def _wait_for_workers(address: str, n: int) -> None:
    with distributed.Client(address, timeout=30) as client:
        client.wait_for_workers(n, timeout=60)


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def _log_lines(path: Path, cut: str = "") -> list[str]:
    """The log without its time stamps, the output paths, the cluster's own line and the timings."""
    lines = [line.split(" ", 2)[2] for line in path.read_text(encoding="utf-8").splitlines() if line[:2] == "20"]
    timings = (": time: ", ": cpu: ")
    return [
        line.replace(cut, "")
        for line in lines
        if "zfxxgk.county.cluster" not in line and not any(t in line for t in timings)
    ]


def _files(path: Path) -> list[str]:
    """The file column of 报送情况."""
    rows = list(openpyxl.load_workbook(path)["报送情况"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "序号")
    return [str(r[4]) for r in rows[head + 1 :] if r[4]]


def _findings(path: Path) -> list[tuple[str, str, str]]:
    """File, code and detail of each problem on 问题清单."""
    rows = list(openpyxl.load_workbook(path)["问题清单"].iter_rows(values_only=True))
    return [(str(r[2]), str(r[5]), str(r[10])) for r in rows[1:] if r[5]]


def _status(path: Path) -> dict[str, tuple[str, str]]:
    """The files that are ``read-failed``, with the code and detail."""
    return {f: (code, detail) for f, code, detail in _findings(path) if code == "read-failed"}


def test_cluster_compile_is_the_local_compile(tmp_path: Path, returns: tuple[Path, Path], scheduler: str) -> None:
    folder, roster = returns
    runner, said = CliRunner(), []
    for name, extra in (("local", ["--jobs", "2"]), ("cluster", ["--scheduler", scheduler])):
        args = [str(folder), "--roster", str(roster), "--year", "2025", "-o", str(tmp_path / name / "汇总.xlsx")]
        done = runner.invoke(main, ["compile", *args, "--csv", str(tmp_path / name / "long.csv"), *extra])
        assert done.exit_code == 0, done.output
        said.append(done.output.replace(str(tmp_path / name), ""))
    assert said[0] == said[1] and "无法读取 1，未报送 2" in said[0]
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    assert _cells(cluster / "汇总.xlsx") == _cells(local / "汇总.xlsx")
    assert (cluster / "long.csv").read_bytes() == (local / "long.csv").read_bytes()
    assert _log_lines(cluster / "汇总.log", str(cluster)) == _log_lines(local / "汇总.log", str(local))
    assert len(_files(cluster / "汇总.xlsx")) == FILES
    assert [code for f, code, _ in _findings(cluster / "汇总.xlsx") if f.endswith("坏文件.xlsx")] == ["file-corrupt"]


def test_files_at_a_url_and_worker_log_records(tmp_path: Path, returns: tuple[Path, Path], scheduler: str) -> None:
    folder, roster = returns
    url = folder.resolve().as_uri()
    assert url.startswith("file:///")
    local = compile_county([folder.resolve()], roster, 2025, tmp_path / "l" / "汇总.xlsx", csv=tmp_path / "l.csv",
                           jobs=2, checker=logged_check)  # fmt: skip
    remote = compile_county([url], roster, 2025, tmp_path / "c" / "汇总.xlsx", csv=tmp_path / "c.csv",
                            scheduler=scheduler, checker=logged_check)  # fmt: skip
    assert remote.tally == local.tally and remote.sources == local.sources == FILES
    prefix = "file://"
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").replace(prefix, "") == (tmp_path / "l.csv").read_text(
        encoding="utf-8-sig"
    )
    logged = [line for line in _log_lines(tmp_path / "c" / "汇总.log") if "zfxxgk.tests.cluster" in line]
    assert logged == [line for line in _log_lines(tmp_path / "l" / "汇总.log") if "zfxxgk.tests.cluster" in line]
    assert len(logged) == FILES and logged[0].endswith("checking 单位00.xlsx")


def test_the_time_limit_per_file_holds_on_the_workers(
    tmp_path: Path, returns: tuple[Path, Path], scheduler: str
) -> None:
    folder, roster = returns
    out = tmp_path / "汇总.xlsx"
    started = time.monotonic()
    result = compile_county([folder / "打包.zip"], roster, 2025, out, scheduler=scheduler, checker=hanging_check,
                            timeout=5)  # fmt: skip
    assert time.monotonic() - started < 40 and result.sources == 3
    timed_out = {f.rsplit("/", 1)[-1]: detail for f, (_, detail) in _status(out).items()}
    assert list(timed_out) == [HANGS] and "超过每个文件的时间限制（5 秒）" in timed_out[HANGS]
    assert result.tally["ok"] == 2


def test_a_worker_killed_mid_run_costs_its_batch_only(
    tmp_path: Path, returns: tuple[Path, Path], scheduler: str
) -> None:
    folder, roster = returns
    killed: list[int] = []

    def kill_a_busy_worker(stage: str, done: int, total: int | None) -> None:
        if killed or stage != "check" or not done:
            return
        with distributed.Client(scheduler, timeout=10) as client:
            busy = [w for w, keys in client.processing().items() if keys]
            pid = int(client.run(os.getpid, workers=busy[:1])[busy[0]])
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    out = tmp_path / "汇总.xlsx"
    result = compile_county([folder], roster, 2025, out, scheduler=scheduler, checker=slow_check,
                            progress=kill_a_busy_worker)  # fmt: skip
    assert killed and result.sources == FILES
    failed = _status(out)
    lost = {name for name, (_, detail) in failed.items() if "KilledWorker" in detail}
    assert lost and len(lost) < FILES - 1, failed
    assert all("集群上的检查任务失败" in failed[name][1] for name in lost)
    assert len(_files(out)) == FILES  # every file still listed
    _wait_for_workers(scheduler, 2)  # the nanny starts the killed worker again


def test_a_task_that_raises_fails_its_files(
    tmp_path: Path, returns: tuple[Path, Path], scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check the workers cannot import (it exists in this process only): every task raises there."""
    (tmp_path / "here_only.py").write_text(
        "from zfxxgk.county.checking import check_one\n\n\ndef check(task):\n    return check_one(task)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from here_only import check  # type: ignore[import-not-found]

    folder, roster = returns
    out = tmp_path / "汇总.xlsx"
    result = compile_county([folder], roster, 2025, out, scheduler=scheduler, checker=check)
    assert result.sources == FILES
    failed = _status(out)
    assert len(failed) == FILES and all("here_only" in detail for _, detail in failed.values()), failed


def test_unreachable_scheduler_and_other_versions_are_refused(
    tmp_path: Path, returns: tuple[Path, Path], scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, roster = returns
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [str(folder), "--roster", str(roster), "--year", "2025", "-o", str(tmp_path / "汇总.xlsx")]
    done = CliRunner().invoke(main, ["compile", *args, "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert done.exit_code == 2 and f"无法连接 Dask 调度器 tcp://127.0.0.1:{port}" in done.output, done.output
    assert not (tmp_path / "汇总.xlsx").exists()
    # A spec only this process knows of: the workers' specs differ from this process's.
    extra = tmp_path / "specs"
    extra.mkdir()
    (extra / "province-x.yaml").write_text('id: province-x\nextends: national-2021\nversion: "1"\n', encoding="utf-8")
    monkeypatch.setenv("ZFXXGK_SPEC_PATH", str(extra))
    with pytest.raises(CompileError, match="province-x") as refused:
        compile_county([folder], roster, 2025, tmp_path / "x.xlsx", scheduler=scheduler, lang="en")
    assert "install the same version on every worker" in str(refused.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_a_batch_refuses_a_worker_that_differs(returns: tuple[Path, Path], scheduler: str) -> None:
    """The check each batch repeats on its worker (for a worker that joined after the check at the start)."""
    from zfxxgk.county import cluster
    from zfxxgk.county.checking import Limits
    from zfxxgk.read.sources import expand

    folder, _ = returns
    batch: list[Task] = [(s, n, 2025, None, "en") for n, s in enumerate(list(expand([folder]))[:2])]
    other = {**cluster.stamp(()), "zfxxgk": "0.0.0"}
    with distributed.Client(scheduler, timeout=10) as client:
        future = client.submit(cluster.check_batch, batch, check_one, Limits(), logging.INFO, other, pure=False)
        with pytest.raises(RuntimeError, match=r"worker tcp://127\.0\.0\.1:\d+ runs another zfxxgk version.*0\.0\.0"):
            future.result(timeout=30)
        assert len(client.submit(cluster.check_batch, batch, check_one, Limits(), logging.INFO, cluster.stamp(()),
                                 pure=False).result(timeout=30)) == 2  # fmt: skip
