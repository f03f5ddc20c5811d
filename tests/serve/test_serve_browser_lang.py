"""The language switch in headless Chromium: an agency's page and the county's pages, by keyboard and click."""

from __future__ import annotations

from pathlib import Path

import pytest

from zfxxgk.messages import text

from .conftest import ADMIN, PASSWORD, Server
from .returns import workbook

CHROMIUM = Path("/usr/lib/chromium/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/test.sh installs it)"),
]


def test_the_language_switch_in_a_browser(sqlite_server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    admin = sqlite_server.admin()
    rid = admin.new_round()
    link = admin.roster(rid, "单位名称,单位编码\n测试县测试局,C1\n")
    broken = tmp_path / "测试局.xlsx"
    broken.write_bytes(workbook("测试县测试局", broken=True)[0])
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        agency = browser.new_page(viewport={"width": 1366, "height": 768})
        agency.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        agency.goto(link["测试县测试局"])
        agency.set_input_files("#upload input[type=file]", str(broken))
        agency.click("#upload button")
        agency.wait_for_selector('tr[data-code="S1"]')
        assert agency.locator("html").get_attribute("lang") == "zh-CN"
        agency.click("#lang-switch")
        agency.wait_for_selector('html[lang="en"]')
        assert agency.locator("#status strong").inner_text() == text("serve.status-awaiting", "en")
        assert text("serve.ui-upload", "en") in agency.locator("#upload").inner_text()
        agency.screenshot(path=str(tmp_path / "agency-en.png"), full_page=True)
        agency.reload()  # the cookie keeps it
        assert agency.locator("html").get_attribute("lang") == "en"

        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(sqlite_server.url + "/admin/login")
        page.keyboard.type(ADMIN)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin")
        page.goto(f"{sqlite_server.url}/admin/round/{rid}")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        page.focus("#lang-switch")
        page.keyboard.press("Enter")
        page.wait_for_selector('html[lang="en"]')
        assert page.url.endswith(f"/admin/round/{rid}")  # back where it was
        assert text("serve.ui-downloads", "en") in page.content()
        page.screenshot(path=str(tmp_path / "dashboard-en.png"), full_page=True)
        browser.close()
    assert not errors, errors
