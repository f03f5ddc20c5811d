"""Templates for a whole roster: one locked workbook per agency, distinct safe file names, and 模板清单.csv."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from ..check.previous import Paths, Prior
from ..fileio import csv_text, first_free, safe_filename, write_text_atomic
from ..messages import text
from ..roster import Agency, read_roster
from ..spec import Spec
from .carry import Carried, carry_for, load, notice
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
    priors: list[Prior] = field(default_factory=list)  # last year's returns given with ``previous``
    carried: dict[str, Carried] = field(default_factory=dict)  # agency name -> what its template took


def check_year(spec: Spec, year: int, lang: str = "zh") -> None:
    """Refuse a year the spec is not for."""
    if not spec.covers(year):
        last = spec.last_year or ""
        raise TemplateError(text("jobs.template-year", lang, spec=spec.id, first=spec.first_year, last=last, year=year))


def write_one(
    out: Path, spec: Spec, year: int, agency: Agency, *, password: str | None = None, force: bool = False,
    lang: str = "zh", previous: Paths | None = None, on_carry: Callable[[Carried], None] | None = None,
) -> Path:  # fmt: skip
    """One template at ``out`` (an .xlsx file that must not exist unless ``force``).

    ``previous``: last year's return(s) (files, folders, zip archives); the one paired with ``agency``
    (a single one given is verified as its) fills the spec's ``carry_over`` cells; ``on_carry`` is told
    what was carried, or why nothing was.
    """
    check_year(spec, year, lang)
    if out.suffix.lower() != ".xlsx":
        raise TemplateError(text("jobs.template-not-xlsx", lang))
    if out.exists() and not force:
        raise TemplateError(text("jobs.template-exists", lang, path=out))
    carried = None if previous is None else carry_for(spec, year, agency, load(previous, lang), lang, single=True)
    _write(out, spec, year, agency, password, carried)
    if carried is not None and on_carry:
        on_carry(carried)
    log.info("wrote template %s for %r", out, agency.name)
    return out


def _write(out: Path, spec: Spec, year: int, agency: Agency, password: str | None, carried: Carried | None) -> None:
    """The template, with last year's figures and the 填报说明 line saying where they come from."""
    if carried is None or not carried.carried:
        write_template(out, spec, year, agency, password=password)
        return
    shown = notice(spec, carried)
    write_template(out, spec, year, agency, prefill=carried.values, password=password, notice=shown)


def write_for_roster(
    roster: Path, folder: Path, spec: Spec, year: int, *, password: str | None = None, force: bool = False,
    lang: str = "zh", each: Callable[[Agency], None] | None = None, previous: Paths | None = None,
) -> TemplateBatch:  # fmt: skip
    """One template per roster agency in ``folder``, and 模板清单.csv listing them.

    ``previous``: last year's returns; each agency's (by agency code, else name) fills its template's
    ``carry_over`` cells, and the list says per agency what was carried from which file, or why not.

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
    batch = TemplateBatch(agencies, priors=[] if previous is None else load(previous, lang))
    for a in agencies:
        batch.files[a.name] = folder / names[a.name]
        carried = None if previous is None else carry_for(spec, year, a, batch.priors, lang, single=False)
        if carried is not None:
            batch.carried[a.name] = carried
        _write(batch.files[a.name], spec, year, a, password, carried)
        if each:
            each(a)
    batch.listing = folder / text("jobs.template-list-name", lang)
    write_text_atomic(batch.listing, listing_csv(agencies, names, lang, batch.carried if previous is not None else None))
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


def listing_csv(
    agencies: list[Agency], names: dict[str, str], lang: str = "zh", carried: dict[str, Carried] | None = None
) -> str:
    """模板清单.csv: number, agency, code, contact, phone and file name, UTF-8 with a BOM for Excel.

    With ``carried`` (templates written with last year's returns) two more columns say per agency
    whether figures were carried, and from which file or why not.
    """
    buf = io.StringIO()
    w = csv.writer(buf)
    extra = [] if carried is None else [text("jobs.list-carried", lang), text("jobs.list-carry-note", lang)]
    w.writerow([*(text(f"jobs.list-{k}", lang) for k in LIST_COLUMNS), *extra])
    for n, a in enumerate(agencies, start=1):
        row = [n, *(csv_text(x) for x in (a.name, a.code, a.contact, a.phone, names[a.name]))]
        if carried is not None:
            row += [csv_text(x) for x in _carry_columns(carried.get(a.name), lang)]
        w.writerow(row)
    return "\ufeff" + buf.getvalue()


def _carry_columns(c: Carried | None, lang: str) -> tuple[str, str]:
    """Whether the agency's template took last year's figures, and from which file (or why not)."""
    if c is None or not c.carried:
        return text("jobs.carried-no", lang), c.note(lang) if c else ""
    year = c.year if c.year is not None else text("check.year-not-read", lang)
    return text("jobs.carried-yes", lang), " ".join(x for x in (text("template.carry-from", lang, file=c.source, year=year), c.note(lang)) if x)
