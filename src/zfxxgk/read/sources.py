"""What the clerk hands to ``compile``: files, folders (recursive) and zip archives, as a flat list.

Every file found becomes one :class:`Source`, including ones that will turn out unreadable, so the
output can account for all of them. An input may also be an fsspec URL (``file:///srv/returns``,
``s3://bucket/2025/``: a file, a folder or a zip archive) when fsspec and the protocol's package are
installed; its files are read through fsspec wherever they are checked (a Dask worker included). Zip archives made on Chinese Windows name their entries in GBK
without the UTF-8 flag; those names are decoded as GBK. An archive's own size limits are checked
before its entries are listed.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

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
            if self.entry is None and is_url(self.path):
                fs, root = _fs(self.path)
                return float(fs.modified(root).timestamp())
            if self.entry is None:
                return Path(self.path).stat().st_mtime
            return time.mktime((*_archive(self.path).getinfo(self.entry).date_time, 0, 0, -1))
        except (OSError, KeyError, ValueError, OverflowError, NotImplementedError):
            return 0.0

    def read(self) -> bytes:
        if self.entry is None and is_url(self.path):
            with _open(self.path) as fh:
                return bytes(fh.read())
        if self.entry is None:
            return Path(self.path).read_bytes()
        return _archive(self.path).read(self.entry)


def _archive(path: str) -> zipfile.ZipFile:
    """Open archives once per process (a 10,000-entry directory is costly to re-read).

    Keyed by process too: a worker forked after the parent opened an archive would share its file
    offset, and two processes seeking in one file read each other's bytes (bad CRCs, seen in CI).
    """
    return _archive_of(os.getpid(), path)


@lru_cache(maxsize=8)
def _archive_of(pid: int, path: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(_open(path) if is_url(path) else path)


def is_url(item: str | Path) -> bool:
    """An fsspec URL (``protocol://…``), not a path on this machine."""
    return isinstance(item, str) and "://" in item


def url_exists(url: str) -> bool:
    """Whether the URL names something (False when fsspec or the protocol's package is missing)."""
    try:
        fs, root = _fs(url)
        return bool(fs.exists(root))
    except (ImportError, OSError, ValueError):
        return False


def _fs(url: str) -> tuple[Any, str]:
    fsspec: Any = importlib.import_module("fsspec")  # it comes with Dask; it has no type hints
    fs, root = fsspec.core.url_to_fs(url)
    return fs, str(root)


def _open(url: str) -> Any:
    fs, root = _fs(url)
    return fs.open(root, "rb")


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


def expand(inputs: Sequence[Path | str], skip: Iterable[Path] = ()) -> Iterator[Source]:
    """Every file under the inputs, sorted by name within each input, zip archives opened.

    ``skip`` names this run's own outputs (a 汇总.xlsx written into the folder being compiled); files
    that an interrupted run left half-written are skipped too.
    """
    own = {p.resolve() for p in skip}
    for item in inputs:
        if isinstance(item, str):
            yield from _url_files(item, own)
        elif item.is_dir():
            for path in sorted(p for p in item.rglob("*") if p.is_file()):
                if path.resolve() not in own and not is_temporary(path):
                    yield from _file(path)
        else:
            yield from _file(item)


def _url_files(url: str, own: set[Path]) -> Iterator[Source]:
    """The files at an fsspec URL, sorted by name (a folder's recursively), as URLs."""
    fs, root = _fs(url)
    if not fs.isdir(root):
        yield from _file(url)
        return
    local = "file" in fs.protocol
    for path in sorted(fs.find(root)):
        if not is_temporary(Path(PurePosixPath(path).name)) and not (local and Path(path).resolve() in own):
            yield from _file(fs.unstrip_protocol(path))


def _file(path: Path | str) -> Iterator[Source]:
    url = is_url(path)
    suffix = PurePosixPath(str(path)).suffix if url else Path(path).suffix
    if suffix.lower() != ".zip" or not (url_exists(str(path)) if url else Path(path).exists()):
        yield Source(str(path), str(path))
        return
    try:
        with _open(str(path)) if url else open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
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
