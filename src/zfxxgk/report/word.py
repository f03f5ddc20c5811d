"""The report as a Word document in 公文 style (GB/T 9704-2012), with python-docx.

Page A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 x 225 mm); title
2号 方正小标宋简体; body 3号 仿宋_GB2312 at a fixed 29 pt pitch (22 lines a page); first-level
headings 黑体, second-level 楷体_GB2312; page numbers "— 1 —" in 4号 宋体, odd pages right, even
pages left. These fonts are not free: the document names them (East Asian font set in the styles, not
only in runs) and the reader's machine substitutes what it lacks.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .. import __version__
from ..spec.layout import Item
from ..textwidth import text_width
from .model import Document, Heading, Paragraph, TableBlock

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TYPE_WIDTH_MM = 156
BODY_PT = 16  # 3号
PITCH_PT = 29  # 225 mm / 22 lines
TABLE_STYLE = "ZF Table Text"


def _fonts(element: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian fonts on a style's or run's rPr (python-docx sets only the Latin one)."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _style(
    doc: Any,
    name: str,
    font: str,
    size: float,
    *,
    base: str | None = None,
    bold: bool = False,
    align: Any = None,
    indent_chars: float = 0,
    pitch: float | None = PITCH_PT,
) -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.name = LATIN_FONT
    _fonts(style.element, font)
    pf = style.paragraph_format
    pf.first_line_indent = Pt(size * indent_chars) if indent_chars else Pt(0)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if pitch:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(pitch)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        pf.alignment = align
    return style


def _page_number(paragraph: Any) -> None:
    """'— PAGE —' as a real field, so every page shows its own number."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        _fonts(r._element, NUMBER_FONT)
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            r.text = text or ""
            continue
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._element.append(el)
    run(" —")


def _setup(doc: Any, draft_mark: str) -> None:
    """Page, styles, page numbers and, for a draft, its mark in every page header."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    _style(doc, "Normal", BODY_FONT, BODY_PT, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, "Title", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=35)
    _style(doc, "Heading 1", H1_FONT, BODY_PT, indent_chars=2, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, "Heading 2", H2_FONT, BODY_PT, indent_chars=2, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, TABLE_STYLE, BODY_FONT, 9, base="Normal", align=WD_ALIGN_PARAGRAPH.CENTER, pitch=None)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.keep_with_next = True
    title_pr = doc.styles["Title"].element.pPr
    if title_pr is not None:  # python-docx's Title style draws a blue rule under the title: 公文 has none
        for border in title_pr.findall(qn("w:pBdr")):
            title_pr.remove(border)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.first_line_indent = Pt(0)
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.first_line_indent = Pt(0)
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)
    if draft_mark:
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            r = p.add_run(draft_mark)
            r.bold = True
            r.font.size = Pt(16)
            r.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
            _fonts(r._element, H1_FONT)


def _column_widths(block: TableBlock, agency: str, lang: str) -> list[float]:
    """Millimetres per grid column within the type area: figures first, labels share the rest."""
    layout = block.layout
    char_mm = 3.3  # a 9 pt character, with the cell's padding
    want = [0.0] * layout.width
    for item in layout.items:
        if item.colspan != 1 or item.kind in ("data", "caption"):
            continue
        if item.kind == "rowhead" and item.rowspan > 1:  # a group label written down a narrow column
            chars = 2.0 if item.col == 0 else 5.0  # "（三）不予" / "公开": brackets kept on one line
        else:
            chars = min(text_width(item.label(lang, agency)), 16.0)
        want[item.col] = max(want[item.col], chars * char_mm + 2)
    lc = layout.label_cols
    data = [min(max(w, 11.0), 16.0) for w in want[lc:]]
    if sum(data) >= TYPE_WIDTH_MM - 20 * lc:  # too many figures: share the page evenly
        data = [(TYPE_WIDTH_MM - 20 * lc) / len(data)] * len(data)
    labels = [max(w, 8.0) for w in want[:lc]]
    room = TYPE_WIDTH_MM - sum(data)
    if labels and sum(labels) > room:  # long labels wrap within what the figures leave
        labels = [w * room / sum(labels) for w in labels]
    elif labels:  # room to spare goes to the figures
        spare = room - sum(labels)
        data = [w + spare / len(data) for w in data]
    else:
        data = [w * TYPE_WIDTH_MM / sum(data) for w in data]
    return labels + data


def _table(doc: Any, block: TableBlock, agency: str, lang: str) -> None:
    layout = block.layout
    table = doc.add_table(rows=layout.height, cols=layout.width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: the widths below are kept by Word and LibreOffice
    widths = _column_widths(block, agency, lang)
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(round(sum(widths) * 1440 / 25.4)))
    for k, col in enumerate(table.columns):
        col.width = Mm(widths[k])
    h0, h1 = layout.header_rows
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if block.single_band and h0 <= r <= h1:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated on every page the table spans
    for item in layout.items:
        for k in range(item.col, item.col + item.colspan):
            for r in range(item.row, item.row + item.rowspan):
                table.cell(r, k).width = Mm(widths[k])
        cell = table.cell(item.row, item.col)
        if item.rowspan > 1 or item.colspan > 1:
            cell = cell.merge(table.cell(item.row + item.rowspan - 1, item.col + item.colspan - 1))
        _cell_text(cell, item, block, agency, lang)


def _cell_text(cell: Any, item: Item, block: TableBlock, agency: str, lang: str) -> None:
    text = block.figures[item.cell_id] if item.cell_id else item.label(lang, agency)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = TABLE_STYLE
    if item.kind == "rowhead" and not item.group:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.add_run(text)


def render_docx(doc: Document) -> bytes:
    """The report as .docx bytes."""
    d = new_docx()
    d.core_properties.title = doc.title
    d.core_properties.author = doc.agency or "zfxxgk"
    d.core_properties.comments = f"zfxxgk {__version__}; {doc.spec.id} {doc.spec.version}"
    _setup(d, doc.draft_mark if doc.draft else "")
    d.add_paragraph(doc.title, style="Title")
    d.add_paragraph("", style="Normal").paragraph_format.first_line_indent = Pt(0)
    for block in doc.blocks:
        if isinstance(block, Heading):
            d.add_paragraph(block.text, style="Heading 1" if block.level == 1 else "Heading 2")
        elif isinstance(block, Paragraph):
            d.add_paragraph(block.text, style="Normal")
        else:
            _table(d, block, doc.agency, doc.lang)
            d.add_paragraph("", style="Normal")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
