"""Templates for a whole roster: one locked workbook per agency, distinct safe file names, and 模板清单.csv."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from ..fileio import csv_text, first_free, safe_filename, write_text_atomic
from ..messages import text
from ..roster import Agency, read_roster
from ..spec import Spec
from .writer import write_template

log = logging.getLogger(__name__)
LIST_COLUMNS = ("no", "agency", "code", "contact", "phone", "file")


class TemplateError(ValueError):
    """The templates cannot be written as asked (wrong year, output name, or files in the way)."""


@dataclass
class TemplateBatch:
    """What was written: the agencies, each one's file, and the list (模板清单.csv)."""

    agencies: list[Agency]
    files: dict[str, Path] = field(default_factory=dict)  # agency name -> its template
    listing: Path | None = None


def check_year(spec: Spec, year: int, lang: str = "zh") -> None:
    """Refuse a year the spec is not for."""
    if not spec.covers(year):
        last = spec.last_year or ""
        raise TemplateError(text("jobs.template-year", lang, spec=spec.id, first=spec.first_year, last=last, year=year))


def write_one(
    out: Path, spec: Spec, year: int, agency: Agency, *, password: str | None = None, force: bool = False,
    lang: str = "zh",
) -> Path:  # fmt: skip
    """One template at ``out`` (an .xlsx file that must not exist unless ``force``)."""
    check_year(spec, year, lang)
    if out.suffix.lower() != ".xlsx":
        raise TemplateError(text("jobs.template-not-xlsx", lang))
    if out.exists() and not force:
        raise TemplateError(text("jobs.template-exists", lang, path=out))
    write_template(out, spec, year, agency, password=password)
    log.info("wrote template %s for %r", out, agency.name)
    return out


def write_for_roster(
    roster: Path, folder: Path, spec: Spec, year: int, *, password: str | None = None, force: bool = False,
    lang: str = "zh", each: Callable[[Agency], None] | None = None,
) -> TemplateBatch:  # fmt: skip
    """One template per roster agency in ``folder``, and 模板清单.csv listing them.

    Raises :class:`TemplateError` (or :class:`~zfxxgk.roster.RosterError`) before writing anything.
    """
    check_year(spec, year, lang)
    agencies = read_roster(roster)
    if folder.suffix.lower() == ".xlsx":
        raise TemplateError(text("jobs.template-folder", lang))
    names = file_names(agencies, year)
    clashes = [n for n in names.values() if (folder / n).exists()]
    if clashes and not force:
        raise TemplateError(text("jobs.template-clashes", lang, count=len(clashes), first=clashes[0]))
    folder.mkdir(parents=True, exist_ok=True)
    batch = TemplateBatch(agencies)
    for a in agencies:
        batch.files[a.name] = folder / names[a.name]
        write_template(batch.files[a.name], spec, year, a, password=password)
        if each:
            each(a)
    batch.listing = folder / text("jobs.template-list-name", lang)
    write_text_atomic(batch.listing, listing_csv(agencies, names, lang))
    log.info("wrote %d templates to %s", len(agencies), folder)
    return batch


def file_names(agencies: list[Agency], year: int) -> dict[str, str]:
    """One distinct, safe file name per agency (its name, then its code, then a number)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for a in agencies:
        base = safe_filename(a.name)
        by_code = [f"{base}_{a.code}"] if a.code else []
        stem = first_free(chain([base], by_code, (f"{base}_{k}" for k in count(2))), used)
        names[a.name] = text("jobs.template-file-name", stem=stem, year=year)
    return names


def listing_csv(agencies: list[Agency], names: dict[str, str], lang: str = "zh") -> str:
    """模板清单.csv: number, agency, code, contact, phone and file name, UTF-8 with a BOM for Excel."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([text(f"jobs.list-{k}", lang) for k in LIST_COLUMNS])
    for n, a in enumerate(agencies, start=1):
        w.writerow([n, *(csv_text(x) for x in (a.name, a.code, a.contact, a.phone, names[a.name]))])
    return "\ufeff" + buf.getvalue()
