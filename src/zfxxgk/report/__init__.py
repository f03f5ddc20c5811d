"""The publishable report: one document model, rendered as DOCX (公文), HTML or Markdown, and PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..fileio import atomic_path, write_bytes_atomic, write_text_atomic
from ..libreoffice import convert
from ..messages import text
from .html import render_html
from .markdown import render_markdown
from .model import Document, build_document
from .word import render_docx

FORMATS = (".docx", ".html", ".htm", ".md")

__all__ = [
    "FORMATS",
    "Document",
    "build_document",
    "render_docx",
    "render_html",
    "render_markdown",
    "write_pdf",
    "write_report",
]


def write_report(doc: Document, out: str | Path, fragment: bool = False) -> None:
    """Write the document in the format its suffix names, atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".docx":
        write_bytes_atomic(out, render_docx(doc))
    elif suffix in (".html", ".htm"):
        write_text_atomic(out, render_html(doc, fragment=fragment))
    elif suffix == ".md":
        write_text_atomic(out, render_markdown(doc))
    else:
        known = " ".join(f for f in FORMATS if f != ".htm")
        raise ValueError(
            f"{text('report.unsupported-format', 'zh', suffix=suffix, known=known)} / "
            f"{text('report.unsupported-format', 'en', suffix=suffix, known=known)}"
        )


def write_pdf(doc: Document, out: str | Path) -> None:
    """Render the DOCX through LibreOffice headless into a PDF (fonts substituted as libreoffice.py says)."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="zfxxgk-pdf-") as tmp:
        source = Path(tmp) / (out.stem + ".docx")
        source.write_bytes(render_docx(doc))
        (pdf,) = convert([source], "pdf", Path(tmp) / "out")
        with atomic_path(out) as target:
            target.write_bytes(pdf.read_bytes())
