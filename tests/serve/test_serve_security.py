"""Every rule of "secure by default", against the real server: headers, links, sessions, CSRF, limits, escaping."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from zfxxgk.messages import text

from .conftest import ADMIN, PASSWORD, Admin, Server, zfxxgk
from .returns import workbook

EVIL = "<script>alert(1)</script>测试局"
ROSTER = f"单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n\"{EVIL}\",C3\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Admin, int, dict[str, str]]]:
    """A server (uploads up to 1 MB) with a round and three agencies."""
    srv = Server(tmp_path_factory.mktemp("sec") / "data", None, ("--max-upload", "1"))
    assert zfxxgk("serve", *srv.args(), "--create-admin", ADMIN).returncode == 0
    srv.start()
    admin = srv.admin()
    rid = admin.new_round()
    links = admin.roster(rid, ROSTER)
    try:
        yield srv, admin, rid, links
    finally:
        srv.stop()


def stored(srv: Server) -> int:
    return sum(1 for _ in (srv.data / "files").rglob("*.bin"))


def test_headers_on_every_answer_and_nothing_from_elsewhere(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, admin, rid, links = site
    answers = [httpx.get(srv.url + "/admin/login"), httpx.get(links["测试县测试局"]), httpx.get(srv.url + "/static/style.css"),
               httpx.get(srv.url + "/a/nope"), admin.c.get(f"/admin/round/{rid}")]  # fmt: skip
    for r in answers:
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
    for r in (answers[0], answers[1], answers[4]):
        assert '<html lang="zh-CN">' in r.text
        sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
        assert sources and all(s.startswith(("/", "?", "#", "data:,")) for s in sources), sources
    assert httpx.get(srv.url + "/static/htmx.min.js").status_code == 200


def test_wrong_and_revoked_links_get_404_and_agencies_see_only_their_own(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, admin, rid, links = site
    assert httpx.get(srv.url + "/a/" + "x" * 43).status_code == 404
    assert httpx.get(links["测试县测试局"][:-1]).status_code == 404
    other = srv.agency(links["测试县教育局"])
    assert other.upload(workbook("测试县教育局", broken=True)[0], "教育局秘密.xlsx").status_code == 200
    mine = srv.agency(links["测试县测试局"])
    assert "教育局秘密" not in mine.page().text
    assert mine.c.get(f"/a/{mine.token}/annotated/1").status_code == 404  # version 1 is the other agency's
    aid = admin.agency_id(rid, "测试县测试局")
    page = admin.c.post(f"/admin/round/{rid}/agency/{aid}/link", data={"csrf": admin.csrf})
    fresh = re.search(r'<code class="link">([^<]+)</code>', page.text)
    assert fresh
    assert httpx.get(links["测试县测试局"]).status_code == 404  # revoked
    assert httpx.get(fresh.group(1)).status_code == 200
    links["测试县测试局"] = fresh.group(1)


def test_admin_pages_need_a_session_and_every_form_a_csrf_token(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, admin, rid, links = site
    anon = httpx.Client(base_url=srv.url)
    for path in ("/admin", f"/admin/round/{rid}", f"/admin/round/{rid}/export/summary", f"/admin/round/{rid}/export/audit"):
        r = anon.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/admin/login", path
    assert anon.post("/admin/rounds", data={"year": 2025, "spec": "national-2021", "deadline": "2026-01-31"}).status_code == 403
    forged = {"year": 2025, "spec": "national-2021", "deadline": "2026-01-31", "csrf": "0" * 64}
    assert admin.c.post("/admin/rounds", data=forged).status_code == 403
    assert admin.c.post("/admin/rounds", data={**forged, "csrf": ""}).status_code == 403
    agency = srv.agency(links["测试县教育局"])
    r = agency.c.post(f"/a/{agency.token}/upload", data={"csrf": "bad"}, files={"file": ("a.xlsx", b"PK")})
    assert r.status_code == 403
    assert anon.post("/admin/login", data={"username": ADMIN, "password": PASSWORD, "csrf": "x"}).status_code == 403


def test_a_session_ends_at_logout_and_a_wrong_password_gets_none(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, _, rid, _ = site
    clerk = srv.admin()
    cookie = clerk.c.cookies.get("zfxxgk_session")
    assert cookie
    assert clerk.c.post("/admin/logout", data={"csrf": clerk.csrf}).status_code == 200
    replay = httpx.Client(base_url=srv.url, cookies={"zfxxgk_session": cookie})
    assert replay.get(f"/admin/round/{rid}").status_code == 303
    c = httpx.Client(base_url=srv.url, follow_redirects=True)
    from .conftest import csrf

    page = c.get("/admin/login")
    r = c.post("/admin/login", data={"username": ADMIN, "password": "wrong", "csrf": csrf(page.text)})
    assert text("serve.ui-login-failed") in r.text and "zfxxgk_session" not in c.cookies


def test_size_and_type_limits_come_before_anything_is_read(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, _, _, links = site
    agency = srv.agency(links["测试县教育局"])
    before = stored(srv)
    assert agency.upload(b"PK" + b"\0" * (2 * 1024 * 1024)).status_code == 413
    assert agency.upload(b"%PDF-1.4 not a workbook", "报表.pdf").status_code == 415
    assert stored(srv) == before
    page = agency.upload(b"%PDF-1.4 not a workbook", "报表.xlsx")  # a file that cannot be read: kept, answered
    assert page.status_code == 200 and stored(srv) == before + 1
    assert text("check.status-unreadable") in page.text and 'data-code="' in page.text


def test_user_text_never_becomes_markup_or_a_formula(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, admin, rid, links = site
    dash = admin.c.get(f"/admin/round/{rid}").text
    assert "<script>alert" not in dash and "&lt;script&gt;alert(1)&lt;/script&gt;测试局" in dash
    assert "<script>alert" not in httpx.get(links[EVIL]).text
    refused = admin.c.post(f"/admin/round/{rid}/roster", data={"csrf": admin.csrf},
                           files={"file": ("r.csv", "单位名称\n=HYPERLINK(\"http://x\")局\n".encode())})  # fmt: skip
    assert refused.status_code == 400
    evil = srv.agency(links[EVIL])
    evil.upload(workbook(EVIL)[0])
    aid = admin.agency_id(rid, "&lt;script&gt;alert(1)&lt;/script&gt;测试局")
    admin.decide(rid, aid, "return", '=HYPERLINK("http://evil","点此")')
    listing = admin.c.get(f"/admin/round/{rid}/export/status")
    assert "filename*=UTF-8''" in listing.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(listing.content.decode("utf-8-sig"))))
    comments = [r[-1] for r in rows if r[0] == EVIL]
    assert comments == ["'=HYPERLINK(\"http://evil\",\"点此\")"]


def test_links_and_passwords_are_stored_only_as_hashes(site: tuple[Server, Admin, int, dict[str, str]]) -> None:
    srv, _, _, links = site
    raw = b"".join(p.read_bytes() for p in srv.data.glob("zfxxgk.sqlite3*"))
    for link in links.values():
        assert link.rsplit("/", 1)[1].encode() not in raw
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(srv.data / "zfxxgk.sqlite3") as db:
        (stored_hash,) = db.execute("select password_hash from admin").fetchone()
    assert stored_hash.startswith("scrypt$")


def test_a_check_that_crashes_leaves_the_upload_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from zfxxgk.serve import Config, add_admin, create_app
    from zfxxgk.serve.app import State

    async def crash(self: State, fn: object, *args: object) -> object:
        raise RuntimeError("worker died")

    cfg = Config(data=tmp_path / "data", workers=1)
    add_admin(cfg, ADMIN, PASSWORD)
    with TestClient(create_app(cfg)) as c:
        from .conftest import csrf

        c.post("/admin/login", data={"username": ADMIN, "password": PASSWORD, "csrf": csrf(c.get("/admin/login").text)})
        token = csrf(c.get("/admin").text)
        r = c.post("/admin/rounds", data={"year": 2025, "spec": "national-2021", "deadline": "2026-01-31", "csrf": token})
        page = c.post(str(r.url) + "/roster", data={"csrf": token}, files={"file": ("r.csv", "单位名称\n测试局\n".encode())})
        link = re.search(r'<code class="link">http://testserver([^<]+)</code>', page.text)
        assert link
        monkeypatch.setattr(State, "run", crash)
        data = workbook("测试局")[0]
        shown = c.post(link.group(1) + "/upload", data={"csrf": csrf(c.get(link.group(1)).text)}, files={"file": ("a.xlsx", data)})
        assert text("serve.ui-read-failed") in shown.text
    with sqlite3.connect(tmp_path / "data" / "zfxxgk.sqlite3") as db:
        assert db.execute("select state, status from submission").fetchall() == [("read-failed", "unreadable")]
    assert len(list((tmp_path / "data" / "files").rglob("*.bin"))) == 1
