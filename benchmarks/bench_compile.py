"""Compile speed and memory: ``zfxxgk compile`` on N generated returns vs openpyxl + the same sums.

    python benchmarks/bench_compile.py [--n 10000] [--baseline 300] [--jobs 2]

The corpus (a roster of N agencies and one filled return each) is generated once into
benchmarks/.cache/ and reused: 100 distinct filled templates, copied with each agency's own name and
code written into the copy. ``zfxxgk compile`` runs on all N; the baseline -- ``openpyxl.load_workbook``
of each file plus the same cell-wise sums, in one process -- runs on the first ``--baseline`` files
(at ~60 ms a file it would take ten minutes on all 10,000) and is reported as files per second.
Peak memory is the largest resident size of the whole process tree (main process and workers),
sampled every 100 ms. Targets from the issue, on a 2-core machine: 10,000 returns in under 30 s and
peak memory under 500 MB. Results are printed, not asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from zfxxgk.figures import consistent_figures, inputs_only
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec, load_spec
from zfxxgk.template.writer import build_template

CACHE = Path(__file__).resolve().parent / ".cache"
PLACEHOLDER_NAME = "基准单位XXXXXXXXXX"
PLACEHOLDER_CODE = "CODEXXXXXXXXXX"
BASELINE = r"""
import sys, openpyxl
from zfxxgk.template.plan import workbook_plan
from zfxxgk.spec import load_spec
spec = load_spec()
plan = workbook_plan(spec)
cells = [c for c in spec.cells.values() if c.domain.numeric]
totals = dict.fromkeys((c.id for c in cells), 0)
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for c in cells:
        sheet, r, col = plan.positions[c.id]
        v = wb[sheet].cell(r + 1, col + 1).value
        if isinstance(v, (int, float)):
            totals[c.id] += v
print(sum(totals.values()))
"""


PROSE = {"text.overview_active.body": "主动公开政府信息。", "text.problems.body": "存在的问题。", "text.other.body": "无。"}


def consistent(spec: Spec, rnd: random.Random) -> dict[str, object]:
    """Figures that pass every rule (small, like most agencies'), and the required prose."""
    return {**inputs_only(spec, consistent_figures(spec, rnd.randint, size=3)), **PROSE}


def _rename(data: bytes, name: str, code: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                body = body.replace(PLACEHOLDER_NAME.encode(), name.encode()).replace(
                    PLACEHOLDER_CODE.encode(), code.encode()
                )
            dst.writestr(info, body)
    return out.getvalue()


def corpus(n: int) -> Path:
    spec = load_spec()
    folder = CACHE / f"compile-{n}-{spec.hash[:8]}"  # made anew when the spec changes
    if (folder / "done").exists():
        return folder
    rnd = random.Random(7)
    bases = [
        build_template(spec, 2025, Agency(PLACEHOLDER_NAME, PLACEHOLDER_CODE), prefill=consistent(spec, rnd))
        for _ in range(100)
    ]
    returns = folder / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["单位名称", "单位编码"])
    for i in range(n):
        name, code = f"示范县第{i:05d}号单位", f"C{i:08d}"
        w.writerow([name, code])
        (returns / f"{name}.xlsx").write_bytes(_rename(bases[i % len(bases)], name, code))
    (folder / "roster.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
    (folder / "done").write_text("ok")
    return folder


def _tree_rss(pid: int) -> int:
    """Resident KiB of a process and all its descendants (following /proc/PID/task/*/children)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, StopIteration):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak tree RSS (MB) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    done.set()
    thread.join()
    if code:
        sys.exit(f"command failed ({code}): {' '.join(cmd[:6])} …")
    return time.perf_counter() - t0, peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--baseline", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    folder = corpus(args.n)
    out = folder / "out"
    ours, ours_mb = measure(
        [
            sys.executable,
            "-m",
            "zfxxgk.cli",
            "compile",
            str(folder / "returns"),
            "--roster",
            str(folder / "roster.csv"),
            "--year",
            "2025",
            "-o",
            str(out / "汇总.xlsx"),
            "--jobs",
            str(args.jobs),
        ]
    )
    files = sorted((folder / "returns").glob("*.xlsx"))[: args.baseline]
    base, base_mb = measure([sys.executable, "-c", BASELINE, *map(str, files)])
    print(f"returns: {args.n}, jobs: {args.jobs}, cpus: {os.cpu_count()}")
    print(f"zfxxgk compile          : {ours:7.1f} s  {args.n / ours:8.1f} files/s  peak {ours_mb:6.0f} MB")
    print(
        f"openpyxl + sums (on {len(files)}) : {base:7.1f} s  {len(files) / base:8.1f} files/s  peak {base_mb:6.0f} MB"
    )
    print(f"speed-up: {(args.n / ours) / (len(files) / base):.1f}x")
    print(
        f"targets: under 30 s -> {'met' if ours < 30 else 'NOT met'}; under 500 MB -> "
        f"{'met' if ours_mb < 500 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
