"""A bounded load on loopback: 120 agencies upload at once; every upload is stored and checked, none lost.

The timings are reported (``benchmarks/bench_serve.py`` prints them), not asserted.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import sys
import time
from pathlib import Path

from .conftest import Server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_serve import report, returns, upload_all

N = 120


def test_120_uploads_at_once_none_lost(sqlite_server: Server, capsys: object) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    files = returns(N)
    links = admin.roster(rid, "单位名称\n" + "\n".join(files) + "\n")
    assert len(links) == N
    start = time.perf_counter()
    outcomes = asyncio.run(upload_all(links, files))
    print(report(outcomes, time.perf_counter() - start))
    assert sorted(o.agency for o in outcomes if o.status == 200 and o.checked) == sorted(files)
    with sqlite3.connect(sqlite_server.data / "zfxxgk.sqlite3") as db:
        rows = db.execute("select a.name, s.sha256, s.state, s.status from submission s join agency a on a.id = s.agency_id").fetchall()
    assert len(rows) == N
    assert {name: sha for name, sha, _, _ in rows} == {a: hashlib.sha256(d).hexdigest() for a, d in files.items()}
    assert {(state, status) for _, _, state, status in rows} == {("checked", "ok")}
    for _, sha, _, _ in rows:
        assert (sqlite_server.data / "files" / sha[:2] / f"{sha}.bin").is_file()
