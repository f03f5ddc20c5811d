"""Template generation speed: zfxxgk vs a bare XlsxWriter write of the same cells, in one run.

    python benchmarks/bench_template.py [--n 1000]

Reports workbooks per second for both and the ratio (zfxxgk time / baseline time). The baseline
writes the same labels, inputs and formulas (with stored results) with no formats, validation,
protection, defined names or metadata: the ratio is the price of those.
"""

from __future__ import annotations

import argparse
import io
import time

import xlsxwriter

from zfxxgk.contract import linear_formula
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.spec.layout import Item
from zfxxgk.template.plan import TABLE_TOP, workbook_plan
from zfxxgk.template.writer import build_template


def bare(spec_id: str) -> bytes:
    spec = load_spec(spec_id)
    plan = workbook_plan(spec)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for ts in plan.tables:
        ws = wb.add_worksheet(ts.name)
        item: Item
        for item in ts.layout.items:
            r, c = TABLE_TOP + item.row, item.col
            if item.cell_id is None:
                ws.write_string(r, c, item.text)
            elif spec.cells[item.cell_id].computed:
                form = spec.cells[item.cell_id].formula
                assert form is not None
                ws.write_formula(r, c, "=" + linear_formula(form, plan.positions.__getitem__, ts.name), None, 0)
            else:
                ws.write_blank(r, c, None)
    wb.close()
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--spec", default="national-2021")
    args = ap.parse_args()
    spec = load_spec(args.spec)
    build_template(spec, 2025, Agency("预热"))  # warm caches (spec, plan)
    bare(args.spec)

    t0 = time.perf_counter()
    size_base = sum(len(bare(args.spec)) for _ in range(args.n))
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    size_ours = sum(len(build_template(spec, 2025, Agency(f"单位{i}", code=str(i)))) for i in range(args.n))
    ours = time.perf_counter() - t0

    print(f"workbooks: {args.n}  spec: {args.spec}")
    print(f"bare XlsxWriter: {args.n / base:8.1f} /s  ({base:6.2f} s, {size_base / args.n / 1024:5.1f} KiB each)")
    print(f"zfxxgk template: {args.n / ours:8.1f} /s  ({ours:6.2f} s, {size_ours / args.n / 1024:5.1f} KiB each)")
    print(f"ratio (zfxxgk / bare): {ours / base:.2f}x")


if __name__ == "__main__":
    main()
