"""The calibration benchmark keeps working as the engine changes (it reads the dev pairs)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ..conftest import REPO


def _calibration():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("calibration", REPO / "tests" / "benchmarks" / "calibration.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_every_finding_on_the_tune_pairs_has_its_features(shared: Path) -> None:
    # Vetoed candidates are scored but may not become findings: the features must
    # still line up with the findings they belong to.
    data = _calibration().samples(shared / "devpairs" / "raw")
    labels = [y for _, y in data]
    assert len(data) > 300 and 0 < sum(labels) < len(labels)
    assert any(x["vetoed"] for x, _ in data)
