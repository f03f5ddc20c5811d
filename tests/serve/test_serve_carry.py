"""The server hands out templates prefilled from last year's accepted return (real server, SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

from helpers import filled_template, where
from zfxxgk.spec import INFO_SHEET, load_spec

from .conftest import Server

ROSTER = "单位名称,单位编码\n测试县测试局,C1\n测试县教育局,C2\n测试县财政局,C3\n"
APPLICANTS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
CARRIED = [*(f"t3.carried.{a}" for a in APPLICANTS), "t2.rules.in_force", "t2.normative.in_force"]


def last_year(agency: str, code: str, seed: int) -> tuple[bytes, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        values = filled_template(path, load_spec("national-2021"), year=2024, seed=seed, agency=agency, code=code)
        return path.read_bytes(), values


def carried(content: bytes) -> dict[str, Any]:
    spec = load_spec("national-2021")
    wb = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    return {c: wb[where(spec, c)[0]][where(spec, c)[1]].value for c in CARRIED}


def info(content: bytes) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(content))[INFO_SHEET]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_templates_carry_last_years_accepted_returns(server: Server) -> None:
    admin = server.admin()
    old = admin.new_round(year=2024, deadline="2025-01-31")
    old_links = admin.roster(old, ROSTER)
    data, values = last_year("测试县测试局", "C1", seed=4)
    assert server.agency(old_links["测试县测试局"]).upload(data, "测试局2024年报.xlsx").status_code == 200
    assert admin.decide(old, admin.agency_id(old, "测试县测试局"), "accept").status_code == 200
    pending, _ = last_year("测试县教育局", "C2", seed=5)  # uploaded, never accepted: not carried
    assert server.agency(old_links["测试县教育局"]).upload(pending).status_code == 200

    new = admin.new_round(year=2025)
    links = admin.roster(new, ROSTER)
    want = {f"t3.carried.{a}": values[f"t3.forward.{a}"] for a in APPLICANTS}
    want.update({c: values[c] for c in CARRIED if c.startswith("t2.")})
    agency = server.agency(links["测试县测试局"])
    got = agency.c.get(f"/a/{agency.token}/template")
    assert got.status_code == 200 and carried(got.content) == want
    assert "测试局2024年报.xlsx" in info(got.content) and "2024年度" in info(got.content)
    by_admin = admin.c.get(f"/admin/round/{new}/agency/{admin.agency_id(new, '测试县测试局')}/template")
    assert carried(by_admin.content) == want
    for name in ("测试县教育局", "测试县财政局"):
        other = server.agency(links[name])
        content = other.c.get(f"/a/{other.token}/template").content
        assert all(v is None for v in carried(content).values()) and "2024年度" not in info(content)
