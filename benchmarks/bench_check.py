"""Check speed: ``zfxxgk`` check vs ``openpyxl.load_workbook`` alone, on the same files, in one run.

    python benchmarks/bench_check.py [--n 200] [--libreoffice]

The files are filled templates with random figures (so they carry findings, as real returns do).
With --libreoffice they are first saved by LibreOffice headless, as returns filled in an office
application are. Reports files per second for both and the speed-up; the issue's target is 10x.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from zfxxgk.check.file import check_file
from zfxxgk.libreoffice import convert
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template


def make_files(n: int, folder: Path, libreoffice: bool) -> list[Path]:
    spec = load_spec()
    rnd = random.Random(1)
    files = []
    for i in range(n):
        fill = {c.id: rnd.randint(0, 20) for c in spec.input_cells if c.domain.kind == "integer"}
        fill["text.problems.body"] = "存在的问题。" * 20
        path = folder / f"r{i:05d}.xlsx"
        path.write_bytes(build_template(spec, 2025, Agency(f"单位{i}"), prefill=fill))
        files.append(path)
    if libreoffice:
        files = convert(files, "xlsx", folder / "lo")
    return files


def rate(fn, files: list[Path]) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    for f in files:
        fn(f)
    return len(files) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--libreoffice", action="store_true", help="check LibreOffice-saved copies")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(args.n, Path(tmp), args.libreoffice)
        check_file(files[0], year=2025)  # warm caches
        openpyxl.load_workbook(files[0])
        ours = rate(lambda f: check_file(f, year=2025), files)
        base = rate(openpyxl.load_workbook, files)
    kind = "LibreOffice-saved" if args.libreoffice else "zfxxgk-written"
    print(f"files: {args.n} ({kind})")
    print(f"openpyxl.load_workbook: {base:8.1f} files/s")
    print(f"zfxxgk check          : {ours:8.1f} files/s")
    print(f"speed-up: {ours / base:.1f}x (target >= 10x)")
    sys.exit(0)


if __name__ == "__main__":
    main()
