"""Check speed: ``check_file`` vs a python-calamine values-only read of the same files, in one run.

    python benchmarks/bench_check.py [--n 200] [--libreoffice] [--openpyxl] [--profile KIND]

Two kinds of return, each checked and read on the same files:

- ``template``: filled templates with random figures (so they carry findings, as real returns do),
  read through the template's map;
- ``handmade``: the official tables written by hand in another layout (``tests/handmade.py``, no
  hidden map), read by their labels.

The baseline opens each file with ``CalamineWorkbook.from_path`` and reads every sheet's values
(``to_python``) and does nothing else: the floor any check must stand on. Reports files per second and
the ratio check / read (the issue's target: within 2x). ``.xls`` files are not read by the checker
(they get ``file-xls``), so there is no .xls row. With --libreoffice the files are first saved by
LibreOffice headless, as returns filled in an office application are; --openpyxl adds the old
``openpyxl.load_workbook`` baseline; --profile KIND prints a cProfile of checking that kind.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook

from zfxxgk.check.file import check_file
from zfxxgk.figures import consistent_figures, inputs_only
from zfxxgk.libreoffice import convert
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.handmade import handmade


def make_templates(n: int, folder: Path) -> list[Path]:
    spec = load_spec()
    rnd = random.Random(1)
    files = []
    for i in range(n):
        fill: dict[str, object] = {c.id: rnd.randint(0, 20) for c in spec.input_cells if c.domain.kind == "integer"}
        fill["text.problems.body"] = "存在的问题。" * 20
        path = folder / f"t{i:05d}.xlsx"
        path.write_bytes(build_template(spec, 2025, Agency(f"单位{i}"), prefill=fill))
        files.append(path)
    return files


def make_handmade(n: int, folder: Path) -> list[Path]:
    spec = load_spec()
    rnd = random.Random(2)
    files = []
    for i in range(n):
        values = inputs_only(spec, consistent_figures(spec, rnd.randint, size=30, whole=True))
        path = folder / f"h{i:05d}.xlsx"
        handmade(path, spec, values, title=f"单位{i}2025年政府信息公开工作年度报告", one_sheet=i % 2 == 0)
        files.append(path)
    return files


def calamine_read(path: Path) -> None:
    """Every sheet's values, as python-calamine reads them."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def seconds(fns: list[Callable[[Path], object]], files: list[Path], rounds: int = 1) -> list[float]:
    """Mean CPU seconds per file of each function, interleaved file by file, each file's best of ``rounds``.

    CPU time of this process, not wall time: the machine is shared, and other processes' load would
    otherwise weigh on the longer call more than on the shorter one. One round by default: each file is
    checked once, as in a compile (checking the same file again would find what is cached per file warm)."""
    best = [[float("inf")] * len(files) for _ in fns]
    for _ in range(rounds):
        for i, f in enumerate(files):
            for k, fn in enumerate(fns):
                t0 = time.process_time()
                fn(f)
                best[k][i] = min(best[k][i], time.process_time() - t0)
    return [sum(b) / len(files) for b in best]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--libreoffice", action="store_true", help="check LibreOffice-saved copies")
    ap.add_argument("--openpyxl", action="store_true", help="also time openpyxl.load_workbook")
    ap.add_argument("--profile", choices=("template", "handmade"), help="print a cProfile of checking this kind")
    ap.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    args = ap.parse_args()

    def check(f: Path) -> object:
        return check_file(f, year=2025)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kinds = {"template": make_templates(args.n, folder), "handmade": make_handmade(args.n, folder)}
        if args.libreoffice:
            kinds = {k: convert(v, "xlsx", folder / f"lo-{k}") for k, v in kinds.items()}
        if args.profile:
            check(kinds[args.profile][0])  # warm caches and imports
            prof = cProfile.Profile()
            prof.runcall(lambda: [check(f) for f in kinds[args.profile]])
            pstats.Stats(prof).sort_stats(args.sort).print_stats(45)
            return
        saved = "LibreOffice-saved" if args.libreoffice else "as written"
        print(f"files: {args.n} of each kind ({saved}); CPU ms per file, each file once, interleaved")
        for kind, files in kinds.items():
            check(files[0]), calamine_read(files[0])  # warm caches and imports
            base, ours = seconds([calamine_read, check], files)
            line = f"{kind:9s} calamine read {base * 1000:6.2f}  check_file {ours * 1000:6.2f}  ratio {ours / base:4.2f}x"
            if args.openpyxl:
                import openpyxl

                line += f"  (openpyxl.load_workbook {seconds([openpyxl.load_workbook], files, 1)[0] * 1000:6.2f})"
            print(line + "  (target <= 2x)")


if __name__ == "__main__":
    main()
