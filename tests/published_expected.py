"""What each published report in ``shared/published/`` says, read by hand from the files themselves.

Written from the published files, not from any tool's output: the PDFs with ``pdftotext -layout`` and their
pages rendered with ``pdftoppm -png -r 80``, the archived pages from the report's ``<table>`` markup (with
``rowspan``/``colspan`` expanded), the text layers from their flattened rows. Cell ids are the form spec's
(``workbook_templates/national-2021.yaml``, ``national-2019.yaml``).

For each file:

- ``figures``: every cell of tables 二, 三 and 四 read with certainty. A flattened row of a text layer is
  certain when its digits split into the row's cells in exactly one way: its digit count equals the cell
  count, or its spaces give one group per cell. Amounts printed with a unit (``45.82万元``, ``5419886元``,
  ``2笔``) are not recorded.
- ``blanks``: cells printed empty (not 0).
- ``ambiguous``: cells of a flattened row whose digits split in more than one way (``690000069`` into seven
  cells); the whole row is unverifiable, never guessed.
- ``findings``: the codes a correct checker must report for the file: the published errors found by hand
  (arithmetic that does not add up, blanks, 2019 tables in a 2021+ report, misprinted labels, prose that
  contradicts the tables) and ``extraction-ambiguous`` where a row cannot be split.
- ``rules``: the exact identity instances (``S1[c=total]``, ``I1[r=forward]``, ``I2[c=natural]``,
  ``I4[g=review]``) that fail on the published figures; every other identity holds or is unverifiable.
- ``narrative``: the narrative checks (``N1`` …) whose quoted number contradicts the tables.
- ``notes``: the arithmetic and reading behind each of them.

The two PDFs (001, 002) print the 2021 table 二 with a 2019 table 三 (one （六）其他处理 row without
sub-rows); that row is recorded under the 2019 spec's ids ``t3.other.*``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

T3_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")
T4_COLUMNS = tuple(
    f"{group}_{outcome}"
    for group in ("review", "direct", "after")
    for outcome in ("upheld", "corrected", "other", "pending", "total")
)
T4_CELLS = frozenset(f"t4.cases.{c}" for c in T4_COLUMNS)
IDENTITY_CODES = frozenset({"S1", "I1", "I2", "I4"})

Figure = int | Decimal


@dataclass(frozen=True)
class Expected:
    """What one published file says, and what a correct audit of it must report."""

    file: str
    agency: str
    year: int
    layout: str  # "2019" or "2021": the format of the report's tables
    figures: dict[str, Figure]
    blanks: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    findings: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()
    narrative: frozenset[str] = frozenset()
    notes: str = ""


def t3_rows(**rows: tuple[int | None, ...]) -> dict[str, Figure]:
    """Table 三 rows as printed (自然人 … 其他, 总计) -> cell figures; None (a blank) is left out."""
    out: dict[str, Figure] = {}
    for row, values in rows.items():
        assert len(values) == len(T3_COLUMNS), row
        out.update({f"t3.{row}.{c}": v for c, v in zip(T3_COLUMNS, values, strict=True) if v is not None})
    return out


def t4_row(*values: int) -> dict[str, Figure]:
    """Table 四's one row of 15 figures, as printed."""
    assert len(values) == len(T4_COLUMNS)
    return {f"t4.cases.{c}": v for c, v in zip(T4_COLUMNS, values, strict=True)}


def row_cells(row: str) -> frozenset[str]:
    """The seven cells of a table 三 row ("t3.new")."""
    return frozenset(f"{row}.{c}" for c in T3_COLUMNS)


EXPECTED: tuple[Expected, ...] = (
    Expected(
        file="001.pdf",
        agency="洪泽区人民政府",
        year=2023,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 0,
            "t2.normative.repealed": 5,
            "t2.normative.in_force": 5,
            "t2.license.decisions": 550,
            "t2.penalty.decisions": 4119,
            "t2.coercion.decisions": 195,
            "t2.fees.amount": Decimal("7730.28"),
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(21, 0, 0, 0, 0, 0, 21),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(4, 0, 0, 0, 0, 0, 4),
                deny_secret=(1, 0, 0, 0, 0, 0, 1),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(1, 0, 0, 0, 0, 0, 1),
                deny_case_file=(1, 0, 0, 0, 0, 0, 1),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(10, 0, 0, 0, 0, 0, 10),
                unable_create=(3, 0, 0, 0, 0, 0, 3),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(1, 0, 0, 0, 0, 0, 1),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(21, 0, 0, 0, 0, 0, 21),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset({"I4", "format-outdated", "format-mixed", "label-misprint"}),
        rules=frozenset({"I4[g=review]", "I4[g=after]"}),
        narrative=frozenset(),
        notes=(
            "Read from pdftotext -layout and pages 3-4 rendered at 80 dpi. Agency as the title prints it (洪泽区人民政府; "
            "MANIFEST.tsv has 淮安市洪泽区人民政府 from the body). Table 三 runs over the page break 3/4 and keeps one "
            "（六）其他处理 row without sub-rows (2019 table 三, cells t3.other.*) under the 2021 table 二: format-outdated and "
            "format-mixed. Label misprint 2.其他法律行政止公开 (official 2.其他法律行政法规禁止公开): label-misprint. "
            "I4 on 行政复议: 结果维持 10 + 结果纠正 1 + 其他 0 + 尚未审结 0 = 11 ≠ 总计 0. "
            "I4 on 复议后起诉: 5 + 0 + 0 + 0 = 5 ≠ 总计 0. "
            "Table 三 holds: S1 总计 21+0 = 21+0; I2 自然人 0+4+1+1+1+10+3+1 = 21. Prose 受理政府信息公开申请21件 = 21."
        ),
    ),
    Expected(
        file="002.pdf",
        agency="淮安市洪泽区人民政府",
        year=2024,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 3,
            "t2.normative.repealed": 0,
            "t2.normative.in_force": 8,
            "t2.license.decisions": 9487,
            "t2.penalty.decisions": 2776,
            "t2.coercion.decisions": 84,
            "t2.fees.amount": 7545,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(95, 0, 0, 0, 0, 0, 95),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(50, 0, 0, 0, 0, 0, 50),
                partial=(9, 0, 0, 0, 0, 0, 9),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(1, 0, 0, 0, 0, 0, 1),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(1, 0, 0, 0, 0, 0, 1),
                deny_case_file=(1, 0, 0, 0, 0, 0, 1),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(31, 0, 0, 0, 0, 0, 31),
                unable_create=(1, 0, 0, 0, 0, 0, 1),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(1, 0, 0, 0, 0, 0, 1),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(95, 0, 0, 0, 0, 0, 95),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset({"format-outdated", "format-mixed", "label-misprint", "narrative-mismatch"}),
        rules=frozenset(),
        narrative=frozenset({"N1"}),
        notes=(
            "Read from pdftotext -layout and pages 3-4 rendered at 80 dpi. Same hybrid layout as 001: 2021 table 二, "
            "table 三 with one （六）其他处理 row (t3.other.*): format-outdated and format-mixed; 2.其他法律行政止公开: label-misprint. "
            "Prose: 区政府办代表区政府受理政府信息公开申请17件, table 三 一、本年新收 总计 95 (and 95 with the carry-over 0): "
            "narrative-mismatch N1. Identities hold: I2 自然人 50+9+1+1+1+31+1+1 = 95; "
            "I4 1+1+0+0 = 2, 1+0+0+0 = 1, 2+0+1+0 = 3."
        ),
    ),
    Expected(
        file="003.txt",
        agency="平潭综合实验区国有资产管理局",
        year=2019,
        layout="2019",
        figures={
            # table 二
            "t2.normative.made": 6,
            "t2.normative.published": 6,
            "t2.normative.public_total": 6,
            "t2.license.last_year": 0,
            "t2.license.change": 0,
            "t2.license.decisions": 0,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 0,
            "t2.penalty.last_year": 0,
            "t2.penalty.change": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.last_year": 0,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            "t2.procurement.projects": 0,
            "t2.procurement.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(0, 0, 0, 0, 0, 0, 0),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(0, 0, 0, 0, 0, 0, 0),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.rules.made", "t2.rules.public_total", "t2.rules.published"}),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables. Table 三 rows are 7 digits each (some space-separated: '00 00000', "
            "'0 00 0 0 00'), table 四 15 digits: all certain, all 0. Table 二 规章 '1411' splits into 3 cells as 1|4|11, 1|41|1 "
            "or 14|1|1: ambiguous. 第（八）项 '00' and 第（九）项 '00' are two cells each. No identity fails."
        ),
    ),
    Expected(
        file="004.txt",
        agency="平潭综合实验区市场监督管理局",
        year=2019,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 2,
            "t2.normative.published": 2,
            "t2.normative.public_total": 2,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(1, 0, 0, 0, 0, 0, 1),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(1, 0, 0, 0, 0, 0, 1),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(1, 0, 0, 0, 0, 0, 1),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.coercion.change", "t2.coercion.decisions", "t2.coercion.last_year"})
        | frozenset({"t2.license.change", "t2.license.decisions", "t2.license.last_year"})
        | frozenset({"t2.other_services.change", "t2.other_services.decisions", "t2.other_services.last_year"})
        | frozenset({"t2.penalty.change", "t2.penalty.decisions", "t2.penalty.last_year"})
        | frozenset({"t2.procurement.amount", "t2.procurement.projects"}),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables; table 三 rows of exactly 7 digits, table 四 15 digits: certain. "
            "Identities hold (新收 1 = 重复申请 1 = 总计 1). Table 二 runs with more digits than cells are ambiguous: 行政许可 '51037', "
            "其他对外管理服务事项 '60149', 行政处罚 '5340103', 行政强制 '3100' (3|10|0 or 31|0|0), "
            "政府集中采购 '156805947.43元' (项目数量 and 金额 run together)."
        ),
    ),
    Expected(
        file="005.txt",
        agency="平潭综合实验区社会事业局",
        year=2019,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 0,
            "t2.normative.published": 3,
            "t2.normative.public_total": 3,
            "t2.license.last_year": 72,
            "t2.license.change": 0,
            "t2.license.decisions": 0,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 0,
            "t2.penalty.last_year": 95,
            "t2.penalty.change": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.last_year": 1,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            "t2.procurement.projects": 2,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(1, 0, 0, 0, 0, 0, 1),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(1, 0, 0, 0, 0, 0, 1),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(1, 0, 0, 0, 0, 0, 1),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset(),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables, every cell space-separated: certain. 予以公开 row '1 0 0 0 0 01' is 7 digits. "
            "Identities hold. 采购总金额 '45.82万元' carries a unit and is not recorded; 采购项目数量 2."
        ),
    ),
    Expected(
        file="006.txt",
        agency="平潭综合实验区交通与建设局",
        year=2019,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 2,
            "t2.normative.published": 2,
            "t2.normative.public_total": 2,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 0,
            "t2.coercion.last_year": 0,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(1, 0, 0, 0, 0, 0, 1),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(1, 0, 0, 0, 0, 0, 1),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(1, 0, 0, 0, 0, 0, 1),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.fees.change", "t2.fees.last_year"})
        | frozenset({"t2.license.change", "t2.license.decisions", "t2.license.last_year"})
        | frozenset({"t2.penalty.change", "t2.penalty.decisions", "t2.penalty.last_year"})
        | frozenset({"t2.procurement.amount", "t2.procurement.projects"}),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables; table 三 rows 7 digits each ('1 0 00 0 0 1', '0 0 00 00 0'), table 四 15: certain. "
            "Identities hold (新收 1 = 不掌握 1 = 总计 1). Table 二 ambiguous: 行政许可 '8801' (8|80|1 or 88|0|1), "
            "行政处罚 '2600', 行政事业性收费 '114' (two cells: 1|14 or 11|4), 政府集中采购 '547.9659万元'."
        ),
    ),
    Expected(
        file="007.txt",
        agency="平潭综合实验区财政金融局",
        year=2020,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 6,
            "t2.normative.published": 4,
            "t2.normative.public_total": 11,
            "t2.license.last_year": 0,
            "t2.license.change": 1,
            "t2.license.decisions": 0,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 0,
            "t2.penalty.last_year": 0,
            "t2.penalty.change": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.last_year": 0,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(0, 0, 0, 0, 0, 0, 0),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(0, 0, 0, 0, 0, 0, 0),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset(),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables (2020 report, right format), every cell space-separated: certain, table 三 and 四 all 0. "
            "Prose 依申请公开信息数182条 counts information items, not applications: no narrative finding. "
            "政府集中采购 '2笔 984361元' carries units (笔, and 元 in a 万元 column): not recorded."
        ),
    ),
    Expected(
        file="008.txt",
        agency="平潭综合实验区综合执法与应急管理局",
        year=2020,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 0,
            "t2.normative.published": 0,
            "t2.normative.public_total": 2,
            "t2.license.last_year": 0,
            "t2.license.change": 28,
            "t2.license.decisions": 0,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 11,
            "t2.other_services.decisions": 0,
            "t2.coercion.last_year": 0,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(0, 0, 0, 0, 0, 0, 0),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(0, 0, 0, 0, 0, 0, 0),
                total=(0, 0, 0, 0, 0, 0, 0),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.penalty.change", "t2.penalty.decisions", "t2.penalty.last_year"})
        | frozenset({"t2.procurement.amount", "t2.procurement.projects"}),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2019 tables (2020 report); ideographic spaces separate table 二 cells ('　0　28　0'). "
            "Table 三 rows 7 digits, table 四 '00 0 0 0 0 0 00 0 0 0 0 0 0' 15 digits: certain, all 0. "
            "Table 二 ambiguous: 行政处罚 '1121784784', 政府集中采购（元） '6675809'."
        ),
    ),
    Expected(
        file="009.txt",
        agency="平潭综合实验区行政审批局",
        year=2021,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.license.decisions": 3,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": Decimal("16220.85"),
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(6, 0, 0, 0, 0, 0, 6),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(5, 0, 0, 0, 0, 0, 5),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(1, 0, 0, 0, 0, 0, 1),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(6, 0, 0, 0, 0, 0, 6),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed"}),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2021 tables; table 三 rows 7 digits, table 四 15: certain. Identities hold: "
            "新收 6 = 予以公开 5 + 行政查询事项 1 = 总计 6. Table 二 行政规范性文件 '2023' is 2|0|23 or 20|2|3: ambiguous. "
            "Prose 收到申请公开政府信息的要求6件 = 6."
        ),
    ),
    Expected(
        file="010.txt",
        agency="平潭综合实验区市场监督管理局",
        year=2023,
        layout="2021",
        figures={
            # table 二
            "t2.license.decisions": 0,
            "t2.penalty.decisions": 135,
            "t2.coercion.decisions": 54,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(1, 0, 0, 0, 0, 0, 1),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(1, 0, 0, 0, 0, 0, 1),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                total=(1, 0, 0, 0, 0, 0, 1),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=row_cells("t3.other_misc") | row_cells("t3.other_no_fee"),
        ambiguous=frozenset({"t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed"}),
        findings=frozenset({"blank-cell", "extraction-ambiguous", "label-missing"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2021 tables. （六）2. and （六）3. are printed with no digits at all: 14 blank cells (23 rows carry "
            "digits, yet the labels are the 2021 ones). I2 on every column touches those blanks: unverifiable, not failing. "
            "S1 holds (1+0 = 1+0), other rows hold. Table 二 has no 规章 row (label-missing) and labels the other row "
            "规范性文件 '13013' (ambiguous: 1|30|13, 13|0|13, 130|1|3 …). Prose 收到政府信息公开申请1件 = 1."
        ),
    ),
    Expected(
        file="011.txt",
        agency="平潭综合实验区自然资源与生态环境局",
        year=2024,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.license.decisions": 308,
            "t2.penalty.decisions": 33,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                carried=(0, 0, 0, 0, 0, 0, 0),
                partial=(9, 0, 0, 0, 0, 0, 9),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset({"t2.normative.in_force", "t2.normative.issued", "t2.normative.repealed"})
        | row_cells("t3.new")
        | row_cells("t3.open")
        | row_cells("t3.total")
        | row_cells("t3.unable_no_info"),
        findings=frozenset({"extraction-ambiguous"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2021 tables. Rows with 9 digits for 7 cells: 一、新收 '690000069', （一）予以公开 '230000023', "
            "（四）1. '370000037', （七）总计 '690000069' each split 4 ways (69|0|0|0|0|0|69, 6|90|0|0|0|0|69, "
            "690|0|0|0|0|6|9, 6|900|0|0|0|6|9): ambiguous, so S1 and I2 are unverifiable (the prose's 69件 suggests "
            "69|…|69, but a reader cannot be certain from the table). （二）部分公开 '9000009' is 7 digits: 9 and 9. "
            "Table 四 '10 0 1 200 0 0 0 0 0 0 00' has 15 digits: 复议 维持 1, 尚未审结 1, 总计 2 (I4 holds). "
            "Table 二 行政规范性文件 '2433' ambiguous."
        ),
    ),
    Expected(
        file="012.txt",
        agency="平潭综合实验区财政金融局",
        year=2025,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 0,
            "t2.normative.repealed": 1,
            "t2.normative.in_force": 0,
            "t2.license.decisions": 0,
            "t2.penalty.decisions": 1,
            "t2.coercion.decisions": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(2, 0, 0, 0, 0, 0, 2),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(1, 0, 0, 0, 0, 0, 1),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(1, 0, 0, 0, 0, 0, 1),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(2, 0, 0, 0, 0, 0, 2),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset({"too-many-decimals"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Text layer, 2021 tables, partly space-separated ('20 0 0 0 02' is 7 digits): certain; identities hold "
            "(新收 2 = 予以公开 1 + 不掌握 1 = 总计 2). Table 二 行政事业性收费 '4166.214619' in 万元: more than two decimals "
            "(too-many-decimals; the value is not recorded). The prose of this 2025 report quotes "
            "'2024年制作、获取政府信息总数467条' (last year's wording; no finding code for it)."
        ),
    ),
    Expected(
        file="013.html",
        agency="平潭综合实验区管委会办公室",
        year=2019,
        layout="2019",
        figures={
            # table 二
            "t2.rules.made": 0,
            "t2.rules.published": 0,
            "t2.rules.public_total": 0,
            "t2.normative.made": 22,
            "t2.normative.published": 22,
            "t2.normative.public_total": 33,
            "t2.license.last_year": 0,
            "t2.license.change": 1,
            "t2.license.decisions": 1,
            "t2.other_services.last_year": 0,
            "t2.other_services.change": 0,
            "t2.other_services.decisions": 0,
            "t2.penalty.last_year": 0,
            "t2.penalty.change": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.last_year": 0,
            "t2.coercion.change": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.last_year": 0,
            "t2.fees.change": 0,
            "t2.procurement.projects": 21,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(12, 0, 0, 0, 0, 0, 12),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(4, 0, 0, 0, 0, 0, 4),
                partial=(1, 0, 0, 0, 0, 0, 1),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(3, 0, 0, 0, 0, 0, 3),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(2, 0, 0, 0, 0, 0, 2),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other=(2, 0, 0, 0, 0, 0, 2),
                total=(12, 0, 0, 0, 0, 0, 12),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset(),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Archived page, 2019 tables (2019 report). Table 三: 新收 12 = 予以公开 4 + 部分公开 1 + 补正后仍不明确 3 + "
            "重复申请 2 + 其他处理 2 = 总计 12; table 四 all 0: identities hold. Table 二 本年增/减 '+1' read as 1; "
            "采购总金额 '5419886元' (元 in a 万元 column) is not recorded."
        ),
    ),
    Expected(
        file="014.html",
        agency="平潭综合实验区金井片区管理局",
        year=2023,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 0,
            "t2.normative.repealed": 0,
            "t2.normative.in_force": 7,
            "t2.license.decisions": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(1, 0, 0, 0, 0, 0, 1),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(1, 0, 0, 0, 0, 0, 1),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(1, 0, 0, 0, 0, 0, 1),
                forward=(0, None, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset({"t3.forward.business"}),
        ambiguous=frozenset(),
        findings=frozenset({"blank-cell"}),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Archived page, 2021 tables. 四、结转下年度继续办理 / 商业企业 is an empty cell (<br/> only): blank-cell; "
            "S1[c=business] and I1[r=forward] touch it and are unverifiable. Otherwise 新收 1 = 不掌握 1 = 总计 1, table 四 0. "
            "Table 二 labels 规范性文件 (not 行政规范性文件)."
        ),
    ),
    Expected(
        file="015.html",
        agency="平潭综合实验区管委会办公室",
        year=2025,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 9,
            "t2.normative.repealed": 7,
            "t2.normative.in_force": 253,
            "t2.license.decisions": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(32, 0, 0, 0, 0, 0, 32),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(8, 0, 0, 0, 0, 0, 8),
                partial=(7, 0, 0, 0, 0, 0, 7),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(1, 0, 0, 0, 0, 0, 1),
                deny_process=(2, 0, 0, 0, 0, 0, 2),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(12, 0, 0, 0, 0, 0, 12),
                unable_create=(2, 0, 0, 0, 0, 0, 2),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(32, 0, 0, 0, 0, 0, 32),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset({"narrative-mismatch"}),
        rules=frozenset(),
        narrative=frozenset({"N1"}),
        notes=(
            "Archived page, 2021 tables. Identities hold: 新收 32 = 8+7+1+2+12+2 = 总计 32; 复议 维持 2 = 总计 2. "
            "Prose 实验区管委会（办公室）共受理公开申请34件 contradicts 一、本年新收 总计 32 (carry-over 0): narrative-mismatch N1 "
            "(the spec's N1 patterns must accept 受理公开申请 for this). Prose 行政复议共2件 = 2."
        ),
    ),
    Expected(
        file="016.html",
        agency="平潭综合实验区行政审批局",
        year=2024,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 15,
            "t2.normative.repealed": 6,
            "t2.normative.in_force": 21,
            "t2.license.decisions": 3,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(28, 0, 0, 0, 0, 0, 28),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(18, 0, 0, 0, 0, 0, 18),
                partial=(6, 0, 0, 0, 0, 0, 6),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(4, 0, 0, 0, 0, 0, 4),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(28, 0, 0, 0, 0, 0, 28),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset({"I4", "narrative-mismatch"}),
        rules=frozenset({"I4[g=review]"}),
        narrative=frozenset({"N5"}),
        notes=(
            "Archived page, 2021 tables. I4 on 行政复议: 结果维持 1 + 0 + 0 + 0 = 1 ≠ 总计 0. "
            "Prose 因依申请公开引发行政复议1起 contradicts 行政复议 总计 0: narrative-mismatch N5 (the spec's N5 patterns must "
            "accept 引发行政复议N起 for this). Table 三 holds: 新收 28 = 18+6+4 = 总计 28; prose 政府信息公开申请28件 = 28."
        ),
    ),
    Expected(
        file="017.html",
        agency="平潭综合实验区金井片区管理局",
        year=2021,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 1,
            "t2.normative.repealed": 0,
            "t2.normative.in_force": 6,
            "t2.license.decisions": 0,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(0, 0, 0, 0, 0, 0, 0),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(0, 0, 0, 0, 0, 0, 0),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(0, 0, 0, 0, 0, 0, 0),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset(),
        rules=frozenset(),
        narrative=frozenset(),
        notes=("Archived page, 2021 tables, every figure 0 except table 二 (规范性文件 1/0/6). Identities hold."),
    ),
    Expected(
        file="018.html",
        agency="平潭综合实验区行政审批局",
        year=2022,
        layout="2021",
        figures={
            # table 二
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 2,
            "t2.normative.repealed": 0,
            "t2.normative.in_force": 25,
            "t2.license.decisions": 7677,
            "t2.penalty.decisions": 0,
            "t2.coercion.decisions": 0,
            "t2.fees.amount": 0,
            # table 三, rows as printed: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
            **t3_rows(
                new=(4, 0, 0, 0, 0, 0, 4),
                carried=(0, 0, 0, 0, 0, 0, 0),
                open=(4, 0, 0, 0, 0, 0, 4),
                partial=(0, 0, 0, 0, 0, 0, 0),
                deny_secret=(0, 0, 0, 0, 0, 0, 0),
                deny_law=(0, 0, 0, 0, 0, 0, 0),
                deny_safety=(0, 0, 0, 0, 0, 0, 0),
                deny_third_party=(0, 0, 0, 0, 0, 0, 0),
                deny_internal=(0, 0, 0, 0, 0, 0, 0),
                deny_process=(0, 0, 0, 0, 0, 0, 0),
                deny_case_file=(0, 0, 0, 0, 0, 0, 0),
                deny_query=(0, 0, 0, 0, 0, 0, 0),
                unable_no_info=(0, 0, 0, 0, 0, 0, 0),
                unable_create=(0, 0, 0, 0, 0, 0, 0),
                unable_unclear=(0, 0, 0, 0, 0, 0, 0),
                reject_petition=(0, 0, 0, 0, 0, 0, 0),
                reject_repeat=(0, 0, 0, 0, 0, 0, 0),
                reject_publication=(0, 0, 0, 0, 0, 0, 0),
                reject_mass=(0, 0, 0, 0, 0, 0, 0),
                reject_confirm=(0, 0, 0, 0, 0, 0, 0),
                other_no_fix=(0, 0, 0, 0, 0, 0, 0),
                other_no_fee=(0, 0, 0, 0, 0, 0, 0),
                other_misc=(0, 0, 0, 0, 0, 0, 0),
                total=(4, 0, 0, 0, 0, 0, 4),
                forward=(0, 0, 0, 0, 0, 0, 0),
            ),
            # table 四: 行政复议 | 诉讼（未经复议） | 诉讼（复议后）, each 维持 纠正 其他 尚未审结 总计
            **t4_row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        },
        blanks=frozenset(),
        ambiguous=frozenset(),
        findings=frozenset(),
        rules=frozenset(),
        narrative=frozenset(),
        notes=(
            "Archived page, 2021 tables; table 四 is wrapped in a <div>. 新收 4 = 予以公开 4 = 总计 4, table 四 0: "
            "identities hold. Prose 共收到政府信息公开申请4件 = 4. Table 二 行政许可 7677."
        ),
    ),
)

BY_FILE = {e.file: e for e in EXPECTED}
