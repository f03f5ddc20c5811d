"""Guessing is slowed down, against the real server: failed logins (per name, per address), wrong links."""

from __future__ import annotations

import sqlite3

import httpx

from zfxxgk.messages import text
from zfxxgk.serve.limits import LOGIN_PER_ADDRESS, LOGIN_PER_USER, TOKEN_PER_ADDRESS, Limiter

from .conftest import ADMIN, PASSWORD, Server, csrf


def try_login(c: httpx.Client, username: str, password: str) -> httpx.Response:
    page = c.get("/admin/login")
    return c.post("/admin/login", data={"username": username, "password": password, "csrf": csrf(page.text)})


def audit_actions(srv: Server) -> list[tuple[str, str]]:
    with sqlite3.connect(srv.data / "zfxxgk.sqlite3") as db:
        return list(db.execute("select actor, action from audit order by id"))


def test_failed_logins_lock_the_name_for_a_while_and_a_success_resets(sqlite_server: Server) -> None:
    c = httpx.Client(base_url=sqlite_server.url, timeout=60, follow_redirects=True)
    for _ in range(LOGIN_PER_USER - 1):
        assert text("serve.ui-login-failed") in try_login(c, ADMIN, "wrong").text
    ok = try_login(c, ADMIN, PASSWORD)  # the fifth try succeeds and wipes the count
    assert ok.status_code == 200 and "/admin/login" not in str(ok.url)
    c.cookies.clear()
    for _ in range(LOGIN_PER_USER - 1):
        try_login(c, ADMIN, "wrong")
    assert "/admin/login" not in str(try_login(c, ADMIN, PASSWORD).url)  # still not locked
    c.cookies.clear()
    for _ in range(LOGIN_PER_USER):
        try_login(c, ADMIN, "wrong")
    refused = try_login(c, ADMIN, PASSWORD)  # even the right password, while the name is locked
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 60
    assert "登录失败次数过多" in refused.text and "以后" in refused.text and "zfxxgk_session" not in c.cookies
    # Another name from elsewhere is not affected by this name's lock … but this name is, from anywhere.
    other = httpx.Client(base_url=sqlite_server.url, timeout=60, follow_redirects=True)
    assert try_login(other, "someone", "wrong").status_code == 200
    assert try_login(other, ADMIN, PASSWORD).status_code == 429
    assert audit_actions(sqlite_server).count((f"admin:{ADMIN}", "login-limited")) == 2


def test_failed_logins_from_one_address_lock_it_for_any_name(sqlite_server: Server) -> None:
    c = httpx.Client(base_url=sqlite_server.url, timeout=60, follow_redirects=True)
    for n in range(LOGIN_PER_ADDRESS):
        assert try_login(c, f"guess{n}", "wrong").status_code == 200
    assert try_login(c, "guess-next", "wrong").status_code == 429
    assert try_login(c, ADMIN, PASSWORD).status_code == 429  # every name, from this address


def test_a_burst_of_wrong_links_is_refused_and_logged(sqlite_server: Server) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    link = admin.roster(rid, "单位名称,单位编码\n测试县测试局,C1\n")["测试县测试局"]
    for n in range(TOKEN_PER_ADDRESS):
        assert httpx.get(f"{sqlite_server.url}/a/{n:043d}").status_code == 404
    refused = httpx.get(f"{sqlite_server.url}/a/{'y' * 43}")
    assert refused.status_code == 429 and "错误的报送链接过多" in refused.text
    assert httpx.get(link).status_code == 429  # a right link too: guessing learns nothing meanwhile
    assert refused.headers["referrer-policy"] == "no-referrer"
    assert ("address:127.0.0.1", "link-limited") in audit_actions(sqlite_server)


def test_the_limiter_counts_within_its_window_and_unlocks_after_its_lock() -> None:
    now = [0.0]
    lim = Limiter(3, window=60, lock=120, clock=lambda: now[0])
    assert not lim.fail("k") and not lim.fail("k")
    now[0] = 61  # the first two have left the window
    assert not lim.fail("k") and not lim.fail("k") and lim.wait("k") == 0
    assert lim.fail("k") and lim.wait("k") == 120
    now[0] = 61 + 119
    assert lim.wait("k") == 1
    now[0] = 61 + 120
    assert lim.wait("k") == 0 and not lim.fail("k")
