"""The post-write patch of a template's package: what XlsxWriter does not write.

Workbook structure protection (its maintainer declined it) is added to ``xl/workbook.xml``, and
``docProps/app.xml`` names zfxxgk as the generating application.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..contract import GENERATOR

_BOOK_VIEWS = re.compile(rb"<bookViews")
_APPLICATION = re.compile(rb"<Application>[^<]*</Application>")
_APP_VERSION = re.compile(rb"<AppVersion>[^<]*</AppVersion>")
_PASSWORD = re.compile(rb'<sheetProtection[^>]*\spassword="([0-9A-F]{4})"')


def finish_package(data: bytes) -> bytes:
    """Add workbook structure protection and name the generator in docProps/app.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    # The workbook gets the sheets' password: XlsxWriter has already hashed it (the legacy 16-bit hash).
    sheet_hash = _PASSWORD.search(src.read("xl/worksheets/sheet1.xml"))
    lock = (
        b'<workbookProtection workbookPassword="' + sheet_hash.group(1) + b'" lockStructure="1"/>'
        if sheet_hash
        else b'<workbookProtection lockStructure="1"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body, n = _BOOK_VIEWS.subn(lock + b"<bookViews", body, count=1)
                assert n == 1, "XlsxWriter's workbook.xml has no <bookViews>"
            elif info.filename == "docProps/app.xml":
                body = _APPLICATION.sub(b"<Application>" + GENERATOR.encode() + b"</Application>", body, count=1)
                body = _APP_VERSION.sub(b"", body, count=1)  # XlsxWriter's "12.0000" is Excel's, not ours
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
