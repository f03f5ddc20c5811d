"""The per-file checks on a Dask cluster vs the local pool, on the same files in the same run.

    python benchmarks/bench_cluster.py [--n 400] [--batches 1,10,25,50]

A real scheduler and two single-thread ``dask worker`` processes are started on 127.0.0.1 (no
LocalCluster), as ``compile --scheduler`` would find them; the local baseline is the process pool of
``compile --jobs 2``. Both check the same N generated returns (the corpus of bench_compile.py, in
benchmarks/.cache/) and every outcome is compared; the cluster's time is reported as a ratio of the
pool's for each batch size (files per task), the pool timed again just before each. A warm-up run on the cluster (the workers' first
imports and spec loads) is not counted. Results are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_compile import corpus
from zfxxgk.county import cluster, pool
from zfxxgk.county.checking import Limits, Task, check_one
from zfxxgk.read.sources import expand

SRC = Path(__file__).resolve().parent.parent / "src"


@contextmanager
def dask_cluster(workers: int) -> Iterator[str]:
    """A scheduler and ``workers`` single-thread workers on 127.0.0.1, as subprocesses; its address."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    quiet = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
    with tempfile.TemporaryDirectory(prefix="zfxxgk-bench-dask-") as tmp:
        info = Path(tmp) / "scheduler.json"
        base = [sys.executable, "-m", "dask"]
        args = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(info), *quiet]
        procs = [subprocess.Popen([*base, *args], env=env, stderr=subprocess.DEVNULL)]
        try:
            while not (info.exists() and info.stat().st_size):
                time.sleep(0.1)
            address = str(json.loads(info.read_text())["address"])
            for n in range(workers):
                args = ["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--name", f"w{n}", *quiet]
                procs.append(
                    subprocess.Popen([*base, *args, "--local-directory", tmp], env=env, stderr=subprocess.DEVNULL)
                )
            yield address
        finally:
            for proc in reversed(procs):
                proc.terminate()
            for proc in procs:
                proc.wait(30)


def timed(outcomes: Iterator[object]) -> tuple[float, list[object]]:
    started = time.perf_counter()
    got = list(outcomes)
    return time.perf_counter() - started, got


def key(outcome: object) -> tuple[object, ...]:
    o = outcome
    return (o.index, o.name, o.status, o.errors, o.warnings, sorted(o.values.items()))  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--batches", default="1,10,25,50")
    args = ap.parse_args()
    folder = corpus(args.n)
    sources = list(expand([folder / "returns"]))
    tasks: list[Task] = [(s, n, 2025, None, "zh") for n, s in enumerate(sources)]
    print(f"returns: {len(tasks)}, cpus: {os.cpu_count()}")
    with dask_cluster(2) as address:
        limits = Limits(scheduler=address)
        list(cluster.run(tasks[:40], check_one, limits, batch=10))  # warm-up: imports and specs on the workers
        for size in (int(b) for b in args.batches.split(",")):
            # The pool is timed just before each cluster run: on a shared machine the load changes meanwhile.
            local, expected = timed(pool.run(tasks, 2, check_one, Limits()))
            took, got = timed(cluster.run(tasks, check_one, limits, batch=size))
            same = [key(o) for o in got] == [key(o) for o in expected]
            print(
                f"batch {size:3d}: local pool (2 processes) {local:6.1f} s, scheduler + 2 workers {took:6.1f} s "
                f"({len(tasks) / took:6.1f} files/s): {took / local:4.2f}x the pool's time, "
                f"outcomes {'identical' if same else 'DIFFER'}"
            )


if __name__ == "__main__":
    main()
