"""Spec errors: :class:`SpecError` and the context that collects the problems of one spec file."""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..messages import catalogue, text


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
            message += say("spec.inherited", file=Path(source).name)
        self.problems.append((self.path, key, message))


def zh_pydantic(kind: str) -> str:
    """The Chinese text of a pydantic error type."""
    key = f"spec.pydantic-{kind}"
    return text(key if key in catalogue() else "spec.invalid")


def say(key: str, **fields: Any) -> str:
    """A spec error in both languages, ``zh / en``, as every problem of a :class:`SpecError` is told."""
    return f"{text(key, 'zh', **fields)} / {text(key, 'en', **fields)}"


def check_placeholders(ctx: Ctx, collection: str, item_id: str, key: str, value: str, allowed: Iterable[str]) -> None:
    """Record a problem when ``value`` has bad braces or names a placeholder not in ``allowed``."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        ctx.fail(collection, item_id, key, say("spec.bad-braces", error=exc))
        return
    unknown = names - set(allowed)
    if unknown:
        ctx.fail(
            collection,
            item_id,
            key,
            say(
                "spec.unknown-placeholders",
                allowed=text("common.list-separator").join("{" + a + "}" for a in sorted(allowed)),
                names=sorted(unknown),
            ),
        )
