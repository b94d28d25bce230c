"""Config files turned into arguments (repair.edge.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.edge.config import Config, ConfigError, Option, find_config, load_config, to_argv

OPTIONS = {
    "threshold": Option("--threshold"),
    "wordlist": Option("--wordlist", repeatable=True, is_path=True),
    "quiet": Option("--quiet", takes_value=False),
    "format": Option("--format"),
}
COMMANDS = ("check", "fix")


def _config(tmp_path: Path, text: str, name: str = ".repair.toml") -> Config:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(path, COMMANDS)


def test_find_config_takes_the_nearest_file_upward(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / ".repair.toml").write_text("threshold = 0.5\n")
    assert find_config(deep) == tmp_path / ".repair.toml"
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.repair]\nthreshold = 0.6\n")
    assert find_config(deep) == tmp_path / "a" / "pyproject.toml"
    (tmp_path / "a" / ".repair.toml").write_text("threshold = 0.7\n")
    assert find_config(deep) == tmp_path / "a" / ".repair.toml"  # the dotfile wins in the same folder


def test_find_config_skips_a_pyproject_without_a_repair_table(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert find_config(inner) in (None, *[p / ".repair.toml" for p in tmp_path.parents])
    (tmp_path / "pyproject.toml").write_text("[tool.repair]\nquiet = true\n")
    assert find_config(inner) == tmp_path / "pyproject.toml"


def test_scalars_lists_and_booleans_become_arguments(tmp_path: Path) -> None:
    config = _config(tmp_path, 'threshold = 0.75\nformat = "json"\nquiet = true\nwordlist = ["news", "-odd"]\n')
    assert to_argv(config, "check", OPTIONS) == [
        "--threshold=0.75",
        "--format=json",
        "--quiet",
        "--wordlist=news",
        "--wordlist=-odd",
    ]
    assert to_argv(_config(tmp_path, "quiet = false\n"), "check", OPTIONS) == []


def test_pyproject_table_and_underscored_keys(tmp_path: Path) -> None:
    options = {"exit-zero": Option("--exit-zero", takes_value=False)}
    config = _config(tmp_path, "[project]\nname = 'x'\n[tool.repair]\nexit_zero = true\n", "pyproject.toml")
    assert to_argv(config, "check", options) == ["--exit-zero"]


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("a -> b\n")
    config = _config(tmp_path, 'wordlist = ["news", "mine.txt", "/abs/list.txt"]\n')
    assert to_argv(config, "check", OPTIONS) == [
        "--wordlist=news",
        f"--wordlist={tmp_path / 'mine.txt'}",
        "--wordlist=/abs/list.txt",
    ]


def test_command_sections_apply_to_their_command_only(tmp_path: Path) -> None:
    config = _config(tmp_path, 'threshold = 0.5\n[fix]\nthreshold = 0.9\n[check]\nformat = "json"\n')
    assert to_argv(config, "fix", OPTIONS) == ["--threshold=0.5", "--threshold=0.9"]
    assert to_argv(config, "check", OPTIONS) == ["--threshold=0.5", "--format=json"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("thresold = 0.5\n", "unknown key 'thresold'"),
        ("[fix]\nthresold = 0.5\n", "unknown key [check] 'thresold'"),
        ("in-place = true\n", "'in-place' can only be given on the command line"),
        ("threshold = [0.1, 0.2]\n", "threshold takes one value, not a list"),
        ("quiet = 1\n", "quiet must be true or false"),
        ("format = true\n", "format must be a string or a number, not bool"),
        ("wordlist = [{a = 1}]\n", "wordlist must be a string or a number"),
    ],
)
def test_bad_keys_are_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    config = _config(tmp_path, text.replace("[fix]", "[check]"))
    with pytest.raises(ConfigError) as caught:
        to_argv(config, "check", OPTIONS, cli_only={"in-place"})
    assert str(caught.value).startswith(f"{tmp_path / '.repair.toml'}: {message}")
    assert "\n" not in str(caught.value)


def test_keys_of_other_commands_are_skipped(tmp_path: Path) -> None:
    config = _config(tmp_path, "no-backup = true\nquiet = true\n")
    assert to_argv(config, "check", OPTIONS, elsewhere={"no-backup"}) == ["--quiet"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".repair.toml", "threshold = \n", "not valid TOML"),
        (".repair.toml", "[nonsense]\nx = 1\n", "unknown section 'nonsense'"),
        ("pyproject.toml", "[project]\nname = 'x'\n", "no [tool.repair] table"),
        ("pyproject.toml", "[tool]\nrepair = 3\n", "[tool.repair] must be a table"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")) as caught:
        _config(tmp_path, text, name)
    assert str(caught.value).startswith(str(tmp_path / name))
    assert "\n" not in str(caught.value)


def test_a_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "absent.toml", COMMANDS)
