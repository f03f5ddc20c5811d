"""The registered checks: one list, run in order on a return that could be read; failures leave a trace."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from zfxxgk import check
from zfxxgk.check import file as check_module
from zfxxgk.check import registry
from zfxxgk.findings import Finding, make
from zfxxgk.read.package import Package
from zfxxgk.read.workbook import read_workbook
from zfxxgk.spec import Spec


def test_the_package_exports_the_public_api() -> None:
    assert set(check.__all__) == {"check_file", "CheckResult", "STATUSES", "STATUS_LABEL", "status_of"}
    assert check.STATUS_LABEL["zh"]["ok"] == "合格" and check.STATUS_LABEL["en"]["unreadable"] == "unreadable"
    assert check.status_of(0, 2) == "warnings" and check.status_of(1, 0) == "errors"


def test_every_check_has_one_signature_and_runs_in_order(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    ret = read_workbook(Package(Path(make_template(spec21, year=2025)).read_bytes()))
    seen: list[str] = []

    def recording(name: str) -> registry.Check:
        def run(ctx: registry.Context) -> list[Finding]:
            seen.append(name)
            return [make("year-unknown", ctx.lang)] if name == "second" else []

        return run

    found = registry.run(registry.Context(ret, "zh", 2025), (recording("first"), recording("second")))
    assert seen == ["first", "second"] and [f.code for f in found] == ["year-unknown"]
    assert len(set(registry.CHECKS)) == len(registry.CHECKS) >= 8
    assert registry.CHECKS[:3] == (registry.year, registry.values, registry.rules)  # rules use the values read


def test_a_clean_template_passes_every_registered_check(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    ret = read_workbook(Package(Path(make_template(spec21, year=2025)).read_bytes()))
    ctx = registry.Context(ret, "zh", 2025)
    by_check = {c.__name__: [f.code for f in c(ctx)] for c in registry.CHECKS}
    assert by_check["values"].count("blank-cell") == len([c for c in spec21.input_cells if c.domain.numeric])
    assert all(not codes for name, codes in by_check.items() if name not in ("values", "sections"))
    assert ctx.year == 2025 and ctx.values


def test_an_unforeseen_failure_is_logged_with_its_file(
    tmp_path: Path, spec21: Spec, make_template, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    path = make_template(spec21, year=2025)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("something no rule foresaw")

    monkeypatch.setattr(check_module, "read_workbook", boom)
    with caplog.at_level(logging.ERROR, logger="zfxxgk.check.file"):
        result = check.check_file(path)
    assert [f.code for f in result.findings] == ["read-failed"]
    (record,) = [r for r in caplog.records if r.name == "zfxxgk.check.file"]
    assert str(path) in record.getMessage() and record.exc_info is not None
    assert "something no rule foresaw" in str(record.exc_info[1])
