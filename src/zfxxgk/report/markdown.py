"""The report as Markdown. Tables are HTML blocks: pipe tables cannot merge header cells."""

from __future__ import annotations

import re

from .html import render_table
from .model import Document, Heading, Paragraph


def render_markdown(doc: Document) -> str:
    out: list[str] = []
    if doc.draft:
        out.append(f"> **{doc.draft_mark}**")
    out.append(f"# {_escape(doc.title)}")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append("#" * (block.level + 1) + " " + _escape(block.text))
        elif isinstance(block, Paragraph):
            out.append(_escape(block.text))
        else:
            out.append(render_table(block, doc.agency, doc.lang))
    return "\n\n".join(out) + "\n"


_LEADING = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _escape(text: str) -> str:
    """Paragraph text that Markdown shows as written: no emphasis, no accidental lists or headings."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)
