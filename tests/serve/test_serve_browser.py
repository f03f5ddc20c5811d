"""The cycle in headless Chromium (Debian's package, driven by Playwright; no browser is downloaded).

Screenshots of every step are saved under the test's tmp folder (``screens/``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from zfxxgk.messages import text

from .conftest import ADMIN, PASSWORD, Server
from .returns import BROKEN_CELL, workbook

CHROMIUM = Path("/usr/lib/chromium/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/test.sh installs it)"),
]


def ui(key: str, **fields: object) -> str:
    return text(f"serve.ui-{key}", **fields)


def test_the_cycle_in_a_browser(sqlite_server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    screens = tmp_path / "screens"
    screens.mkdir()
    roster = tmp_path / "花名册.csv"
    roster.write_text("单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n", encoding="utf-8")
    broken, fixed = tmp_path / "测试局_有错.xlsx", tmp_path / "测试局_改正.xlsx"
    broken.write_bytes(workbook("测试县测试局", broken=True)[0])
    data, values = workbook("测试县测试局")
    fixed.write_bytes(data)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        shot = lambda name: page.screenshot(path=str(screens / f"{name}.png"), full_page=True)  # noqa: E731

        # The clerk signs in by keyboard alone.
        page.goto(sqlite_server.url + "/admin")
        page.keyboard.type(ADMIN)  # the user name field has the focus
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin")
        shot("01-rounds")
        page.fill("input[name=year]", "2025")
        page.fill("input[name=name]", "示范县")
        page.fill("input[name=deadline]", "2026-01-31")
        page.click("#new-round button")
        page.wait_for_url(re.compile(r".*/admin/round/\d+$"))
        dashboard = page.url
        page.set_input_files("#roster input[type=file]", str(roster))
        page.click("#roster button")
        link = page.locator("code.link").first.inner_text()
        shot("02-links")

        # The agency uploads a broken workbook and sees the S1 finding at once.
        agency = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        agency.goto(link)
        assert agency.locator("html").get_attribute("lang") == "zh-CN"
        with agency.expect_download() as dl:
            agency.click(f"text={ui('download-template')}")
        assert dl.value.suggested_filename.endswith(".xlsx") and "测试县测试局" in dl.value.suggested_filename
        agency.set_input_files("#upload input[type=file]", str(broken))
        agency.click("#upload button")
        agency.wait_for_selector('tr[data-code="S1"]')
        row = agency.locator('tr[data-code="S1"]').first.inner_text()
        assert "S1" in row and agency.locator("#status strong").inner_text() == text("serve.status-awaiting")
        agency.screenshot(path=str(screens / "03-agency-S1.png"), full_page=True)
        with agency.expect_download() as dl:
            agency.click(f"text={ui('download-annotated')}")
        annotated = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
        assert text("check.annotate-sheet") in annotated.sheetnames

        # It fixes the workbook and uploads again.
        agency.set_input_files("#upload input[type=file]", str(fixed))
        agency.click("#upload button")
        agency.wait_for_selector(f"text={ui('no-findings')}")
        agency.screenshot(path=str(screens / "04-agency-fixed.png"), full_page=True)

        # The county accepts; the live total and the summary download hold the figures.
        page.goto(dashboard)
        page.click("text=测试县测试局")
        shot("05-review")
        page.click("#accept")
        page.wait_for_selector(f"#status >> text={text('serve.status-accepted')}")
        page.goto(dashboard)
        shot("06-dashboard")
        assert page.locator(f'td[data-cell="{BROKEN_CELL}"]').inner_text() == str(values[BROKEN_CELL])
        with page.expect_download(timeout=180_000) as dl:  # a compile: slow on a loaded machine
            page.click("#export-summary", timeout=180_000)
        assert dl.value.suggested_filename.startswith("2025") and dl.value.suggested_filename.endswith(".xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
        cells = [c.value for ws in wb for r in ws.iter_rows() for c in r]
        assert "测试县测试局" in cells and values[BROKEN_CELL] in cells
        agency.goto(link)
        assert agency.locator("#status strong").inner_text() == text("serve.status-accepted")
        browser.close()
    assert not errors, errors  # no script or policy errors in the console
    assert len(list(screens.glob("*.png"))) == 6
