"""The rows of 报送情况 and what their notes say: how a file was matched, which of several was taken
and how the others differ from it, which tables were left out of the sums, and where a missing
agency's file may be.
"""

from __future__ import annotations

from ..messages import text
from ..normalize import name_key
from ..roster import Agency
from ..spec import Spec
from ..spec.cache import per_spec
from .match import Assignment, how_text
from .model import Row, status_labels, summable
from .rowstore import Rows
from .store import Number, Outcome, Store
from .versions import differences, when

SHOWN_DIFFERENCES = 3  # cells named in a duplicate's note; the rest are counted


def status_rows(spec: Spec, agencies: list[Agency], assignment: Assignment, store: Store, lang: str) -> Rows:
    """One row per roster agency (in roster order), then the extra files (in input order), into a :class:`Rows`."""
    rows = Rows()
    extra: list[tuple[int, int | None]] = []  # (outcome index, the roster agency it duplicates, or None)
    pointers = _pointers(assignment, agencies, store, lang)
    for n, agency in enumerate(agencies):
        index = assignment.accepted(n)
        if index is None:
            rows.add(Row(agency.name, agency.code, "missing", note=pointers.get(n, ""), roster_index=n))
            continue
        accepted = store.head(index)
        row = Row(agency.name, agency.code, accepted.status, accepted, roster_index=n, how=assignment.how(n))
        row.left_out = left_out(spec, accepted) if row.included else ()
        dups = [store.head(d) for d in assignment.duplicates(n)]
        row.note = _accepted_note(spec, agency, assignment.how(n), accepted, dups, row.left_out, lang)
        rows.add(row)
        extra.extend((d.index, n) for d in dups)
    extra.extend((index, None) for index in assignment.unmatched)
    for index, of in sorted(extra, key=lambda item: item[0]):
        rows.add(_extra_row(agencies, assignment, store, index, of, lang))
    return rows


def _extra_row(
    agencies: list[Agency], assignment: Assignment, store: Store, index: int, n: int | None, lang: str
) -> Row:
    """The row of a file that does not count: a duplicate of roster agency ``n``'s file, or of no agency's."""
    o = store.head(index)
    if n is not None:
        agency = agencies[n]
        accepted = assignment.accepted(n)
        assert accepted is not None
        return Row(agency.name, agency.code, "duplicate", o, _duplicate_note(store.head(accepted), o, store, lang))
    status = "unreadable" if o.status == "unreadable" else "outsider"
    note = "" if status == "unreadable" else text("county.note-outsider", lang)
    hint = assignment.hints.get(o.index)
    if hint is not None:
        note += text("county.note-maybe", lang, agency=agencies[hint].name)
    return Row(o.agency or o.meta_agency, o.meta_code, status, o, note)


def left_out(spec: Spec, o: Outcome) -> tuple[str, ...]:
    """The county spec's tables with figures that this return's figures are not summed into."""
    return tuple(t for t in _tables_with_figures(spec) if not summable(spec, o, t))


@per_spec
def _tables_with_figures(spec: Spec) -> tuple[str, ...]:
    """The spec's tables that have numeric cells, in table order (once per spec: asked once a return)."""
    found = {c.table for c in spec.cells.values() if c.domain.numeric}
    return tuple(t for t in spec.tables if t in found)


def _accepted_note(
    spec: Spec, agency: Agency, how: str, o: Outcome, dups: list[Outcome], out: tuple[str, ...], lang: str
) -> str:
    parts = [how_text(how, lang)]
    if o.agency and o.agency != agency.name:
        parts.append(text("county.note-written-as", lang, name=o.agency))
    if dups:
        key, at = when(o)
        parts.append(text("county.note-latest", lang, when=text(key, lang, time=at), count=len(dups)))
        newer = [d for d in dups if d.status == "unreadable" and d.modified > o.modified]
        if newer:
            parts.append(text("county.note-newer-unreadable", lang, file=newer[0].file_name))
    if out:
        sep = text("common.list-separator", lang)
        named = sep.join(_table_name(spec, t, o, lang) for t in out)
        parts.append(text("county.note-left-out", lang, tables=named))
    return text("county.note-separator", lang).join(parts)


def _table_name(spec: Spec, table_id: str, o: Outcome, lang: str) -> str:
    table = spec.tables[table_id]
    name = text("county.table-name", lang, number=table.number) if table.number else table.heading(lang)
    read_as = o.tables.get(table_id)
    return text("county.table-read-as" if read_as else "county.table-not-read", lang, table=name, spec=read_as or "")


def _duplicate_note(accepted: Outcome, dup: Outcome, store: Store, lang: str) -> str:
    key, at = when(dup)
    labels = status_labels(lang)
    note = text(
        "county.note-passed-over", lang, when=text(key, lang, time=at), file=accepted.file_name,
        status=labels[accepted.status],
    )  # fmt: skip
    if dup.sha256 and dup.sha256 == accepted.sha256:
        return note + text("county.note-same-file", lang)
    if dup.status == "unreadable" or accepted.status == "unreadable":
        return note
    diff = differences(store.values(dup.index), store.values(accepted.index))
    if not diff:
        return note + text("county.note-same-figures", lang)
    sep = text("common.list-separator", lang)
    shown = sep.join(f"{cell} {_figure(a, lang)}→{_figure(b, lang)}" for cell, a, b in diff[:SHOWN_DIFFERENCES])
    more = text("county.note-more-differences", lang, count=len(diff)) if len(diff) > SHOWN_DIFFERENCES else ""
    return note + text("county.note-differences", lang, cells=shown, more=more)


def _figure(v: Number | None, lang: str) -> str:
    return text("county.blank", lang) if v is None else str(v)


def _pointers(assignment: Assignment, agencies: list[Agency], store: Store, lang: str) -> dict[int, str]:
    """Missing roster agency -> a note pointing to the file (不在名单) that may be its return."""
    out: dict[int, str] = {}
    for index, n in assignment.hints.items():
        o = store.head(index)
        if assignment.accepted(n) is not None or name_key(o.agency) == name_key(agencies[n].name):
            continue
        note = text("county.note-missing-maybe", lang, file=o.file_name, name=o.agency)
        out[n] = out[n] + text("county.note-separator", lang) + note if n in out else note
    return out
