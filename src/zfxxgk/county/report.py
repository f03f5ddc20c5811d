"""The county report: the summed tables and a generated overview for the clerk to edit."""

from __future__ import annotations

from decimal import Decimal

from ..read.values import Value, plain_number
from ..report import Document, build_document
from ..report.model import figure
from . import County

PLACEHOLDER = "【请在此填写{what}。】"


def county_values(county: County) -> dict[str, Value]:
    """The summed figures plus generated prose, keyed by cell id like a single return's values."""
    values: dict[str, Value] = {k: plain_number(v) for k, v in county.totals.items()}
    listed = [r for r in county.rows if r.roster_index is not None]
    returned = [r for r in listed if r.status != "missing"]
    included = [r for r in county.rows if r.included]
    t = county.totals

    def n(cell_id: str) -> str:
        return figure(plain_number(t.get(cell_id, Decimal(0))))

    lines = [
        f"本报告根据{county.name or '本地区'}所属各部门和乡镇（街道）报送的{county.year}年政府信息公开工作年度报告汇总编制。"
        f"花名册共{len(listed)}个单位，已报送{len(returned)}个，通过校验纳入汇总{len(included)}个。",
    ]
    if "t3.new.total" in t:
        lines.append(
            f"全年共收到政府信息公开申请{n('t3.new.total')}件，上年结转{n('t3.carried.total')}件，"
            f"办结{n('t3.total.total')}件，其中予以公开{n('t3.open.total')}件、部分公开{n('t3.partial.total')}件；"
            f"结转下年度继续办理{n('t3.forward.total')}件。"
        )
    if "t4.cases.review_total" in t:
        suits = plain_number(t.get("t4.cases.direct_total", Decimal(0)) + t.get("t4.cases.after_total", Decimal(0)))
        lines.append(
            f"因政府信息公开工作被申请行政复议{n('t4.cases.review_total')}件，被提起行政诉讼{figure(suits)}件。"
        )
    lines.append(PLACEHOLDER.format(what="主动公开、依申请公开、政府信息管理、平台建设和监督保障等方面的工作情况"))
    values["text.overview.body"] = "\n".join(lines)
    values["text.problems.body"] = PLACEHOLDER.format(what="本地区政府信息公开工作存在的主要问题及改进情况")
    values["text.other.body"] = PLACEHOLDER.format(what="其他需要报告的事项（如年度政务公开工作要点落实情况）")
    return values


def county_document(county: County, lang: str = "zh") -> Document:
    return build_document(county.spec, county_values(county), county.name, county.year, lang=lang)
