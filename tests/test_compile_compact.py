"""What compile keeps per file while it runs is compact, and gives back exactly what was put in."""

from __future__ import annotations

import hashlib
from array import array

import pytest

from zfxxgk.county.checking import Keys, Sources, Tasks
from zfxxgk.county.model import Row
from zfxxgk.county.rowstore import Rows
from zfxxgk.county.store import Outcome
from zfxxgk.read.sources import Source


def test_sources_keys_and_tasks_give_back_what_was_listed() -> None:
    listed = [
        Source("/in/甲局.xlsx", "/in/甲局.xlsx"),
        Source("a.xlsx", "a.xlsx"),
        Source("C:\\in\\乙局.xlsx", "C:\\in\\乙局.xlsx"),
        Source("/in/\udcff.xlsx", "/in/\udcff.xlsx"),  # a file name that is not UTF-8 on disk
        Source("/in/z.zip!/丙局.xlsx", "/in/z.zip", entry="丙局.xlsx"),
        Source("/in/bad.zip", "/in/bad.zip", problem="damaged"),
    ]
    sources = Sources(listed)
    assert list(sources) == listed and sources[-2] == listed[-2] and sources[1:3] == listed[1:3]
    keys: list[str | None] = [hashlib.sha256(s.name.encode(errors="surrogatepass")).hexdigest() for s in listed]
    keys[3] = None
    assert list(Keys(keys)) == keys and len(Keys()) == 0
    tasks = Tasks(sources, 2025, None, "zh", which=array("q", [4, 0]))
    assert list(tasks) == [(listed[4], 0, 2025, None, "zh"), (listed[0], 1, 2025, None, "zh")]
    with pytest.raises(IndexError):
        tasks[2]


def test_rows_on_disk_are_read_back_in_order_with_their_counts() -> None:
    def outcome(index: int, status: str) -> Outcome:
        return Outcome(index=index, name=f"f{index}.xlsx", file_name=f"f{index}.xlsx", status=status, tables={"t1": "s"})

    made = [
        Row("甲局", "1", "ok", outcome(2, "ok"), roster_index=0, how="code"),
        Row("乙局", "2", "missing", note="未报送", roster_index=1),
        Row("丙局", "", "outsider", outcome(0, "warnings")),
        Row("", "", "unreadable", outcome(1, "unreadable")),
    ]
    rows = Rows()
    for row in made:
        rows.add(row)
    assert list(rows) == made and rows[1] == made[1] and rows[-1] == made[-1] and rows[0:2] == made[:2]
    assert [r.outcome.index for r in rows.detail() if r.outcome] == [0, 2] and list(rows.detail_outcomes()) == [0, 2]
    assert rows.tally == {"ok": 1, "missing": 1, "outsider": 1, "unreadable": 1}
    assert rows.listed == {"ok": 1, "missing": 1} and rows.included == 1 and rows.with_file == 3
    path = rows.path
    rows.close()
    assert not path.exists()
