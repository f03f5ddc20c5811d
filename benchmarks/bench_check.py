"""Check speed: ``check_file`` vs a python-calamine values-only read of the same files, in one run.

    python benchmarks/bench_check.py [--n 200] [--libreoffice] [--openpyxl] [--profile KIND] [--phases]

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
``openpyxl.load_workbook`` baseline; --profile KIND prints a cProfile of checking that kind; --phases
prints where a template's check spends its time, each stage timed alone on the same files (CPU ms per
file and as a multiple of the calamine read).
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


def phases(files: list[Path]) -> list[tuple[str, float]]:
    """CPU seconds per file of each stage of checking a template, each stage run alone on every file."""
    from zfxxgk.check import registry
    from zfxxgk.read.intake import take
    from zfxxgk.read.package import Package
    from zfxxgk.read.workbook import read_workbook

    data = {f: take(f).data for f in files}

    def sheets(f: Path, what: Callable[[Package, str], object]) -> None:
        pkg = Package(data[f])  # timed on its own below: subtracted
        for s in pkg.sheets:
            what(pkg, s.name)

    def calamine_values(pkg: Package, name: str) -> object:
        return pkg._calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def checks(f: Path) -> object:
        return registry.run(registry.Context(read_workbook(Package(data[f])), "zh", 2025))

    stages: list[tuple[str, Callable[[Path], object]]] = [
        ("intake (read, sha256, zip directory)", lambda f: take(f)),
        ("package (zip, DTD screen of every part)", lambda f: Package(data[f])),
        ("calamine: open and every sheet's values", lambda f: sheets(f, calamine_values)),
        ("lxml: every sheet's formulas, errors, protection", lambda f: sheets(f, lambda p, n: p.xml(n))),
        ("read_workbook (package, both reads, map, layout)", lambda f: read_workbook(Package(data[f]))),
        ("read_workbook + the checks", checks),
        ("check_file (all of it)", lambda f: check_file(f, year=2025)),
    ]
    for _, fn in stages:
        fn(files[0])
    times = seconds([fn for _, fn in stages], files)
    package = times[1]
    return [(name, t - package if 2 <= k <= 3 else t) for k, ((name, _), t) in enumerate(zip(stages, times, strict=True))]


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
    ap.add_argument("--phases", action="store_true", help="where a template's check spends its time")
    args = ap.parse_args()

    def check(f: Path) -> object:
        return check_file(f, year=2025)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kinds = {"template": make_templates(args.n, folder), "handmade": make_handmade(args.n, folder)}
        if args.libreoffice:
            kinds = {k: convert(v, "xlsx", folder / f"lo-{k}") for k, v in kinds.items()}
        if args.phases:
            files = kinds["template"]
            base = seconds([calamine_read], files)[0]
            print(f"template, {len(files)} files: CPU ms per file, each stage alone (calamine read {base * 1000:.2f} ms)")
            for name, t in phases(files):
                print(f"  {name:52s} {t * 1000:6.2f}  {t / base:5.2f}x")
            return
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
