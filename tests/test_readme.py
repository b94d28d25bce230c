"""The README's Python examples run as written (doctest), so the documented API is the real one."""

from __future__ import annotations

import doctest

from .conftest import REPO


def test_the_readme_examples_run() -> None:
    result = doctest.testfile(str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0
