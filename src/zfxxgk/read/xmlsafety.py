"""Screening a package's parts for DTDs before any parser sees them, whatever their encoding.

OOXML never needs a DTD, and a DTD is the only place an entity can be declared; refusing every part
whose prolog holds ``<!DOCTYPE`` (or any other ``<!`` declaration) closes every entity attack (billion
laughs, external entities) for every parser the tool uses -- calamine, lxml and openpyxl alike -- and
is stricter than defusedxml's default policy. The prolog is read in the part's own encoding (UTF-8,
UTF-16 or UTF-32, with or without a byte order mark, detected as XML 1.0 Appendix F says) and walked
past the declaration, comments and processing instructions, so no prefix can hide a DTD. Parts are
screened by content, not by name, since a relationship may point a sheet at any member name. A
declared encoding in which ASCII markup does not stand for itself (UTF-7, EBCDIC) is refused too.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Callable

MAX_PROLOG = 64 * 1024  # bytes: a real prolog is a declaration and perhaps a comment
CHUNK = 4096
_MARKUP = "<!DOCTYPE[]>%&;'\"=-+? \t\r\n"
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")
_MORE = "more"
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error)  # the prolog goes on past the bytes read so far


class UnsafeXml(Exception):
    """A part's prolog declares a DTD (or cannot be screened); the message names the part and why."""


def encoding_of(head: bytes) -> str:
    """The encoding a parser detects from a part's first bytes (XML 1.0 Appendix F)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    b = head[:4].ljust(4, b"\x01")
    if b[0] and not any(b[1:4]):
        return "utf-32-le"
    if not any(b[0:3]) and b[3]:
        return "utf-32-be"
    if b[0] and not b[1]:
        return "utf-16-le"
    if not b[0] and b[1]:
        return "utf-16-be"
    return "latin-1"  # any ASCII-compatible encoding: markup is ASCII in all of them


def prolog_problem(head: bytes, complete: bool) -> str | None:
    """Why this start of a part is unsafe, None if it is safe (or not XML), or ``_MORE`` to read on."""
    encoding = encoding_of(head)
    text = head.decode(encoding, "replace")
    i = 1 if text.startswith("\ufeff") else 0  # the byte order mark
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if not complete and len(text) - i < 9:  # too short to tell "<!--" from "<!DOCTYPE" yet
            return _MORE
        if i >= len(text):
            return None
        if text.startswith("<?", i):
            end = text.find("?>", i)
            if end < 0:
                return None if complete else _MORE
            if i <= 1 and text.startswith("<?xml", i) and (why := _declared(text[i:end], encoding)):
                return why
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return None if complete else _MORE
            i = end + 3
        elif text.startswith("<!", i):
            return "DTD"
        else:
            return None  # the root element starts (or this is not XML, which no parser accepts)


def _declared(declaration: str, detected: str) -> str | None:
    """Why an XML declaration's encoding makes the part unsafe to screen, if it does."""
    m = _ENCODING.search(declaration)
    if not m:
        return None
    value = m.group(1).strip()
    try:
        name = codecs.lookup(value).name
    except LookupError:
        return f"encoding {value}"
    if detected.startswith(("utf-16", "utf-32")):  # the byte order mark or the zero bytes decide
        return None if name.startswith(("utf-16", "utf-32")) else f"encoding {value}"
    ascii_markup = _MARKUP.encode("ascii")
    try:
        same = _MARKUP.encode(name) == ascii_markup and ascii_markup.decode(name) == _MARKUP
    except (UnicodeError, ValueError):
        same = False
    return None if same else f"encoding {value}"


def screen(zf: zipfile.ZipFile, keep: Callable[[str, bytes], None], small: int) -> None:
    """Raise :class:`UnsafeXml` if any member's prolog is unsafe (BadZipFile, naming it, if one is damaged);
    whole small XML parts go to ``keep``."""
    for info in zf.infolist():
        if info.is_dir():
            continue
        try:
            if info.file_size <= small and info.filename.endswith((".xml", ".rels")):
                body = zf.read(info)  # to its end: the CRC is checked even of parts only calamine reads
                keep(info.filename, body)
                why = prolog_problem(body[:MAX_PROLOG], complete=len(body) <= MAX_PROLOG)
            else:
                why = _streamed(zf, info)
        except ZIP_ERRORS as exc:  # CRC errors, truncation: name the part
            raise zipfile.BadZipFile(f"{info.filename}: {exc}") from exc
        if why == _MORE:
            why = "prolog too long"
        if why:
            raise UnsafeXml(f"{info.filename}: {why}")


def _streamed(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Screen a member by reading only as much of it as its prolog needs."""
    head = b""
    with zf.open(info) as fh:
        while len(head) < MAX_PROLOG:
            chunk = fh.read(CHUNK)
            head += chunk
            why = prolog_problem(head, complete=not chunk)
            if why != _MORE:
                return why
    return _MORE
