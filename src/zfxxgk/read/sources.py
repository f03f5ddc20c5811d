"""What the clerk hands to ``compile``: files, folders (recursive) and zip archives, as a flat list.

Every file found becomes one :class:`Source`, including ones that will turn out unreadable, so the
output can account for all of them. Zip archives made on Chinese Windows name their entries in GBK
without the UTF-8 flag; those names are decoded as GBK. An archive's own size limits are checked
before its entries are listed.
"""

from __future__ import annotations

import logging
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ..fileio import is_temporary
from .intake import bilingual, inflation_risk

log = logging.getLogger(__name__)

ZIP_SEPARATOR = "!/"
UTF8_FLAG = 0x800
SYSTEM_FILES = ("thumbs.db", "desktop.ini", ".ds_store")


@dataclass(frozen=True)
class Source:
    """One file to check: a path on disk, or an entry of a zip archive (``archive.zip!/dir/name.xlsx``)."""

    name: str
    path: str  # the file on disk (the archive, for an entry)
    entry: str | None = None  # the entry's raw name inside the archive
    problem: str | None = None  # why it cannot even be opened (a damaged or unsafe archive)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.name.split(ZIP_SEPARATOR)[-1]).name

    @property
    def modified(self) -> float:
        """Seconds since the epoch when the file (or the archive entry) was last changed; 0 if unknown."""
        try:
            if self.entry is None:
                return Path(self.path).stat().st_mtime
            return time.mktime((*_archive(self.path).getinfo(self.entry).date_time, 0, 0, -1))
        except (OSError, KeyError, ValueError, OverflowError):
            return 0.0

    def read(self) -> bytes:
        if self.entry is None:
            return Path(self.path).read_bytes()
        return _archive(self.path).read(self.entry)


@lru_cache(maxsize=8)
def _archive(path: str) -> zipfile.ZipFile:
    """Open archives once per process (a 10,000-entry directory is costly to re-read)."""
    return zipfile.ZipFile(path)


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's real name when the archive did not flag UTF-8: UTF-8 if it decodes, else GBK (Chinese Windows)."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):  # Info-ZIP on Linux and macOS writes UTF-8 without the flag
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_system_file(name: str) -> bool:
    base = PurePosixPath(name.replace("\\", "/")).name.lower()
    return base in SYSTEM_FILES or base.startswith("~$") or "__macosx/" in name.lower().replace("\\", "/")


def expand(inputs: list[Path], skip: Iterable[Path] = ()) -> Iterator[Source]:
    """Every file under the inputs, sorted by name within each input, zip archives opened.

    ``skip`` names this run's own outputs (a 汇总.xlsx written into the folder being compiled); files
    that an interrupted run left half-written are skipped too.
    """
    own = {p.resolve() for p in skip}
    for item in inputs:
        if item.is_dir():
            for path in sorted(p for p in item.rglob("*") if p.is_file()):
                if path.resolve() not in own and not is_temporary(path):
                    yield from _file(path)
        else:
            yield from _file(item)


def _file(path: Path) -> Iterator[Source]:
    if path.suffix.lower() != ".zip" or not path.exists():
        yield Source(str(path), str(path))
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        yield Source(str(path), str(path), problem=bilingual("read.damaged-archive", error=exc))
        return
    risk = inflation_risk(infos)
    if risk:
        problem = bilingual("read.archive-too-large", risk=risk)
        yield Source(str(path), str(path), problem=problem)
        return
    for info in sorted(infos, key=entry_name):
        yield Source(f"{path}{ZIP_SEPARATOR}{entry_name(info)}", str(path), entry=info.filename)
