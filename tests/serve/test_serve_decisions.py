"""The county's decisions reach 汇总.xlsx from the server's download and from ``--export`` + ``compile``."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl

from zfxxgk.messages import text

from .conftest import Server, csrf, zfxxgk
from .returns import warning_workbook, workbook

ROSTER = "单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n"


def table(book: Any, sheet: str) -> tuple[list[Any], list[tuple[Any, ...]]]:
    rows = list(book[sheet].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == text("county.head-no"))
    return list(rows[at]), rows[at + 1 :]


def check_summary(book: Any) -> None:
    head, rows = table(book, "报送情况")
    review, comment = head.index(text("decisions.head-review")), head.index(text("decisions.head-comment"))
    got = {r[1]: (r[review], r[comment]) for r in rows}
    assert got["测试县测试局"] == ("已通过", None)
    assert got["测试县教育局"] == ("退回修改", "请补充第五部分")
    head, rows = table(book, "问题清单")
    words, verdict = head.index(text("decisions.head-explanation")), head.index(text("decisions.head-verdict"))
    explained = [(r[words], r[verdict]) for r in rows if r[1] == "测试县测试局" and r[words]]
    assert explained == [("正文数字含上年结转", "说明被接受")]


def test_decisions_reach_the_summary_download_and_the_export(sqlite_server: Server, tmp_path: Path) -> None:
    admin = sqlite_server.admin()
    rid = admin.new_round()
    links = admin.roster(rid, ROSTER)
    agency = sqlite_server.agency(links["测试县测试局"])
    page = agency.upload(warning_workbook("测试县测试局")[0]).text
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page)
    assert fingerprint, page
    said = agency.c.post(f"/a/{agency.token}/explain", data={"fingerprint": fingerprint.group(1), "words": "正文数字含上年结转",
                                                             "csrf": csrf(page)})  # fmt: skip
    assert said.status_code == 200 and "正文数字含上年结转" in said.text
    aid = admin.agency_id(rid, "测试县测试局")
    eid = re.search(r'name="explanation" value="(\d+)"', admin.c.get(f"/admin/round/{rid}/agency/{aid}").text)
    assert eid
    judged = admin.c.post(f"/admin/round/{rid}/agency/{aid}/judge", data={"explanation": eid.group(1), "verdict": "accepted",
                                                                          "csrf": admin.csrf})  # fmt: skip
    assert judged.status_code == 200 and text("serve.ui-verdict-accepted") in judged.text
    assert admin.decide(rid, aid, "accept").status_code == 200
    sqlite_server.agency(links["测试县教育局"]).upload(workbook("测试县教育局", seed=1)[0])
    assert admin.decide(rid, admin.agency_id(rid, "测试县教育局"), "return", "请补充第五部分").status_code == 200

    summary = admin.c.get(f"/admin/round/{rid}/export/summary")
    assert summary.status_code == 200
    check_summary(openpyxl.load_workbook(io.BytesIO(summary.content)))

    # --export writes decisions.json; compile --decisions carries it into a compile of the exported files.
    sqlite_server.stop()
    out = tmp_path / "归档"
    assert zfxxgk("serve", *sqlite_server.args(), "--export", str(out)).returncode == 0
    folder = next(p for p in out.iterdir() if p.is_dir())
    whole = (out / (text("serve.archive-audit") + ".csv")).read_text(encoding="utf-8-sig")
    assert ",login," in whole and ",export," in whole  # the whole log, sign-ins too
    said = json.loads((folder / "decisions.json").read_text(encoding="utf-8"))
    assert said["format"] == "zfxxgk-decisions" and {a["agency"] for a in said["agencies"]} == {"测试县测试局", "测试县教育局"}
    returns = tmp_path / "returns"
    returns.mkdir()
    for name in ("测试县测试局", "测试县教育局"):
        version = next(p for p in (folder / name).iterdir() if p.suffix == ".xlsx")
        (returns / f"{name}.xlsx").write_bytes(version.read_bytes())  # renamed: matched by the finding's place
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    book = tmp_path / "汇总.xlsx"
    done = zfxxgk("compile", str(returns), "--roster", str(roster), "--year", "2025", "-o", str(book), "--jobs", "1",
                  "--decisions", str(folder / "decisions.json"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    check_summary(openpyxl.load_workbook(book))
