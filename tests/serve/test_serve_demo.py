"""``zfxxgk serve --demo``: the demo county loaded through the upload's own calls, once; the real server."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from zfxxgk.messages import text

from .conftest import PASSWORD, Server, csrf

STATUS = {k: text(f"serve.status-{k}") for k in ("missing", "awaiting", "returned", "accepted")}


def sign_in(srv: Server) -> httpx.Client:
    c = httpx.Client(base_url=srv.url, timeout=120, follow_redirects=True)
    page = c.get("/admin/login")
    r = c.post("/admin/login", data={"username": "demo", "password": PASSWORD, "csrf": csrf(page.text)})
    assert "/admin/login" not in str(r.url), r.text
    return c


def statuses(c: httpx.Client) -> tuple[int, dict[str, str]]:
    rounds = re.findall(r'href="/admin/round/(\d+)"', c.get("/admin").text)
    assert len(set(rounds)) == 1, rounds
    page = c.get(f"/admin/round/{rounds[0]}").text
    rows = re.findall(r'<a href="/admin/round/\d+/agency/\d+">([^<]+)</a></td>\s*<td>([^<]+)</td>', page)
    return int(rounds[0]), dict(rows)


def test_the_demo_shows_a_working_dashboard_and_loads_once(tmp_path: Path) -> None:
    srv = Server(tmp_path / "data", None, ("--demo",), wait=300)
    srv.start()
    try:
        printed = text("serve.cli-demo-login", host="127.0.0.1", port=srv.port, username="demo", password=PASSWORD)
        assert "".join(printed.split()) in "".join(srv.log.read_text().split())  # the login is printed on start
        c = sign_in(srv)
        rid, shown = statuses(c)
        assert len(shown) == 15  # the demo roster
        assert shown["示范县人民政府办公室"] == STATUS["accepted"]
        assert list(shown.values()).count(STATUS["accepted"]) == 1
        assert list(shown.values()).count(STATUS["returned"]) == 1
        assert shown["示范县河西乡人民政府"] == STATUS["missing"]  # no file of it in the demo
        assert shown["示范县教育局"] == STATUS["awaiting"]
        page = c.get(f"/admin/round/{rid}").text
        aid = re.search(r'agency/(\d+)">示范县教育局<', page)
        assert aid
        detail = c.get(f"/admin/round/{rid}/agency/{aid.group(1)}").text
        assert "（初稿）" in detail and "示范县教育局_2025年度政府信息公开年报.xlsx" in detail  # the draft and the final
        verdicts = "".join(c.get(f"/admin/round/{rid}/agency/{a}").text for a in re.findall(r'agency/(\d+)">', page))
        assert text("serve.ui-verdict-accepted") in verdicts and text("serve.ui-verdict-rejected") in verdicts
        assert text("serve.demo-comment") in verdicts
    finally:
        srv.stop()
    srv.start()  # a second start on the same data loads nothing twice
    try:
        again = statuses(sign_in(srv))
        assert again == (rid, shown)
        detail = sign_in(srv).get(f"/admin/round/{rid}/agency/{aid.group(1)}").text
        assert detail.count("示范县教育局_2025年度政府信息公开年报") == 2
    finally:
        srv.stop()
