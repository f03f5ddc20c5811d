"""Spec errors: :class:`SpecError` and the context that collects the problems of one spec file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SpecError(Exception):
    """A spec that cannot be used; each problem names the file and the key."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in problems))


@dataclass
class Ctx:
    """One spec file being compiled: its merged data, where each item came from, the problems found."""

    path: str
    raw: dict[str, Any]
    origin: dict[tuple[str, str], str]
    problems: list[tuple[str, str, str]]

    def where(self, collection: str, item_id: str | None) -> str:
        return self.origin.get((collection, str(item_id)), self.origin.get(("", collection), self.path))

    def fail(self, collection: str, item_id: str | None, key: str, message: str) -> None:
        """Record a problem in the file being loaded; an inherited item says where it comes from."""
        source = self.where(collection, item_id)
        if source != self.path:
            message += (
                f"（这一项继承自 {Path(source).name}，可在本文件中改写或去掉 / inherited from "
                f"{Path(source).name}: override or remove it here）"
            )
        self.problems.append((self.path, key, message))


_ZH_PYDANTIC = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "编号格式不对（小写字母开头，只含小写字母、数字、下划线）",
    "too_short": "不能为空",
    "value_error": "取值无效",
    "decimal_parsing": "应为数字",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "string_too_long": "文字太长",
    "string_too_short": "不能为空",
    "model_type": "应为映射",
}


def zh_pydantic(kind: str) -> str:
    """The Chinese text of a pydantic error type."""
    return _ZH_PYDANTIC.get(kind, "取值无效")
