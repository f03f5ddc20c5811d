"""Several files for one agency: which one was submitted last, and how the others differ from it.

The latest submission counts, not the one with the fewest problems: a county clerk must be able to
say "this is what the agency sent last". When a file was sent is read, in this order, from the save
time the workbook records (``docProps/core.xml``: ``dcterms:modified``, then ``cp:revision``), then
the file's own time (its mtime, or its zip entry's date). A file that cannot be read never replaces
one that can (its figures are unknown); the 报送情况 row then says a later file was unreadable.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime

from .store import Number, Outcome

CORE_PART = "docProps/core.xml"
MAX_CORE = 64 << 10  # a core properties part is a few hundred bytes; a larger one is not read
# The save time a template gets when it is written (template/writer.py): not a save by anyone.
TEMPLATE_STAMP = datetime(2000, 1, 1, tzinfo=UTC).timestamp()
_MODIFIED = re.compile(rb"<(?:[\w.-]+:)?modified\b[^>]*>\s*([^<\s]+)\s*<")
_REVISION = re.compile(rb"<(?:[\w.-]+:)?revision\b[^>]*>\s*(\d{1,9})\s*<")


def saved_stamp(package: zipfile.ZipFile | None) -> tuple[float, int]:
    """The save time (seconds since the epoch, 0 if unknown) and revision (0 if none) the workbook records.

    Read with two patterns over a short, already screened part (no XML parser, so no entity can be
    expanded); a time at or before the template's own stamp is no save.
    """
    if package is None:
        return 0.0, 0
    try:
        info = package.getinfo(CORE_PART)
        body = package.read(info) if info.file_size <= MAX_CORE else b""
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, EOFError):
        return 0.0, 0
    saved, revision = 0.0, 0
    if m := _MODIFIED.search(body):
        try:
            when = datetime.fromisoformat(m.group(1).decode("ascii"))
            saved = (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
        except (ValueError, UnicodeDecodeError, OverflowError):
            saved = 0.0
    if m := _REVISION.search(body):
        revision = int(m.group(1))
    return (saved if saved > TEMPLATE_STAMP else 0.0), revision


def latest_first(o: Outcome) -> tuple[bool, float, int, float, bool, int]:
    """Sort key: readable before unreadable, then the latest save, revision and file time; then a template."""
    return (o.status == "unreadable", -o.saved, -o.revision, -o.modified, o.source != "template", o.index)


def when(o: Outcome) -> tuple[str, str]:
    """How the time a file was sent is known (a catalogue key) and that time, as the clerk reads it."""
    if o.saved:
        return "county.time-saved", _local(o.saved)
    if o.modified:
        return "county.time-file", _local(o.modified)
    return "county.time-unknown", ""


def _local(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")


def differences(
    this: Mapping[str, Number | None], taken: Mapping[str, Number | None]
) -> list[tuple[str, Number | None, Number | None]]:
    """The cells whose figures differ between a passed-over file and the one taken, in the taken file's order."""
    keys = list(taken) + [k for k in this if k not in taken]
    return [(k, this.get(k), taken.get(k)) for k in keys if this.get(k) != taken.get(k)]
