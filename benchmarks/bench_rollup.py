"""Roll-up speed and memory: ``zfxxgk rollup`` of county results folders vs a plain pyarrow read and sum.

    python benchmarks/bench_rollup.py [--n 2000 20000] [--counties 20]

For each N, ``--counties`` results folders (the schema of ``county/results.py``) holding N agencies
in all, every agency with a figure in every numeric cell of the default spec, are generated once
into benchmarks/.cache/ (the values are random; the roll-up does not check them). ``zfxxgk rollup
… --out DIR`` then runs on them in a subprocess, against the baseline -- ``pyarrow.parquet`` reading
each folder's cells.parquet batch by batch and summing the values per cell, in one process -- in
the same run. Peak memory is the largest resident size of the process, sampled every 100 ms.
Printed: seconds and peak MB of both, their ratio, and the peak's ratio between the largest and
the smallest N (flat memory: near 1). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bench_compile import measure
from zfxxgk.county.results import CELLS, FINDINGS, META, RETURNS, SCHEMAS
from zfxxgk.spec import load_spec

CACHE = Path(__file__).resolve().parent / ".cache"
BASELINE = r"""
import sys, pyarrow.compute as pc, pyarrow.parquet as pq
totals = {}
for folder in sys.argv[1:]:
    for batch in pq.ParquetFile(folder + "/cells.parquet").iter_batches(columns=["cell_id", "value", "included"]):
        t = batch.filter(batch.column("included"))
        import pyarrow as pa
        g = pa.table({"c": t.column("cell_id"), "v": t.column("value")}).group_by("c").aggregate([("v", "sum")])
        for c, v in zip(g["c"].to_pylist(), g["v_sum"].to_pylist()):
            totals[c] = totals.get(c, 0) + v
print(len(totals))
"""


def county(folder: Path, name: str, agencies: int, cells: list[tuple[str, str]], rnd: random.Random) -> None:
    """One county's results folder: ``agencies`` agencies, all returned and included."""
    folder.mkdir(parents=True)
    spec = load_spec(None)
    names = [f"{name}单位{k:06d}" for k in range(agencies)]
    who = {"units": [[]] * agencies, "agency": names, "code": [""] * agencies, "file": [f"{n}.xlsx" for n in names]}
    returns = {**who, "status": ["ok"] * agencies, "included": [True] * agencies, "how": ["template"] * agencies}
    returns |= {"spec_id": [spec.id] * agencies, "year": [2025] * agencies, "errors": [0] * agencies}
    returns |= {"warnings": [0] * agencies, "infos": [0] * agencies, "note": [""] * agencies}
    returns |= {"sha256": [""] * agencies}
    pq.write_table(pa.table(returns, schema=SCHEMAS[RETURNS]), folder / RETURNS, compression="zstd")
    with pq.ParquetWriter(folder / CELLS, SCHEMAS[CELLS], compression="zstd") as writer:
        for start in range(0, agencies, 500):
            part = range(start, min(start + 500, agencies))
            rows = [(k, c, t) for k in part for c, t in cells]
            table = {f: [who[f][k] for k, _, _ in rows] for f in ("units", "agency", "code", "file")}
            table |= {"status": ["ok"] * len(rows), "included": [True] * len(rows)}
            table |= {"cell_id": [c for _, c, _ in rows], "table": [t for _, _, t in rows]}
            table |= {"row": [""] * len(rows), "column": [""] * len(rows)}
            table["value"] = [Decimal(rnd.randint(0, 50)) for _ in rows]
            writer.write_table(pa.table(table, schema=SCHEMAS[CELLS]))
    pq.write_table(SCHEMAS[FINDINGS].empty_table(), folder / FINDINGS)
    meta = {"spec_id": spec.id, "spec_hash": spec.hash, "year": 2025, "name": name, "counts": {"agencies": agencies}}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def corpus(n: int, counties: int) -> list[Path]:
    """``counties`` folders holding ``n`` agencies in all, generated once."""
    spec = load_spec(None)
    root = CACHE / f"rollup-{n}-{counties}-{spec.hash[:8]}"
    folders = [root / f"县{k:03d}" for k in range(counties)]
    if not (root / "done").exists():
        shutil.rmtree(root, ignore_errors=True)
        cells = [(c.id, spec.tables[c.table].number) for c in spec.cells.values() if c.domain.numeric]
        rnd = random.Random(n)
        for k, folder in enumerate(folders):
            county(folder, folder.name, n // counties + (k < n % counties), cells, rnd)
        (root / "done").write_text("", encoding="utf-8")
    return folders


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--counties", type=int, default=20)
    args = ap.parse_args()
    peaks = {}
    for n in args.n:
        folders = corpus(n, args.counties)
        out = CACHE / "rollup-out"
        cmd = [sys.executable, "-m", "zfxxgk", "rollup", *map(str, folders), "-o", str(out / "市.xlsx")]
        ours, ours_mb = measure([*cmd, "--out", str(out / "市"), "--name", "基准市"])
        base, base_mb = measure([sys.executable, "-c", BASELINE, *map(str, folders)])
        peaks[n] = ours_mb
        print(f"N={n:>7}: rollup {ours:6.1f} s peak {ours_mb:5.0f} MB | pyarrow read+sum {base:6.1f} s peak {base_mb:5.0f} MB"
              f" | time ratio {ours / base:4.1f}")  # fmt: skip
    if len(peaks) > 1:
        low, high = min(peaks), max(peaks)
        print(f"peak memory at N={high} / at N={low}: {peaks[high] / peaks[low]:.2f}")


if __name__ == "__main__":
    main()
