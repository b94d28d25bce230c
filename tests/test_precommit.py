"""The pre-commit manifest: valid by pre-commit's own validator, and its hooks run `repair check` and `repair fix`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def _pre_commit() -> str:
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    assert Path(exe).exists(), "pre-commit (test extra) is not installed"
    return exe


def test_manifest_validates_with_pre_commit() -> None:
    done = subprocess.run(
        [_pre_commit(), "validate-manifest", str(MANIFEST)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_would_catch_a_broken_manifest(tmp_path: Path) -> None:
    broken = tmp_path / "hooks.yaml"
    broken.write_text(MANIFEST.read_text(encoding="utf-8").replace("types_or: [plain-text,", "types_or: [prose-text,"))
    done = subprocess.run(
        [_pre_commit(), "validate-manifest", str(broken)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0


def test_hooks_are_check_and_fix_in_place() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    assert set(hooks) == {"repair", "repair-fix"}
    assert hooks["repair"]["entry"] == "repair check"
    assert hooks["repair-fix"]["entry"].split()[:3] == ["repair", "fix", "--in-place"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert set(hook["types_or"]) == {"plain-text", "markdown", "html"}
