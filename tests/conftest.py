"""Shared fixtures: specs, template workbooks written to temporary folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from zfxxgk.findings import CATALOGUE, Finding
from zfxxgk.roster import Agency
from zfxxgk.spec import Spec, load_spec
from zfxxgk.template.writer import write_template

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def spec21() -> Spec:
    return load_spec("national-2021")


@pytest.fixture(scope="session")
def spec19() -> Spec:
    return load_spec("national-2019")


MakeTemplate = Callable[..., Path]


@pytest.fixture
def make_template(tmp_path: Path) -> MakeTemplate:
    """Write a template and return its path: make_template(spec, year=2025, prefill=None, name=...)."""

    def make(
        spec: Spec,
        year: int = 2025,
        prefill: Mapping[str, object] | None = None,
        agency: str = "测试县测试局",
        name: str = "t.xlsx",
    ) -> Path:
        path = tmp_path / name
        write_template(path, spec, year, Agency(name=agency, code="T001"), prefill=prefill)
        return path

    return make


# ---- every catalogue code is produced by some test ---------------------------------------------------
# Each Finding made in a test process is recorded by its code; at the end of a run of the whole suite the
# codes no test produced fail the run (a code that only a grep of the test sources "covers" is not tested).

_SEEN: set[str] = set()
_PID = os.getpid()
_finding_init = Finding.__init__


def _recording_init(self: Finding, *args: Any, **kwargs: Any) -> None:
    _finding_init(self, *args, **kwargs)
    if self.code not in _SEEN:
        _SEEN.add(self.code)
        if os.getpid() != _PID and CODES_DIR in os.environ:  # a forked worker (compile's pool): tell the folder now
            with open(Path(os.environ[CODES_DIR]) / f"{os.getpid()}.txt", "a", encoding="utf-8") as fh:
                fh.write(self.code + "\n")


CODES_DIR = "ZFXXGK_TEST_CODES_DIR"
Finding.__init__ = _recording_init  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist) owns the folder
        os.environ[CODES_DIR] = tempfile.mkdtemp(prefix="zfxxgk-codes-")


def _whole_suite(config: pytest.Config) -> bool:
    o = config.option
    narrowed = o.keyword or o.markexpr or getattr(o, "deselect", None) or getattr(o, "lf", False) or getattr(o, "maxfail", 0)
    return not narrowed and [Path(a).resolve() for a in config.args] == [Path(__file__).parent.resolve()]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = Path(os.environ[CODES_DIR])
    if hasattr(session.config, "workerinput"):
        (folder / f"worker-{os.getpid()}.txt").write_text("\n".join(sorted(_SEEN)), encoding="utf-8")
        return
    seen = set(_SEEN).union(*(set(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt")))
    missing = sorted(set(CATALOGUE) - seen)
    if exitstatus == 0 and missing and _whole_suite(session.config):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"catalogue codes no test produced: {', '.join(missing)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
