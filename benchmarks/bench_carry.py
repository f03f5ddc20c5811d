"""Templates with last year's carry-over: a roster batch with ``previous`` vs the same batch without, in one run.

    python benchmarks/bench_carry.py [--n 20]

Writes ``n`` previous returns (filled templates of last year), then templates for a roster of ``n``
agencies without and with ``previous``. Reports both times and the ratio (with / without): the price
of reading and checking every previous return once and pairing it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from zfxxgk.figures import consistent_figures, seeded
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.roster_batch import write_for_roster
from zfxxgk.template.writer import build_template


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    spec = load_spec("national-2021")
    inputs = {c.id for c in spec.input_cells}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "prev").mkdir()
        names = [f"示范县第{k}局" for k in range(args.n)]
        for k, name in enumerate(names):
            figures = consistent_figures(spec, seeded(k), size=9, whole=True)
            fill = {c: v for c, v in figures.items() if c in inputs}
            (root / "prev" / f"{k}.xlsx").write_bytes(build_template(spec, 2024, Agency(name, f"C{k}"), prefill=fill))
        roster = root / "roster.csv"
        roster.write_text("单位名称,单位编码\n" + "".join(f"{n},C{k}\n" for k, n in enumerate(names)), encoding="utf-8")
        t0 = time.perf_counter()
        write_for_roster(roster, root / "plain", spec, 2025)
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        batch = write_for_roster(roster, root / "carried", spec, 2025, previous=root / "prev")
        carried = time.perf_counter() - t0
    done = sum(c.carried for c in batch.carried.values())
    print(f"{args.n} templates: without previous {plain:.2f} s, with previous {carried:.2f} s ({done} carried)")
    print(f"ratio with/without: {carried / plain:.2f}")


if __name__ == "__main__":
    main()
