"""The user data folder: a personal ignore list, a personal wordlist and key remaps.

The folder is `$REPAIR_HOME`, else `$XDG_DATA_HOME/repair`, else `~/.local/share/repair`.
It holds:

    ignore.txt     rule ids ("news:squaddie") or spun phrases, one a line; the Engine skips them
    user.txt       a wordlist in the project format (see `repair.core.wordlists`), kept sorted, no duplicates
    keys.toml      optional key remaps for the review app: `binding-id = "key[,key...]"`
    decisions/     review decisions kept out of the document's folder (`repair review --decisions-in user`)

Every write goes through `atomic_write_text`, so a crash leaves the old file or the new one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from repair.core.model import Entry, Safety
from repair.core.text import carry_case, phrase_key
from repair.core.wordlists import USER_LIST_NAME, Wordlist, WordlistError, parse, render
from repair.edge.documents import InputError, atomic_write_text, read_text_file

IGNORE_HEADER = "# repair ignore list: rule ids or spun phrases the engine skips (one a line, sorted)\n"
USER_LIST_HEADER = "# repair user wordlist: fixes saved from `repair review` (format: see repair/core/wordlists.py)\n"


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """The user data folder (not created here)."""
    env = os.environ if environ is None else environ
    if env.get("REPAIR_HOME"):
        return Path(env["REPAIR_HOME"]).expanduser()
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]).expanduser() / "repair"
    return Path.home() / ".local" / "share" / "repair"


@dataclass(frozen=True, slots=True)
class UserData:
    """Reads and writes the files in one user data folder."""

    home: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UserData:
        return cls(data_home(environ))

    @property
    def ignore_path(self) -> Path:
        return self.home / "ignore.txt"

    @property
    def wordlist_path(self) -> Path:
        return self.home / "user.txt"

    @property
    def keymap_path(self) -> Path:
        return self.home / "keys.toml"

    @property
    def decisions_dir(self) -> Path:
        return self.home / "decisions"

    def _ensure_home(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{self.home}: cannot create the user data folder ({exc.strerror or exc})") from None

    # ------------------------------------------------------------ ignore list

    def load_ignore(self) -> frozenset[str]:
        """Rule ids and spun phrases to skip; empty when the file does not exist."""
        if not os.path.lexists(self.ignore_path):
            return frozenset()
        text = read_text_file(self.ignore_path, "ignore list")
        items = (line.strip() for line in text.splitlines())
        return frozenset(item for item in items if item and not item.startswith("#"))

    def _write_ignore(self, items: frozenset[str]) -> None:
        self._ensure_home()
        atomic_write_text(self.ignore_path, IGNORE_HEADER + "".join(f"{item}\n" for item in sorted(items)))

    def add_ignore(self, item: str) -> bool:
        """Add a rule id or spun phrase; False when it was already there."""
        item = item.strip()
        items = self.load_ignore()
        if not item or item in items:
            return False
        self._write_ignore(items | {item})
        return True

    def remove_ignore(self, item: str) -> bool:
        items = self.load_ignore()
        if item not in items:
            return False
        self._write_ignore(items - {item})
        return True

    # ------------------------------------------------------------ user wordlist

    def load_wordlist(self) -> Wordlist | None:
        """The user wordlist, or None when there is none yet."""
        if not os.path.lexists(self.wordlist_path):
            return None
        text = read_text_file(self.wordlist_path, "wordlist file")
        try:
            return parse(text, name=USER_LIST_NAME, path=str(self.wordlist_path))
        except WordlistError as exc:
            raise InputError(str(exc)) from None

    def _write_wordlist(self, entries: list[Entry]) -> None:
        self._ensure_home()
        atomic_write_text(self.wordlist_path, render(entries, USER_LIST_HEADER))

    def add_entry(self, spun: str, original: str, safety: Safety = Safety.AUTO) -> Entry | None:
        """Record `spun -> original`; returns the entry written, or None if nothing changed.

        The spun side is stored in matching form; the original is stored in lower case
        when that is just the spun text's case carried over ("Would possibly" -> "May"
        is stored as "would possibly -> may"), so later matches get their own case.
        An existing entry for the same phrase gets the new original first.
        """
        key = " ".join(phrase_key(spun))
        original = " ".join(original.split())
        if not key or not original or " ".join(phrase_key(original)) == key:
            return None
        if carry_case(spun, original.lower()) == original:
            original = original.lower()
        if safety is Safety.FLAG:
            safety = Safety.CHOOSE
        current = self.load_wordlist()
        entries = list(current.entries) if current else []
        for i, entry in enumerate(entries):
            if entry.spun == key and not entry.conditions:
                if entry.originals[:1] == (original,):
                    return None
                others = tuple(o for o in entry.originals if o != original)
                entries[i] = replace(entry, originals=(original, *others))
                self._write_wordlist(entries)
                return entries[i]
        new = Entry(spun=key, originals=(original,), safety=safety, source=USER_LIST_NAME)
        self._write_wordlist([*entries, new])
        return new

    def restore_entry(self, spun: str, previous: Entry | None) -> None:
        """Put the unconditional entry for `spun` back as it was (undo of `add_entry`)."""
        current = self.load_wordlist()
        entries = [e for e in (current.entries if current else ()) if e.spun != spun or e.conditions]
        if previous is not None:
            entries.append(previous)
        self._write_wordlist(entries)

    def find_entry(self, spun: str) -> Entry | None:
        key = " ".join(phrase_key(spun))
        current = self.load_wordlist()
        for entry in current.entries if current else ():
            if entry.spun == key and not entry.conditions:
                return entry
        return None

    # ------------------------------------------------------------ keys

    def load_keymap(self) -> dict[str, str]:
        """Binding id -> keys, from keys.toml (absent file: no remaps)."""
        if not os.path.lexists(self.keymap_path):
            return {}
        import tomllib  # only where there is a key map: start-up time otherwise

        try:
            data = tomllib.loads(read_text_file(self.keymap_path, "key map", 1024 * 1024))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{self.keymap_path}: cannot read ({exc})") from None
        keymap: dict[str, str] = {}
        for name, keys in data.items():
            if not isinstance(keys, str) or not keys.strip():
                raise InputError(f'{self.keymap_path}: {name} must be a string of keys, e.g. {name} = "n,down"')
            keymap[name] = keys.strip()
        return keymap
