"""Word files and PDFs -> the report's tables and prose.

- ``.docx`` with python-docx: a merged cell (``gridSpan``/``vMerge``) is one cell object repeated over
  the grid positions it covers; its text is kept in its first (top-left) position, as a spreadsheet keeps it.
- ``.doc`` is converted to ``.docx`` by LibreOffice first.
- PDFs with pdfplumber (on pdfminer.six): each page's ruled tables; a table that starts at the top of a
  page continues the last table of the page before when that one ran to its foot (a table run across a
  page break): the parts are laid on the union of their columns by x position, the header the next page
  repeats is dropped, and a page's last line that is only its page number is left out of the prose.
  Encrypted PDFs and PDFs with too many pages are refused with a finding.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
import zlib
from pathlib import Path
from typing import Any

from ..findings import Finding, make
from ..libreoffice import LibreOfficeError, convert
from ..messages import text
from ..normalize import label_key
from .extract import MAX_COLUMNS, MAX_ROWS, Extracted, Grid, cell_value

log = logging.getLogger(__name__)

MAX_PAGES = 100
MAX_INFLATED = 200 * 1024 * 1024  # the streams of one PDF, decompressed; a PDF bomb inflates past this
_STREAM = re.compile(rb"stream\r?\n")
EDGE_OF_PAGE = (
    0.2  # a table ending this close to a page's foot and one starting this close to the next page's head are one
)
SAME_EDGE = 5.0  # points: columns of two parts of a table starting this close on the page are one column
HEADER_ROWS = 8  # the first rows of a table a continuation may repeat as its header
Edges = tuple[list[float], int, int]  # a PDF table's column edges, its first page, its number on that page
_PAGE_NUMBER = r"^[\s\W_]*(?:第\s*)?{n}(?:\s*页)?(?:\s*/\s*\d+)?(?:\s*[/,，]?\s*共\s*\d+\s*页)?[\s\W_]*$"


class AuditError(Exception):
    """The file cannot be audited at all: ``finding`` says why, ``kind`` what it is."""

    def __init__(self, kind: str, finding: Finding) -> None:
        super().__init__(kind)
        self.kind = kind
        self.finding = finding


def extract_docx(data: bytes, lang: str, kind: str = "docx") -> Extracted:
    import docx  # python-docx: imported here, the audit of web pages does not need it

    document = docx.Document(io.BytesIO(data))
    grids = []
    for n, table in enumerate(document.tables, 1):
        rows: list[list[object]] = []
        seen: dict[int, object] = {}  # the cell elements met, kept alive so that their ids stay theirs
        for row in table.rows[:MAX_ROWS]:
            out: list[object] = []
            for cell in row.cells[:MAX_COLUMNS]:
                first = id(cell._tc) not in seen
                seen[id(cell._tc)] = cell._tc
                out.append(cell_value(cell.text.replace("\n", "")) if first else "")
            rows.append(out)
        grids.append(Grid(text("audit.docx-table", lang, n=n), rows))
    prose = "\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
    title = document.core_properties.title or ""
    return Extracted(kind, grids=grids, prose=prose, title=title)


def extract_doc(data: bytes, lang: str) -> Extracted:
    """A Word 97-2003 file, converted to .docx by LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="zfxxgk-audit-") as tmp:
        source = Path(tmp) / "report.doc"
        source.write_bytes(data)
        try:
            (converted,) = convert([source], "docx", Path(tmp) / "out", timeout=120)
        except (LibreOfficeError, OSError, ValueError) as exc:
            raise AuditError("doc", make("audit-unsupported", lang, detail=str(exc)[:200])) from exc
        return extract_docx(converted.read_bytes(), lang, "doc")


def extract_pdf(data: bytes, lang: str) -> Extracted:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inflated = _inflated_size(data)
    if inflated > MAX_INFLATED:
        raise AuditError("pdf", make("audit-too-large", lang, detail=f"> {MAX_INFLATED // 2**20} MB"))
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps pdfminer's errors: look at what it wraps
        inner = [exc, exc.__context__, *(a for a in exc.args if isinstance(a, BaseException))]
        if any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in inner):
            raise AuditError("pdf", make("pdf-encrypted", lang)) from exc
        raise AuditError("pdf", make("audit-unsupported", lang, detail=f"PDF: {exc!r}"[:200])) from exc
    with pdf:
        if len(pages) > MAX_PAGES:
            raise AuditError("pdf", make("audit-too-large", lang, detail=f"{len(pages)} pages"))
        grids: list[Grid] = []
        texts: list[str] = []
        edges: dict[int, Edges] = {}
        for number, page in enumerate(pages, 1):
            texts.append(_without_page_number(page.extract_text() or "", number))
            _page_tables(page, number, grids, edges, lang)
        title = str((pdf.metadata or {}).get("Title") or "")
    prose = "\n".join(texts)
    title = prose[:3000] + "\n" + title  # the printed title first: the metadata is often shortened
    if not prose.strip():
        raise AuditError("pdf", make("pdf-no-text", lang))
    return Extracted("pdf", grids=grids, prose=prose, title=title)


def _without_page_number(page_text: str, number: int) -> str:
    """A page's text without its last line when that line is only its page number ("— 3 —", "第3页 共5页").

    A table's rows read as digit runs continue across the page break without the page number among them.
    """
    head, _, last = page_text.rstrip().rpartition("\n")
    if re.fullmatch(_PAGE_NUMBER.format(n=number), last):
        return head
    return page_text


def _inflated_size(data: bytes) -> int:
    """How large the PDF's Flate streams become, counted before any parser inflates them (stops past the cap)."""
    total = 0
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[m.end() : end if end > 0 else None], MAX_INFLATED + 1 - total)
        except zlib.error:
            continue  # not a Flate stream (or a damaged one: the parser will say)
        total += len(chunk)
        if total > MAX_INFLATED:
            break
    return total


def _page_tables(page: Any, number: int, grids: list[Grid], edges: dict[int, Edges], lang: str) -> None:
    """The page's tables; the first continues the last of the page before when that one ran to its bottom.

    ``edges`` holds, for every grid (by ``id``), the left edge of each of its columns (so that a continuation
    is laid out on the columns of the part before it, whatever columns its own page's rules gave it), its
    first page and its number there; a table over several pages is named by them ("第1-2页表格2").
    """
    height = float(page.height)
    for k, table in enumerate(page.find_tables(), 1):
        rows = [[cell_value((c or "").replace("\n", "")) for c in row[:MAX_COLUMNS]] for row in table.extract()]
        lefts = [float(col.bbox[0]) for col in table.columns][:MAX_COLUMNS]
        last = grids[-1] if grids else None
        bottom = float(table.bbox[3]) > height * (1 - EDGE_OF_PAGE)
        if (
            k == 1
            and last is not None
            and last.runs_on
            and last.page == number - 1
            and table.bbox[1] < height * EDGE_OF_PAGE
        ):
            lefts_before, first, n = edges[id(last)]
            last.rows, union = continued(last.rows, lefts_before, rows, lefts)
            edges[id(last)] = union, first, n
            last.name = text("audit.pdf-table", lang, page=f"{first}-{number}", n=n)  # where a person finds it
            last.page, last.runs_on = number, bottom
            continue
        grid = Grid(text("audit.pdf-table", lang, page=number, n=k), rows[:MAX_ROWS], number, bottom)
        grids.append(grid)
        edges[id(grid)] = lefts, number, k


def continued(
    rows: list[list[Any]], lefts: list[float], more: list[list[Any]], more_lefts: list[float]
) -> tuple[list[list[Any]], list[float]]:
    """A table and its part on the next page as one grid, on the union of both parts' columns.

    Columns are matched by where they start on the page (within :data:`SAME_EDGE` points): a page that
    splits a column the page before kept whole (a group of row labels) gets its own column, and the other
    part's cell spans it as a merged cell does (text in the first column). The header the next page repeats
    (its first rows, when their texts are those of the table's first rows) is dropped.
    """
    union: list[float] = []
    for x in sorted(lefts + more_lefts):
        if not union or x - union[-1] > SAME_EDGE:
            union.append(x)
    first, rest = _laid_out(rows, lefts, union), _laid_out(more, more_lefts, union)
    heads = {_texts(row) for row in first[:HEADER_ROWS]}
    while rest and _texts(rest[0]) in heads and any(_texts(rest[0])):
        rest = rest[1:]
    return (first + rest)[:MAX_ROWS], union[:MAX_COLUMNS]


def _laid_out(rows: list[list[Any]], lefts: list[float], union: list[float]) -> list[list[Any]]:
    where = [min(range(len(union)), key=lambda u: abs(union[u] - x)) for x in lefts]
    out = []
    for row in rows:
        placed: list[Any] = [""] * len(union)
        for k, value in enumerate(row[: len(where)]):
            if value != "":
                placed[where[k]] = value
        out.append(placed[:MAX_COLUMNS])
    return out


def _texts(row: list[Any]) -> tuple[str, ...]:
    return tuple(label_key(str(v)) for v in row if v != "")
