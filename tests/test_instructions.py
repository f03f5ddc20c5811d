"""The 填报说明 sheet says what holds for its spec; which spec is the default comes from the spec files."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import openpyxl
import pytest

from zfxxgk.spec import INFO_SHEET, SpecError, available_specs, default_spec_id, load_spec
from zfxxgk.template import build_template

SHIPPED = sorted(available_specs())
# Terms an instruction line may use only when the spec has a table cell or field whose label names them.
TERMS = ("信息处理费", "收费金额", "采购总金额", "增/减")


def info_sheet_text(spec_id: str) -> list[str]:
    data = build_template(load_spec(spec_id), 2025)
    ws = openpyxl.load_workbook(io.BytesIO(data))[INFO_SHEET]
    return [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def spec_labels(spec_id: str) -> str:
    spec = load_spec(spec_id)
    return " ".join(f"{c.row_label} {c.column_label}" for c in spec.cells.values())


@pytest.mark.parametrize("spec_id", SHIPPED)
def test_the_info_sheet_names_only_what_the_spec_has(spec_id: str) -> None:
    shown = "\n".join(info_sheet_text(spec_id))
    labels = spec_labels(spec_id)
    for term in TERMS:
        assert (term in shown) <= (term in labels), f"{spec_id}: the 填报说明 sheet names {term}"
    spec = load_spec(spec_id)
    assert f"{spec.name}（{spec.id}，版本 {spec.version}）" in shown
    assert "2025年政府信息公开工作年度报告填报表" in shown


def test_each_shipped_format_gets_its_own_lines() -> None:
    text19, text21, text22 = ("\n".join(info_sheet_text(s)) for s in ("national-2019", "national-2021", "qinghe-2022"))
    assert "信息处理费" not in text19 and "采购总金额" in text19
    assert "收费金额" in text21 and "信息处理费" in text21
    assert "收费金额" not in text22 and "信息处理费" in text22


@pytest.mark.parametrize("spec_id", SHIPPED)
def test_instruction_lines_are_numbered_in_order(spec_id: str) -> None:
    spec = load_spec(spec_id)
    lines = [t for t in info_sheet_text(spec_id) if t[:1].isdigit() and ". " in t]
    assert lines == [f"{k}. {line.zh}" for k, line in enumerate(spec.instructions, start=1)]
    assert all(line.zh and line.en for line in spec.instructions)


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_variant_overrides_and_removes_lines_by_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "variant",
        """
        id: variant
        extends: national-2021
        instructions:
          - {id: units, zh: 本地的单位说明。, en: Local units.}
          - {id: local, zh: 本地加的一条。, en: A local line.}
        remove_instructions: [check]
        info_fields:
          - {id: year, label: 年度, value: "{year}"}
        """,
    )
    spec = load_spec(str(path))
    ids = [line.id for line in spec.instructions]
    base = [line.id for line in load_spec("national-2021").instructions]
    assert ids == [i for i in base if i != "check"] + ["local"]
    assert spec.instructions[ids.index("units")].zh == "本地的单位说明。"
    assert [(f.id, f.label) for f in spec.info_fields][1] == ("year", "年度")
    assert not spec.default  # default: true of the parent is not inherited
    # What only the 填报说明 sheet shows leaves the hash alone: returned workbooks still match their spec.
    (tmp_path / "plain").mkdir()
    plain = write(tmp_path / "plain", "variant", "id: variant\nextends: national-2021\n")
    assert load_spec(str(plain)).hash == spec.hash


def test_unknown_placeholders_in_a_fact_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "variant",
        """
        id: variant
        extends: national-2021
        info_fields:
          - {id: code, label: 编码, value: "{agency_cod}"}
        """,
    )
    with pytest.raises(SpecError) as info:
        load_spec(str(path))
    ((_, key, message),) = info.value.problems
    assert key == "info_fields[code].value" and "{agency_code}" in message and "agency_cod" in message


def test_the_default_spec_is_the_one_that_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_spec_id() == "national-2021" and load_spec().id == "national-2021"
    assert [s for s in SHIPPED if load_spec(s).default] == ["national-2021"]
    write(tmp_path, "local-2030", "id: local-2030\nextends: national-2021\ndefault: true\nyears: {first: 2030}\n")
    monkeypatch.setenv("ZFXXGK_SPEC_PATH", str(tmp_path))  # searched first: its default wins
    assert default_spec_id() == "local-2030" and load_spec().id == "local-2030"


def test_no_default_spec_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zfxxgk.spec.files.search_dirs", lambda: [tmp_path])
    write(tmp_path, "only", "id: only\nextends: national-2021\n")
    with pytest.raises(SpecError, match="default: true"):
        default_spec_id()
