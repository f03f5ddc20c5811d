"""Saved portal pages -> the report's tables and prose.

Parsed with lxml's HTML parser (plain elements: no per-element Python class lookup) (no network, no entities fetched); ``<script>``, ``<style>`` and comments
are dropped and never run. Every ``<table>`` becomes one grid with ``rowspan``/``colspan`` laid out as a
spreadsheet holds merged cells (text in the top-left cell); a nested table is its own grid and its text
is not part of the cell around it. Spans and sizes are capped, so a huge or hostile page stays bounded.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from ..messages import text
from .extract import MAX_COLUMNS, MAX_ROWS, MAX_SPAN, Extracted, Grid, cell_value

log = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses a decoded text that declares its encoding
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "head")
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}
_TITLE_METAS = ("ArticleTitle", "title", "og:title")


def extract_html(data: str, lang: str, kind: str = "html") -> Extracted:
    """The tables, prose and title of a saved web page (or of Markdown holding HTML tables), decoded already."""
    root = etree.fromstring(_XML_DECLARATION.sub("", data, count=1), parser=html_parser())
    if root is None:
        raise etree.ParserError("Document is empty")
    title = _meta_title(root)
    for el in list(root.iter(*_DROP)):
        if el.tag != "head" and el.getparent() is not None:
            _drop(el)
    tables = list(root.iter("table"))
    grids = [Grid(text("audit.html-table", lang, n=n), _grid(t)) for n, t in enumerate(tables, 1)]
    prose = _prose(root.find("body") if root.find("body") is not None else root)
    return Extracted(kind, grids=[g for g in grids if g.rows], prose=prose, title=title)


def html_parser() -> etree.HTMLParser:
    """lxml's HTML parser as the audit uses it: no network, no comments or processing instructions, bounded."""
    return etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)


def _drop(el: etree._Element) -> None:
    """Remove an element and its content, keeping the text after it (as lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _meta_title(root: etree._Element) -> str:
    for name in _TITLE_METAS:
        for meta in root.iter("meta"):
            if name in (meta.get("name"), meta.get("property")) and meta.get("content"):
                return str(meta.get("content")).strip()
    t = root.find(".//title")
    return "".join(t.itertext()).strip() if t is not None else ""


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The ``<tr>`` of this table (inside thead/tbody/tfoot too), not those of a table nested in it."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def cell_text(el: etree._Element) -> str:
    """A cell's text without the text of a table nested in it; ``<p>``/``<br>`` parts are joined."""
    if not len(el):  # the common cell: text only
        return (el.text or "").replace("\xa0", " ").strip()
    if next(el.iter("table"), None) is None:  # no nested table: all its text
        return "".join(el.itertext()).replace("\xa0", " ").strip()
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag != "table":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts).replace("\xa0", " ").strip()


def _span(el: etree._Element, name: str) -> int:
    value = el.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _grid(table: etree._Element) -> list[list[object]]:
    """The table laid out as a grid: a spanned cell's text in its top-left position, '' in the rest."""
    grid: list[list[object]] = []
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(_own_rows(table)[:MAX_ROWS]):
        c = 0
        for td in tr:
            if td.tag != "td" and td.tag != "th":
                continue
            while (r, c) in taken:
                c += 1
            rows, cols = _span(td, "rowspan"), _span(td, "colspan")
            if rows > 1 or cols > 1:
                taken.update(
                    (r + dr, c + dc)
                    for dr in range(min(rows, MAX_ROWS - r))
                    for dc in range(min(cols, MAX_COLUMNS - c))
                )
            _put(grid, r, c, cell_value(cell_text(td)))
            c += cols
    width = max((len(row) for row in grid), default=0)
    return [row + [""] * (width - len(row)) for row in grid]


def _put(grid: list[list[object]], r: int, c: int, value: object) -> None:
    if r >= MAX_ROWS or c >= MAX_COLUMNS:
        return
    while len(grid) <= r:
        grid.append([])
    row = grid[r]
    while len(row) <= c:
        row.append("")
    row[c] = value


def _prose(body: etree._Element) -> str:
    """The visible text outside tables, a line break at each block element."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "table":
            parts.append("\n")
            return
        block = isinstance(node.tag, str) and node.tag in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(body)
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
