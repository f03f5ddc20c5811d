"""What a published file is, by its content (never its name), and its extractor."""

from __future__ import annotations

import io
import zipfile

from ..findings import make
from ..read.intake import OLE_MAGIC, inflation_risk
from .documents import AuditError, extract_doc, extract_docx, extract_pdf
from .extract import Extracted
from .html import extract_html

__all__ = ["AuditError", "extract"]

_HTML_MARKS = ("<html", "<table", "<!doctype html", "<body", "<p>", "<p ", "<div")


def extract(data: bytes, name: str, lang: str) -> Extracted:
    """The tables and prose of a published file. Raises :class:`AuditError` when it cannot be audited."""
    if data.startswith(b"%PDF"):
        return extract_pdf(data, lang)
    if data.startswith(b"PK\x03\x04"):
        return _zip(data, lang)
    if data.startswith(OLE_MAGIC):
        return extract_doc(data, lang)
    decoded = _decode(data)
    if decoded is None:
        raise AuditError("binary", make("audit-unsupported", lang, detail=name.rsplit("/", 1)[-1]))
    head = decoded[:65536].lower()
    if any(mark in head for mark in _HTML_MARKS):
        return extract_html(decoded, lang, "md" if decoded.lstrip().startswith("#") else "html")
    return Extracted("txt", prose=decoded)


def _zip(data: bytes, lang: str) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise AuditError("zip", make("audit-unsupported", lang, detail=str(exc))) from exc
    risk = inflation_risk(infos)
    if risk:
        raise AuditError("zip", make("audit-too-large", lang, detail=risk))
    if "word/document.xml" in names:
        return extract_docx(data, lang)
    kind = "xlsx" if "xl/workbook.xml" in names else "zip"
    raise AuditError(kind, make("audit-unsupported", lang, detail=kind))


def _decode(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM) or GBK; None for binary data."""
    if b"\x00" in data[:4096]:
        for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if data.startswith(bom):
                return data[2:].decode(enc, errors="replace")
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None
