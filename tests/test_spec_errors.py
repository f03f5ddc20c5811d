"""Broken specs are rejected with a message naming the file and the key; variants extend by data."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from zfxxgk.spec import SpecError, load_spec

MINIMAL = """
id: {id}
version: "1"
name: 测试
years: {{first: 2021}}
title: "{{agency}}{{year}}年报告"
domains:
  count: {{kind: integer, min: 0, prompt: {{zh: 填整数}}, error: {{zh: 不对}}}}
  text: {{kind: text, prompt: {{zh: 填文字}}, error: {{zh: 太长}}}}
tables:
  - id: t9
    number: 九
    title: 测试表
    sheet: 测试
    domain: count
    blocks:
      - columns: [{{id: a, label: 甲}}, {{id: b, label: 乙}}, {{id: total, label: 合计}}]
        rows: [{{id: x, label: 某行}}]
rules: []
report:
  sections:
    - {{id: body, heading: 一、正文, kind: prose, required: true}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(SpecError) as info:
        load_spec(str(path))
    return info.value.problems


def test_a_minimal_spec_loads(tmp_path: Path) -> None:
    spec = load_spec(str(write(tmp_path, "mini", MINIMAL.format(id="mini"))))
    assert list(spec.tables["t9"].cells) == ["t9.x.a", "t9.x.b", "t9.x.total"]


@pytest.mark.parametrize(
    ("mutate", "key", "words"),
    [
        (lambda s: s.replace("    sheet: 测试\n", ""), "tables[t9].sheet", "缺少必填项"),
        (lambda s: s.replace("blocks:", "blokcs:"), "tables[t9].blokcs", "不认识的键"),
        (lambda s: s.replace("sheet: 测试", "sheet: 测试/表"), "tables[t9].sheet", "工作表名称不能包含"),
        (lambda s: s.replace("{id: b, label: 乙}", "{id: a, label: 乙}"), "tables[t9].blocks[0].columns", "列编号重复"),
        (
            lambda s: s.replace("rows: [{id: x, label: 某行}]", "rows: [{id: x, label: 某行}, {id: x, label: 又一行}]"),
            "tables[t9].blocks[0].rows",
            "行编号重复",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, assert: 't9.x.total = t9.x.c',"
                " message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].assert",
            "未知的单元格 t9.x.c",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: fatal, assert: 't9.x.a = 1', message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].severity",
            "取值不在允许范围内",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, assert: '__import__(\"os\") = 1',"
                " message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].assert",
            "无法解析",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, assert: 't9.x.a * 2 = 1', message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].assert",
            "无法解析",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, for_each: {c: t9.rows},"
                " assert: 't9.x.{d} = 1', message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].for_each",
            "变量未在 for_each 中定义",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, formula: true,"
                " assert: 't9.x.a = t9.x.b', message: {zh: m}, fix: {zh: f}},"
                " {id: R2, name: n, severity: error, formula: true,"
                " assert: 't9.x.b = t9.x.a', message: {zh: m}, fix: {zh: f}}]",
            ),
            "formula",
            "公式循环引用",
        ),
        (
            lambda s: s.replace(
                "rules: []",
                "rules: [{id: R1, name: n, severity: error, formula: true,"
                " assert: 't9.x.a <= t9.x.b', message: {zh: m}, fix: {zh: f}}]",
            ),
            "rules[R1].formula",
            "formula: true",
        ),
        (
            lambda s: s.replace("rules: []", "narrative: [{id: N1, name: n, patterns: ['共(?P<x'], expr: t9.x.a}]"),
            "narrative[N1].patterns[0]",
            "模式中缺少 {n}",
        ),
        (
            lambda s: s.replace("rules: []", "narrative: [{id: N1, name: n, patterns: ['共{n}(件'], expr: t9.x.a}]"),
            "narrative[N1].patterns[0]",
            "正则表达式有误",
        ),
        (
            lambda s: s.replace("domain: count\n    blocks", "domain: money\n    blocks"),
            "tables[t9].domain",
            "未知的取值类型",
        ),
        (lambda s: s.replace("id: t9\n", "id: T9\n"), "tables[T9].id", "编号格式不对"),
        (lambda s: s.replace("kind: prose", "kind: poem"), "report.sections[body].kind", "取值不在允许范围内"),
        (lambda s: s.replace("title: 测试表", "title: [1, 2]"), "tables[t9].title", "应为文字"),
    ],
)
def test_broken_specs_name_the_file_and_key(tmp_path: Path, mutate, key: str, words: str) -> None:  # type: ignore[no-untyped-def]
    text = mutate(MINIMAL.format(id="broken"))
    path = write(tmp_path, "broken", text)
    found = problems(path)
    assert any(str(path) in f and k == key and words in m for f, k, m in found), found


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad", "id: bad\ntables: [\n  - oops: {")
    ((file, where, message),) = problems(path)
    assert file == str(path) and "行" in where and "YAML" in message


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "other", MINIMAL.format(id="mini"))
    assert any(k == "id" and "文件名" in m for _, k, m in problems(path))


def test_unknown_parent_and_circular_extends(tmp_path: Path) -> None:
    path = write(tmp_path, "child", "id: child\nextends: nowhere-2030\n")
    ((_, key, message),) = problems(path)
    assert key == "extends" and "找不到这个规格" in message
    write(tmp_path, "a", "id: a\nextends: b\n")
    loop = write(tmp_path, "b", "id: b\nextends: a\n")
    assert any(k == "extends" and "循环继承" in m for _, k, m in problems(loop))


def test_removing_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "variant", "id: variant\nextends: national-2021\nremove_rules: [Z9]\n")
    ((_, key, message),) = problems(path)
    assert key == "remove_rules" and "Z9" in message


def test_an_error_in_a_child_names_the_child_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "variant",
        """
        id: variant
        extends: national-2021
        rules:
          - {id: X1, name: n, severity: error, assert: 't3.new.nobody = 0', message: {zh: m}, fix: {zh: f}}
    """,
    )
    ((file, key, message),) = problems(path)
    assert file == str(path) and key.endswith(".assert") and "t3.new.nobody" in message


def test_a_provincial_variant_adds_a_table_by_data_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "province-x",
        """
        id: province-x
        extends: national-2021
        version: "2025.1"
        tables:
          - id: t7
            number: 七
            title: 政务新媒体情况
            sheet: 七、新媒体
            domain: count
            blocks:
              - corner: 类别
                columns: [{id: n, label: 数量}]
                rows: [{id: weibo, label: 微博}, {id: wechat, label: 微信}, {id: total, label: 合计}]
        rules:
          - id: X1
            name: 新媒体合计
            severity: error
            assert: t7.total.n = t7.weibo.n + t7.wechat.n
            formula: true
            message: {zh: "合计{lhs}不等于{rhs}"}
            fix: {zh: 核对}
    """,
    )
    spec = load_spec(str(path))
    assert spec.extends == ("national-2021",)
    assert spec.cells["t7.total.n"].computed and not spec.cells["t7.weibo.n"].computed
    assert len(spec.tables["t3"].cells) == 175  # inherited unchanged
    assert [r.id for r in spec.rules][-1] == "X1"


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        (
            "rules: [{id: R1, name: n, severity: error, assert: 't9.x.a = 1', message: {zh: '{agency}不对'}, fix: {zh: f}}]",
            "rules[R1].message.zh",
            "只能引用",
        ),
        (
            "rules: [{id: R1, name: n, severity: error, assert: 't9.x.a = 1', message: {zh: '{\\\"a\\\": 1}'}, fix: {zh: f}}]",
            "rules[R1].message.zh",
            "",
        ),
        (
            "rules: [{id: R1, name: n, severity: error, assert: 't9.x.a = 1', message: {zh: m}, fix: {zh: f}},"
            " {id: R1, name: n, severity: error, assert: 't9.x.b = 1', message: {zh: m}, fix: {zh: f}}]",
            "rules",
            "编号重复",
        ),
    ],
)
def test_rule_messages_and_ids_are_checked_at_load(tmp_path: Path, extra: str, key: str, words: str) -> None:
    path = write(tmp_path, "broken", MINIMAL.format(id="broken").replace("rules: []", extra))
    found = problems(path)
    assert any(k == key and words in m for _, k, m in found), found


def test_reserved_sheet_names_apostrophes_and_reversed_years(tmp_path: Path) -> None:
    text = MINIMAL.format(id="broken")
    for sheet in ("_zfxxgk", "文字部分", "'测试'"):
        found = problems(write(tmp_path, "broken", text.replace("sheet: 测试", f'sheet: "{sheet}"')))
        assert any(k == "tables[t9].sheet" for _, k, _ in found), (sheet, found)
    found = problems(write(tmp_path, "broken", text.replace("{first: 2021}", "{first: 2025, last: 2020}")))
    assert any(k == "years" and "first" in m for _, k, m in found), found


def test_formulas_only_for_table_figures_and_remove_needs_a_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "variant",
        """
        id: variant
        extends: national-2021
        rules:
          - {id: X1, name: n, severity: error, formula: true, assert: 'text.fee_billed.value = text.fee_collected.value',
             message: {zh: m}, fix: {zh: f}}
    """,
    )
    assert any(k == "rules[X1].formula" and "统计表" in m for _, k, m in problems(path))
    path = write(tmp_path, "variant", "id: variant\nextends: national-2021\nremove_rules: P2\n")
    assert any(k == "remove_rules" and "列表" in m for _, k, m in problems(path))


def test_an_inherited_rule_broken_by_a_child_is_reported_in_the_child(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "variant",
        """
        id: variant
        extends: national-2021
        tables:
          - id: t2
            number: 二
            title: 主动公开
            sheet: 二、主动公开
            domain: count
            blocks:
              - columns: [{id: n, label: 条数}]
                rows: [{id: all, label: 全部}]
    """,
    )
    found = problems(path)
    (file, _, message), *_ = [p for p in found if p[1].startswith("rules[P2]")]
    assert file == str(path) and "继承自 national-2021.yaml" in message
