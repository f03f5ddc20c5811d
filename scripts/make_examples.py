"""Rebuild the workbooks in examples/ from the data in this script (run after a spec change).

    .venv/bin/python scripts/make_examples.py

examples/qinghe-2022/: the seed report (清河县行政审批局, 2022) as a filled workbook on the local spec
variant ``qinghe-2022``; its published text is examples/qinghe-2022/expected.txt.
"""

from __future__ import annotations

from pathlib import Path

from zfxxgk.spec import load_spec
from zfxxgk.template import Agency, build_template

ROOT = Path(__file__).resolve().parent.parent

QINGHE_FIGURES = {
    "functions": 1, "leaders": 0, "departments": 0, "policy_documents": 8, "interpretations": 0, "plans": 0,
    "work_news": 10, "statistics": 0, "meetings": 0, "personnel": 0, "enforcement": 0, "notices": 2230,
    "budgets": 0, "special_funds": 0, "procurement": 0, "admin_fees": 0, "public_services": 0, "convenience": 0,
    "basic_other": 0, "npc_proposals": 2, "major_projects": 0, "emergency": 0, "annual_reports": 1,
    "disclosure_guide": 1, "extended_other": 0, "request_guide": 0,
}

QINGHE_PROSE = {
    "text.preface.body": (
        "根据《中华人民共和国政府信息公开条例》和省、市、县政府有关工作要求，清河县行政审批局对2022年政府信息公开工作"
        "进行了梳理总结，并依据2022年政府信息公开情况编制本报告。报告由总体情况、主动公开政府信息情况、收到和处理政府"
        "信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的问题及改进措施等部分组成，具体工作报告如下。"
    ),
    "text.overview_active.title": "（一）健全组织，强化责任",
    "text.overview_active.body": (
        "为进一步完善行政审批信息公开工作，我局成立了以局党组书记、局长陈华斌同志任组长，班子成员任副组长，相关股室"
        "负责人任成员的领导小组。把政务公开工作纳入我局的重要工作之一，列入工作实效考核内容，及时召开会议，对信息公开"
        "工作进行研究部署，将任务落实到人，确保我局政务信息公开工作稳步有序开展，防止管理脱节。"
    ),
    "text.overview_request.title": "（二）加强信息管理，切实开展工作",
    "text.overview_request.body": "\n".join([
        "1、安排专人负责，用政府网站、微信公众号、LED大屏、等多种形式，及时主动向社会公开我局各类政务信息及上级宣传"
        "要求，定期保质保量完成信息公开工作。2022年我局在县政府信息公开平台主动公开各类信息共计2253条。",
        "2、做好权责清单公开工作。在县人民政府网站行政执法公示平台公开权力清单、责任清单、行政许可事项目录清单等清单。"
        "严格按照有关文件要求，在相关清单事项变动后，在20个工作日内进行更新并对外公布。",
        "3、及时公开办事指南。根据权责清单，逐条编制和公开各项政务服务事项服务指南。明确办理依据、办理材料、办事流程、"
        "办理人员等实施要素信息，为企业和群众办事提供清晰指引。",
        "4、审批信息及时公开。审批事项的流程实现全程可查。在县政府网站设有专栏对各类审批结果进行公示，2022年行政执法事后"
        "公开行政许可共计2226条。各事项业务办理进度与办理结果均已在河北政务服务网进行公开，全面接受社会监督。",
        "5、加强政务公开专区建设。认真贯彻落实上级关于进一步做好政务公开专区建设工作的通知要求，规范专区建设内容，充分"
        "整合了政务服务场所现有场地和设施、设备，进行了科学合理规划，设置并完善了“政务公开专区”。",
    ]),
    "text.problems.body": (
        "虽然2022年我局政府信息公开工作取得了一定的成绩，但还存在一些差距和不足。一是工作意识有待加强，仍需进一步加强"
        "培训教育；二是信息公开水平有待提高，公开为常态、不公开为例外的意识有待进一步提升。今后，我局将做好以下改进："
        "一是持续组织开展政务公开培训，进一步提升我局工作人员政府信息公开意识和水平，在完成县镇政务服务大厅政务公开专区"
        "建设基础上，进一步健全政务公开专区工作机制，推动政务公开专区线上线下一体化融合发展；二是注重公开信息实用性，"
        "持续尤其加强便民服务、行政审批制度改革等方面的信息解读与宣传，为群众提供方便快捷的审批服务。"
    ),
    "text.other.body": "本年度我局信息公开工作没有其他需要报告事项。",
}


def qinghe() -> Path:
    spec = load_spec("qinghe-2022")
    fill: dict[str, object] = {f"t2.{row}.count": n for row, n in QINGHE_FIGURES.items()}
    # Tables 三 and 四 of the published report are all zeros, as are the 信息处理费 figures.
    for table in ("t3", "t4"):
        fill.update({c: 0 for c in spec.tables[table].cells if not spec.cells[c].computed})
    fill.update({"text.fee_notices.value": 0, "text.fee_billed.value": 0, "text.fee_collected.value": 0})
    fill.update(QINGHE_PROSE)
    out = ROOT / "examples" / "qinghe-2022" / "清河县行政审批局_2022年度政府信息公开年报.xlsx"
    out.write_bytes(build_template(spec, 2022, Agency(name="清河县行政审批局"), prefill=fill))
    return out


def main() -> None:
    print(qinghe())


if __name__ == "__main__":
    main()
