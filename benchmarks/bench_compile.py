"""Compile speed and memory: ``zfxxgk compile --jobs 2`` on N generated returns vs a python-calamine read.

    python benchmarks/bench_compile.py [--n 10000] [--jobs 2] [--memory 2000,20000] [--cached]

The corpus (a roster of N agencies and one filled return each) is generated once per N into
benchmarks/.cache/ and reused: 100 distinct filled templates, copied with each agency's own name and
code written into the copy (about 27.5 KB a return: 20,000 take 0.55 GB, 200,000 take 5.5 GB of disk;
generating takes about 3 ms a return on this machine: 1 minute for 20,000, about 10 minutes for 200,000).
``zfxxgk compile --no-cache`` runs on all N; the baseline reads the same N files in one process with
python-calamine, values only (every sheet's cells as Python values): the floor a compile that must read
every file cannot beat by much with two worker processes. The ratio compile/baseline is of the same
run on the same files. Peak memory is the largest resident size of the whole process tree (main
process and workers), sampled every 100 ms, with the main process's own peak beside it; ``--memory``
measures it at other counts too (with the load average before each run) and prints the ratio of the
last to the first. Where the compile's own process spends its time (checking wait,
matching, writing each output, its CPU against its workers') is read from the compile's log.
``--cached`` runs the compile a second time with its cache (nothing changed: nothing is checked).
Results are printed, not asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
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
import sys
from python_calamine import CalamineWorkbook
cells = 0
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python())
print(cells)
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
        name, code = f"示范县第{i:06d}号单位", f"C{i:08d}"
        w.writerow([name, code])
        (returns / f"{name}.xlsx").write_bytes(_rename(bases[i % len(bases)], name, code))
    (folder / "roster.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
    (folder / "files.txt").write_text("".join(f"{p}\n" for p in sorted(returns.glob("*.xlsx"))), encoding="utf-8")
    (folder / "done").write_text("ok")
    return folder


def _tree_rss(pid: int) -> tuple[int, int]:
    """Resident KiB of a process and all its descendants (following /proc/PID/task/*/children), and of it alone."""
    total = own = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                rss = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            total += rss
            own = rss if p == pid else own
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, StopIteration):
            continue
    return total, own


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak tree RSS (MB) of a command, and the peak of its own process (the compile's parent)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = own_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, own_peak
        while not done.is_set():
            total, own = _tree_rss(proc.pid)
            peak, own_peak = max(peak, total), max(own_peak, own)
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    done.set()
    thread.join()
    if code:
        sys.exit(f"command failed ({code}): {' '.join(cmd[:6])} …")
    return time.perf_counter() - t0, peak / 1024, own_peak / 1024


def compile_cmd(folder: Path, jobs: int, cached: bool = False) -> list[str]:
    out = folder / "out" / "汇总.xlsx"
    return [
        sys.executable, "-m", "zfxxgk.cli", "compile", str(folder / "returns"), "--roster", str(folder / "roster.csv"),
        "--year", "2025", "-o", str(out), "--jobs", str(jobs),
        *(["--cache", str(folder / "out" / "cache.sqlite")] if cached else ["--no-cache"]),
    ]  # fmt: skip


def phases(folder: Path) -> str:
    """The compile's own account of its time (the last run's lines of 汇总.log)."""
    log = (folder / "out" / "汇总.log").read_text(encoding="utf-8").splitlines()
    start = max(n for n, line in enumerate(log) if " compile " in line)
    lines = [re.sub(r"^.*?: ", "", line) for line in log[start:] if re.search(r": (time|cpu): ", line)]
    return "\n".join(f"  {line}" for line in lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--memory", default="", help="other counts to measure peak memory at, e.g. 2000,20000")
    ap.add_argument("--cached", action="store_true", help="also a second, cached compile of the same files")
    args = ap.parse_args()
    folder = corpus(args.n)
    print(f"returns: {args.n}, jobs: {args.jobs}, cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}")
    (folder / "out" / "cache.sqlite").unlink(missing_ok=True)
    ours, ours_mb, own_mb = measure(compile_cmd(folder, args.jobs, cached=args.cached))
    print(f"zfxxgk compile --jobs {args.jobs}  : {ours:7.1f} s  {args.n / ours:7.1f} files/s  peak {ours_mb:6.0f} MB (parent {own_mb:.0f} MB)")
    print(phases(folder))
    base, base_mb, _ = measure([sys.executable, "-c", BASELINE, str(folder / "files.txt")])
    print(f"calamine, one process : {base:7.1f} s  {args.n / base:7.1f} files/s  peak {base_mb:6.0f} MB")
    print(f"compile / calamine: {ours / base:.2f}x (target 1.2x)")
    if args.cached:
        again, again_mb, _ = measure(compile_cmd(folder, args.jobs, cached=True))
        print(f"again, from the cache : {again:7.1f} s  peak {again_mb:6.0f} MB ({ours / again:.1f}x faster)")
    peaks = []
    for n in (int(x) for x in args.memory.split(",") if x):
        folder, load = corpus(n), os.getloadavg()[0]
        seconds, mb, own_mb = measure(compile_cmd(folder, args.jobs))
        peaks.append((n, mb))
        print(f"peak memory at {n:>7} returns: {mb:6.0f} MB (its parent process {own_mb:4.0f} MB; {seconds:.0f} s, load {load:.1f})")
        print(phases(folder))
    if len(peaks) > 1:
        print(f"peak at {peaks[-1][0]} / peak at {peaks[0][0]}: {peaks[-1][1] / peaks[0][1]:.2f}x (target 1.15x)")


if __name__ == "__main__":
    main()
