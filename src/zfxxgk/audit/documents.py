"""Word files and PDFs -> the report's tables and prose.

- ``.docx`` with python-docx: a merged cell (``gridSpan``/``vMerge``) is one cell object repeated over
  the grid positions it covers; its text is kept in its first (top-left) position, as a spreadsheet keeps it.
- ``.doc`` is converted to ``.docx`` by LibreOffice first.
- PDFs with pdfplumber (on pdfminer.six): each page's ruled tables; a table that starts at the top of a
  page with as many columns as the last table of the page before continues it (a table run across a page
  break). Encrypted PDFs and PDFs with too many pages are refused with a finding.
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
from .extract import MAX_COLUMNS, MAX_ROWS, Extracted, Grid, cell_value

log = logging.getLogger(__name__)

MAX_PAGES = 100
MAX_INFLATED = 200 * 1024 * 1024  # the streams of one PDF, decompressed; a PDF bomb inflates past this
_STREAM = re.compile(rb"stream\r?\n")
EDGE_OF_PAGE = (
    0.2  # a table ending this close to a page's foot and one starting this close to the next page's head are one
)


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
        for number, page in enumerate(pages, 1):
            texts.append(page.extract_text() or "")
            _page_tables(page, number, grids, lang)
        title = str((pdf.metadata or {}).get("Title") or "")
    prose = "\n".join(texts)
    title = prose[:3000] + "\n" + title  # the printed title first: the metadata is often shortened
    if not prose.strip():
        raise AuditError("pdf", make("pdf-no-text", lang))
    return Extracted("pdf", grids=grids, prose=prose, title=title)


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


def _page_tables(page: Any, number: int, grids: list[Grid], lang: str) -> None:
    """The page's tables; the first continues the last of the page before when that one ran to its bottom."""
    height = float(page.height)
    for k, table in enumerate(page.find_tables(), 1):
        rows = [[cell_value((c or "").replace("\n", "")) for c in row[:MAX_COLUMNS]] for row in table.extract()]
        last = grids[-1] if grids else None
        bottom = float(table.bbox[3]) > height * (1 - EDGE_OF_PAGE)
        if (
            k == 1
            and last is not None
            and last.runs_on
            and last.page == number - 1
            and table.bbox[1] < height * EDGE_OF_PAGE
        ):
            last.rows.extend(rows[: MAX_ROWS - len(last.rows)])
            last.page, last.runs_on = number, bottom
            continue
        grids.append(Grid(text("audit.pdf-table", lang, page=number, n=k), rows[:MAX_ROWS], number, bottom))
