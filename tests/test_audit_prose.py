"""Sections 一 to 六 of published prose found by similarity to the spec's headings, not by a list of synonyms.

The variants are those of the corpus in ``../shared/published`` (and of the reports the format reference
quotes); the near-misses are what a body or a flattened table prints that is not a heading.
"""

from __future__ import annotations

import pytest

from zfxxgk.audit.prose import LINE_SIMILARITY, RUNNING_SIMILARITY, heading_words, sections, similarity
from zfxxgk.spec import load_spec

SPEC = load_spec("national-2021")
OFFICIAL = [s.heading or "" for s in SPEC.sections if s.heading]
BODY = ["总体正文。", "主动正文。", "申请正文。", "复议正文。", "问题正文。", "其他正文。"]


def found(prose: str) -> dict[str, str]:
    """The heading numeral of each section found -> its text."""
    return {(f.section.heading or "")[:1]: f.body for f in sections(SPEC, prose)}


def report(headings: list[str], sep: str = "\n", intro: str = "某局2024年政府信息公开工作年度报告") -> str:
    return intro + sep + sep.join(h + sep + b for h, b in zip(headings, BODY, strict=True))


def test_official_headings() -> None:
    assert found(report(OFFICIAL)) == dict(zip("一二三四五六", BODY, strict=True))


@pytest.mark.parametrize(
    "numbering",
    [
        lambda n, c: f"{c}、",  # 一、
        lambda n, c: f"（{c}）",  # （一）
        lambda n, c: f"({c})",
        lambda n, c: f"{n}.",  # 1.
        lambda n, c: f"{chr(0xFF10 + n)}．",  # full-width １．
        lambda n, c: f"{n}、",
        lambda n, c: f"第{c}部分 ",  # 第一部分
        lambda n, c: f"{c}．",
    ],
)
def test_numbering_variants(numbering: object) -> None:
    headings = [numbering(n, h[0]) + h[2:] for n, h in enumerate(OFFICIAL, 1)]  # type: ignore[operator]
    assert found(report(headings)) == dict(zip("一二三四五六", BODY, strict=True))


@pytest.mark.parametrize(
    ("number", "printed"),
    [
        ("四", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"),  # the 2019 wording, corpus 003-006 intro
        ("四", "四、政府信息公开行政复议与行政诉讼情况"),  # corpus 016
        ("五", "五、政府信息公开工作存在的主要问题及改进情况"),
        ("五", "五、存在的主要问题及改进措施"),  # corpus 014
        ("五", "五、主要问题及改进情况"),  # dropped words
        ("一", "一、总体概述"),  # 情况 / 概述
        ("一", "一、 总 体 情 况"),  # spaced out
        ("三", "三、收到和处理政府信息公开申请情 况"),  # a PDF line broken inside the heading
        ("二", "二、主动公开政府信息的情况"),
    ],
)
def test_heading_words_variants(number: str, printed: str) -> None:
    headings = [printed if h.startswith(number) else h for h in OFFICIAL]
    assert found(report(headings)) == dict(zip("一二三四五六", BODY, strict=True))


def test_running_text_of_a_flattened_layer() -> None:
    """Corpus 003-012: headings run on into the text, the table's figures before them, nothing between."""
    prose = (
        "某局2019年政府信息公开工作年度报告 报告全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开"
        "申请情况等六个部分组成。一、总体情况2019年，我局高度重视。二、主动公开政府信息情况第二十条第（一）项"
        "信息内容 规章 0 0 0 行政事业性收费0三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项"
        "加第二项之和）一、本年新收政府信息公开申请数量 1 0 0 三、本年度办理结果（一）予以公开 1 四、结转下年度继续"
        "办理 0 0 0 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持 0 0 00五、存在的主要问题及改进"
        "情况（一）主要问题。六、其他需要报告的事项无。"
    )
    got = found(prose)
    assert list(got) == list("一二三四五六")
    assert got["一"].startswith("2019年") and got["二"].startswith("第二十条")
    assert got["四"].startswith("行政复议行政诉讼") and got["五"].startswith("（一）主要问题")
    assert got["六"] == "无。"


def test_subsection_numbering_inside_section_one_is_not_a_section() -> None:
    """Corpus 001/014/017: （一）主动公开情况 … under 一、总体情况; 二 is the 二、 heading further on."""
    prose = report(OFFICIAL).replace("总体正文。", "（一）主动公开情况。主要通过门户网站主动公开。\n（二）依申请公开情况。")
    got = found(prose)
    assert got["一"].startswith("（一）主动公开情况") and got["二"] == "主动正文。"


@pytest.mark.parametrize(
    "mention",
    [
        "二、主动公开的政府信息涵盖机构职能等内容，全年更新",  # a numbered sentence that mentions the subject
        "二、主动公开政府信息1200条",
        "（二）主动公开政府信息情况。主要通过门户网站主动公开",  # a sub-heading: the report numbers sections 一、
        "二是主动公开政府信息情况持续向好",
        "2.主动公开政府信息情况较上年有所增加",  # a list of the other numbering style in the body
    ],
)
def test_a_body_sentence_that_mentions_the_subject_is_not_a_heading(mention: str) -> None:
    headings = [h for h in OFFICIAL if not h.startswith("二")]
    body = [b for b in BODY if b != "主动正文。"]
    prose = "某局2024年政府信息公开工作年度报告\n" + "\n".join(h + "\n" + b for h, b in zip(headings, body, strict=True))
    prose = prose.replace("总体正文。", "总体正文。\n" + mention + "。\n")
    got = found(prose)
    assert "二" not in got and list(got) == list("一三四五六")
    assert mention in got["一"]


def test_table_rows_in_a_flattened_layer_are_not_headings() -> None:
    """三、本年度办理结果 / 四、结转下年度继续办理 are numbered like sections 三 and 四 but are table rows."""
    prose = "一、总体情况 正文。三、本年度办理结果 1 2 四、结转下年度继续办理 0 0 0"
    assert list(found(prose)) == ["一"]


def test_thresholds() -> None:
    """The numbers README states; a heading alone on its line may differ more than one in running text."""
    assert (LINE_SIMILARITY, RUNNING_SIMILARITY) == (0.5, 0.7)
    _, words = heading_words("一、总体情况")
    assert similarity(words, "总体概述\n正文")[0] == pytest.approx(0.5)  # alone on its line: taken
    assert similarity(words, "总体概述，正文")[0] == 0.0  # running on: it must end as the heading ends
    assert similarity(words, "总体情况2020年，")[0] == 1.0
