"""English via a setting: an admin's preference (kept with the account), a cookie for agencies; the real server."""

from __future__ import annotations

import csv
import io
import re

import httpx

from zfxxgk.messages import text

from .conftest import PASSWORD, Admin, Server, csrf, zfxxgk
from .returns import workbook

ROSTER = "单位名称,单位编码\n测试县测试局,C1\n"


def lang_of(page: str) -> str:
    m = re.search(r'<html lang="([^"]+)"', page)
    assert m, page
    return m.group(1)


def test_an_admin_switches_to_english_and_keeps_it(server: Server) -> None:
    admin = server.admin()
    rid = admin.new_round()
    admin.roster(rid, ROSTER)
    dash = admin.c.get(f"/admin/round/{rid}").text
    assert lang_of(dash) == "zh-CN" and text("serve.ui-downloads") in dash
    switched = admin.c.post("/admin/lang", data={"to": "en", "back": f"/admin/round/{rid}", "csrf": admin.csrf})
    assert switched.status_code == 200 and str(switched.url).endswith(f"/admin/round/{rid}")
    assert lang_of(switched.text) == "en" and text("serve.ui-downloads", "en") in switched.text
    assert text("serve.status-missing", "en") in switched.text
    status = admin.c.get(f"/admin/round/{rid}/export/status")
    head = next(csv.reader(io.StringIO(status.content.decode("utf-8-sig"))))
    assert head[0] == text("serve.ui-col-agency", "en")
    assert "filename*=UTF-8''" in status.headers["content-disposition"]
    assert text("serve.export-status", "en", year=2025).replace(" ", "%20") in status.headers["content-disposition"]

    again = Admin(server)  # a new sign-in, another browser: the preference is the account's
    assert lang_of(again.c.get("/admin").text) == "en"
    assert zfxxgk("serve", *server.args(), "--create-admin", "clerk2").returncode == 0
    other = httpx.Client(base_url=server.url, timeout=60, follow_redirects=True)
    page = other.get("/admin/login")
    other.post("/admin/login", data={"username": "clerk2", "password": PASSWORD, "csrf": csrf(page.text)})
    assert lang_of(other.get("/admin").text) == "zh-CN"  # another admin keeps Chinese


def test_an_agency_switches_its_pages_and_findings_by_cookie(sqlite_server: Server) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    agency = sqlite_server.agency(admin.roster(rid, ROSTER)["测试县测试局"])
    agency.upload(workbook("测试县测试局", broken=True)[0])
    page = agency.page().text
    assert lang_of(page) == "zh-CN" and text("check.status-errors") in page
    english = agency.c.post(f"/a/{agency.token}/lang", data={"to": "en", "csrf": csrf(page)})
    assert english.status_code == 200 and lang_of(english.text) == "en"
    assert text("check.status-errors", "en") in english.text and text("serve.status-awaiting", "en") in english.text
    assert message_of_s1(page) not in english.text and not re.search("[\u4e00-\u9fff]", message_of_s1(english.text))
    wrong = agency.c.post(f"/a/{agency.token}/upload", data={"csrf": csrf(english.text)}, files={"file": ("x.pdf", b"%PDF")})
    assert wrong.status_code == 415 and lang_of(wrong.text) == "en" and "Only spreadsheet files" in wrong.text
    assert agency.c.post(f"/a/{agency.token}/lang", data={"to": "en", "csrf": "x"}).status_code == 403
    back = agency.c.post(f"/a/{agency.token}/lang", data={"to": "zh", "csrf": csrf(english.text)})
    assert lang_of(back.text) == "zh-CN"
    # The admin's page is the admin's own language, whatever an agency chose in the same browser.
    assert lang_of(admin.c.get(f"/admin/round/{rid}").text) == "zh-CN"


def message_of_s1(page: str) -> str:
    row = re.search(r'data-code="S1">(.*?)</tr>', page, re.S)
    assert row, page
    return re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[4]  # severity, where, row, column, the problem
