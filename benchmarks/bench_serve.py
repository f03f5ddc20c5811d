"""Load on the intake: N agencies upload at once to a real ``zfxxgk serve`` on loopback.

    python benchmarks/bench_serve.py [--n 120] [--workers 2] [--db postgresql://…]

Starts a server on a free port with a fresh data folder, imports a roster of N agencies, then every agency
uploads its (consistent) return at the same moment. Reports how many uploads were stored and checked and
the time from sending an upload to seeing its findings (median, 90th percentile, worst) — a measurement,
not a pass mark. ``tests/serve/test_serve_load.py`` runs the same load and asserts that none is lost.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from zfxxgk.figures import consistent_figures, seeded
from zfxxgk.roster import Agency
from zfxxgk.spec import load_spec
from zfxxgk.template.writer import build_template

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# Prose that says something (the checker warns about "无" and one-line sections, which is not what is measured).
PROSE = {
    "text.overview_active.body": "本年度主动公开政府信息，及时更新政府信息公开专栏。",
    "text.problems.body": "一是公开内容不够全面；二是解读形式单一。下一步将加强培训，提升公开质量。",
    "text.other.body": "本年度收取信息处理费的情况见上表，无其他需要报告的事项。",
}


@dataclass
class Outcome:
    agency: str
    status: int
    seconds: float
    checked: bool


def returns(n: int, year: int = 2025) -> dict[str, bytes]:
    """N agencies' returns, each with consistent figures of its own."""
    spec = load_spec()
    inputs = {c.id for c in spec.input_cells}
    out = {}
    for i in range(n):
        figures = consistent_figures(spec, seeded(i), size=3, whole=True)
        fill = {k: v for k, v in figures.items() if k in inputs} | PROSE
        name = f"负载县第{i + 1:03d}局"
        out[name] = build_template(spec, year, Agency(name, f"L{i:03d}"), prefill=fill)
    return out


async def upload_one(client: httpx.AsyncClient, agency: str, link: str, data: bytes) -> Outcome:
    page = await client.get(link)
    token = CSRF.search(page.text)
    assert token, page.text
    start = time.perf_counter()
    r = await client.post(link + "/upload", data={"csrf": token.group(1)}, files={"file": (f"{agency}.xlsx", data)})
    seconds = time.perf_counter() - start
    return Outcome(agency, r.status_code, seconds, 'id="findings"' in r.text)


async def upload_all(links: dict[str, str], files: dict[str, bytes]) -> list[Outcome]:
    """Every agency uploads at the same moment (one connection each); the answer holds its findings."""
    limits = httpx.Limits(max_connections=len(links) + 5, max_keepalive_connections=len(links) + 5)
    async with httpx.AsyncClient(timeout=600, follow_redirects=True, limits=limits) as client:
        return list(await asyncio.gather(*(upload_one(client, a, links[a], files[a]) for a in links)))


def report(outcomes: list[Outcome], elapsed: float) -> str:
    times = sorted(o.seconds for o in outcomes)
    p90 = times[int(0.9 * (len(times) - 1))]
    ok = sum(o.status == 200 and o.checked for o in outcomes)
    return (f"{len(outcomes)} uploads at once: {ok} stored and answered with findings in {elapsed:.1f} s; "
            f"upload to findings median {statistics.median(times):.2f} s, p90 {p90:.2f} s, worst {times[-1]:.2f} s")  # fmt: skip


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from serve.conftest import ADMIN, Server, zfxxgk

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        srv = Server(Path(tmp) / "data", args.db)
        zfxxgk("serve", *srv.args(), "--create-admin", ADMIN)
        srv.start()
        try:
            admin = srv.admin()
            rid = admin.new_round()
            files = returns(args.n)
            links = admin.roster(rid, "单位名称\n" + "\n".join(files) + "\n")
            start = time.perf_counter()
            outcomes = asyncio.run(upload_all(links, files))
            print(report(outcomes, time.perf_counter() - start))
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
