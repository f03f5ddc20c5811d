"""Checking many files in one call, with annotated copies (``<name>_校验.xlsx``) when asked for."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from ..fileio import first_free
from ..messages import text
from .annotate import AnnotateError, annotate
from .file import check_file
from .present import exit_code
from .previous import Paths, load_priors
from .result import CheckResult

log = logging.getLogger(__name__)


class BatchError(ValueError):
    """The check cannot run as asked (where the annotated copies would go); nothing was checked."""


@dataclass
class CheckBatch:
    """Every file's result, the annotated copies written, and the files that could not be annotated."""

    results: list[CheckResult]
    annotated: list[Path] = field(default_factory=list)
    not_annotated: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: errors found; 2: a file could not be read."""
        return exit_code(self.results)


def check_files(
    files: Sequence[Path],
    *,
    year: int | None = None,
    spec: str | None = None,
    previous: Paths | None = None,
    annotate_to: Path | None = None,
    lang: str = "zh",
) -> CheckBatch:
    """Check each file; with ``annotate_to``, write an annotated copy (a file for one, a folder for several).

    ``previous`` (a file, a folder, an archive, or several) is read once; each file is paired with its
    own agency's return of the year before (:mod:`.previous`).
    """
    if annotate_to and len(files) > 1 and annotate_to.suffix.lower() == ".xlsx":
        raise BatchError(text("jobs.annotate-folder", lang))
    if annotate_to and annotate_to.resolve() in {f.resolve() for f in files}:
        raise BatchError(text("jobs.annotate-overwrite", lang))
    priors = load_priors(previous, lang) if previous else None
    single = len(files) == 1
    batch = CheckBatch([check_file(f, year=year, spec=spec, lang=lang, priors=priors, single=single) for f in files])
    if annotate_to is None:
        return batch
    used: set[str] = set()
    for r in batch.results:
        target = annotate_to if len(files) == 1 else annotated_name(annotate_to, Path(r.path), used)
        try:
            annotate(r, target, lang)
        except AnnotateError as exc:
            log.info("not annotated: %s: %s", r.path, exc)
            batch.not_annotated.append((r.path, str(exc)))
        else:
            batch.annotated.append(target)
    return batch


def annotated_name(folder: Path, source: Path, used: set[str]) -> Path:
    """``<name>_校验.xlsx`` in ``folder``, numbered when two checked files share a name."""
    stem = text("jobs.annotated-name", stem=source.stem)
    return folder / first_free((f"{stem}{f'_{k}' if k > 1 else ''}.xlsx" for k in count(1)), used)
