"""Writing files safely: atomic replacement and file names that every file system accepts."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .messages import text

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it into place only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMP_SUFFIX = ".tmp"


def is_temporary(path: Path) -> bool:
    """A half-written output of :func:`atomic_path` (e.g. of a run that was interrupted)."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: str | Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def safe_filename(name: str, max_length: int = 80, lang: str = "zh") -> str:
    """A file name (without extension) that Windows, macOS and Linux all accept, keeping Chinese.

    A name with nothing left is called "未命名" (``unnamed`` in English).
    """
    safe = unicodedata.normalize("NFC", name)
    safe = _UNSAFE.sub("_", safe).strip(" .")
    safe = re.sub(r"\s+", " ", safe)
    if len(safe) > max_length:
        safe = safe[:max_length].rstrip(" .")
    if not safe:
        safe = text("common.unnamed-file", lang)
    if safe.split(".")[0].upper() in _RESERVED:
        safe = "_" + safe
    return safe


def first_free(candidates: Iterable[str], taken: set[str]) -> str:
    """The first candidate name not in ``taken`` (compared without case, as Windows and Excel do); it is then taken."""
    name = next(c for c in candidates if c.casefold() not in taken)
    taken.add(name.casefold())
    return name


# What Excel or LibreOffice may start a formula with (OWASP's list, and a line feed and NUL as well).
FORMULA_HEADS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def csv_text(value: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula: it gets a leading quote."""
    return "'" + value if value.startswith(FORMULA_HEADS) else value
