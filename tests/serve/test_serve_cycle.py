"""The year's cycle against the real server (Uvicorn on 127.0.0.1), over SQLite and over PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import openpyxl

from zfxxgk.messages import text

from .conftest import Server, zfxxgk
from .returns import BROKEN_CELL, workbook

ROSTER = "单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n测试县财政局,C3\n"
STATUS = {k: text(f"serve.status-{k}") for k in ("missing", "awaiting", "returned", "accepted")}


def status_of(page: str) -> str:
    m = re.search(r'id="status">[^<]*<strong>([^<]+)</strong>', page)
    assert m, page
    return m.group(1)


def test_the_whole_cycle(server: Server) -> None:
    admin = server.admin()
    rid = admin.new_round()
    links = admin.roster(rid, ROSTER)
    assert list(links) == ["测试县测试局", "测试县教育局", "测试县财政局"]
    agency = server.agency(links["测试县测试局"])
    assert status_of(agency.page().text) == STATUS["missing"]

    template = agency.c.get(f"/a/{agency.token}/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert "filename*=UTF-8''" in template.headers["content-disposition"]

    broken, _ = workbook("测试县测试局", broken=True)
    page = agency.upload(broken).text
    assert 'data-code="S1"' in page and status_of(page) == STATUS["awaiting"]
    assert text("check.status-errors") in page

    aid = admin.agency_id(rid, "测试县测试局")
    returned = admin.decide(rid, aid, "return", "第一项加第二项不等于第三项加第四项，请核对")
    assert returned.status_code == 200
    page = agency.page().text
    assert status_of(page) == STATUS["returned"] and "请核对" in page

    good, values = workbook("测试县测试局")
    page = agency.upload(good, "报表（改）.xlsx").text
    assert 'data-code="S1"' not in page and text("check.status-ok") in page
    assert admin.decide(rid, aid, "accept").status_code == 200
    assert status_of(agency.page().text) == STATUS["accepted"]

    # Every version is kept, as received.
    detail = admin.c.get(f"/admin/round/{rid}/agency/{aid}").text
    assert "报表（改）.xlsx" in detail and "报表.xlsx" in detail
    first = admin.c.get(f"/admin/round/{rid}/agency/{aid}/file/1")
    assert hashlib.sha256(first.content).hexdigest() == hashlib.sha256(broken).hexdigest()
    assert (server.data / "files" / hashlib.sha256(good).hexdigest()[:2]).is_dir()

    # The live total and the summary hold the accepted figures.
    dash = admin.c.get(f"/admin/round/{rid}").text
    shown = re.search(rf'data-cell="{BROKEN_CELL}">([^<]*)<', dash)
    assert shown and int(shown.group(1)) == values[BROKEN_CELL]
    summary = admin.c.get(f"/admin/round/{rid}/export/summary")
    assert summary.status_code == 200
    assert "filename*=UTF-8''" in summary.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(summary.content))
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row]
    assert "测试县测试局" in cells and values[BROKEN_CELL] in cells
    long_csv = admin.c.get(f"/admin/round/{rid}/export/csv").content.decode("utf-8-sig")
    assert any(r and r[0] == "测试县测试局" for r in csv.reader(io.StringIO(long_csv)))
    report = admin.c.get(f"/admin/round/{rid}/export/report")
    assert report.status_code == 200 and report.content[:2] == b"PK"

    audit = admin.c.get(f"/admin/round/{rid}/export/audit").content.decode("utf-8-sig")
    actions = [row[2] for row in csv.reader(io.StringIO(audit))][1:]
    assert actions[:9] == ["round", "roster", "upload", "decision", "upload", "decision", "export", "export", "export"]


def test_filters_and_a_second_start_keep_everything(server: Server) -> None:
    admin = server.admin()
    rid = admin.new_round()
    links = admin.roster(rid, ROSTER)
    server.agency(links["测试县教育局"]).upload(workbook("测试县教育局", broken=True)[0])
    server.agency(links["测试县财政局"]).upload(workbook("测试县财政局", seed=2)[0])

    def names(show: str) -> list[str]:
        page = admin.c.get(f"/admin/round/{rid}?show={show}").text
        return re.findall(rf'href="/admin/round/{rid}/agency/\d+">([^<]+)<', page)

    assert names("missing") == ["测试县测试局"]
    assert names("errors") == ["测试县教育局"]
    assert names("awaiting") == ["测试县教育局", "测试县财政局"]

    server.stop()
    server.start()  # migrations run again; nothing is lost
    admin = server.admin()
    assert names("all") == ["测试县测试局", "测试县教育局", "测试县财政局"]
    assert names("errors") == ["测试县教育局"]
    page = server.agency(links["测试县教育局"]).page().text
    assert 'data-code="S1"' in page


def test_explanations_survive_reuploads_and_lapse_when_the_finding_changes(sqlite_server: Server) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    link = admin.roster(rid, ROSTER)["测试县测试局"]
    agency = sqlite_server.agency(link)
    from .returns import warning_workbook

    data, moved = warning_workbook("测试县测试局")
    page = agency.upload(data).text
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page)
    assert fingerprint, page
    r = agency.c.post(f"/a/{agency.token}/explain",
                      data={"fingerprint": fingerprint.group(1), "words": "<b>正文</b>按实际情况填写", "csrf": csrf_of(agency)})  # fmt: skip
    assert r.status_code == 200
    assert "&lt;b&gt;正文&lt;/b&gt;按实际情况填写" in r.text  # shown, escaped

    aid = admin.agency_id(rid, "测试县测试局")
    detail = admin.c.get(f"/admin/round/{rid}/agency/{aid}").text
    eid = re.search(r'name="explanation" value="(\d+)"', detail)
    assert eid
    admin.c.post(f"/admin/round/{rid}/agency/{aid}/judge", data={"explanation": eid.group(1), "verdict": "accepted", "csrf": admin.csrf})
    assert text("serve.ui-verdict-accepted") in agency.upload(data, "again.xlsx").text  # same finding: still explained
    page = agency.upload(moved, "other.xlsx").text  # the warning is gone or elsewhere: the explanation lapses
    assert "按实际情况填写" not in page.split('id="findings"', 1)[1].split(text("serve.ui-history"), 1)[0]


def csrf_of(agency: object) -> str:
    from .conftest import AgencyClient, csrf

    assert isinstance(agency, AgencyClient)
    return csrf(agency.page().text)


def test_export_writes_the_round_as_plain_files(sqlite_server: Server, tmp_path: Path) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    links = admin.roster(rid, ROSTER)
    broken, _ = workbook("测试县测试局", broken=True)
    server_agency = sqlite_server.agency(links["测试县测试局"])
    server_agency.upload(broken, "第一稿.xlsx")
    admin.decide(rid, admin.agency_id(rid, "测试县测试局"), "return", "请核对表三")
    sqlite_server.stop()
    out = tmp_path / "archive"
    done = zfxxgk("serve", *sqlite_server.args(), "--export", str(out))
    assert done.returncode == 0, done.stderr
    folder = out / f"2025_{rid}"
    kept = folder / "测试县测试局" / "v1_第一稿.xlsx"
    assert kept.read_bytes() == broken
    assert json.loads(kept.with_name(kept.name + ".json").read_text(encoding="utf-8"))["findings"][0]["code"] == "S1"
    decisions = (folder / (text("serve.archive-decisions") + ".csv")).read_text(encoding="utf-8-sig")
    assert "请核对表三" in decisions and "return" in decisions
    log = (folder / (text("serve.archive-audit") + ".csv")).read_text(encoding="utf-8-sig")
    assert "upload" in log and "decision" in log
    status = (folder / (text("serve.archive-status") + ".csv")).read_text(encoding="utf-8-sig")
    assert text("serve.status-returned") in status and text("serve.status-missing") in status
    sqlite_server.start()
