"""Shared fixtures: specs, template workbooks written to temporary folders."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
