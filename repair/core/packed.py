"""Many strings kept compact: their UTF-8 back to back in one `bytes`, in sorted order, found by bisection.

A Python set or dict of 100,000s of short strings costs ~60-100 bytes a string; this
costs the string's bytes and 4 for where it starts. A lookup is ~18 slices and
comparisons in Python (microseconds): fine for the words of a document.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Iterator, Mapping


class SortedStrings:
    """An immutable sorted set of strings; `index(s)` is its rank, or None."""

    __slots__ = ("_joined", "_starts")

    def __init__(self, joined: bytes, starts: bytes) -> None:
        self._joined = joined  # UTF-8 of every string in sorted order, back to back
        self._starts = array("I")  # where each starts, then len(joined)
        self._starts.frombytes(starts)

    @classmethod
    def of(cls, strings: Iterable[str]) -> SortedStrings:
        return cls.of_sorted_utf8(sorted({s.encode() for s in strings}))  # UTF-8's order is the characters'

    @classmethod
    def of_sorted_utf8(cls, encoded: list[bytes]) -> SortedStrings:
        """From distinct UTF-8 strings already in sorted order."""
        return cls(b"".join(encoded), array("I", itertools.accumulate(map(len, encoded), initial=0)).tobytes())

    def parts(self) -> tuple[bytes, bytes]:
        """What `SortedStrings(*parts)` is made from (to keep it with marshal)."""
        return self._joined, self._starts.tobytes()

    def index(self, string: str) -> int | None:
        key, joined, starts = string.encode(), self._joined, self._starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if joined[starts[mid] : starts[mid + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(starts) - 1 and joined[starts[lo] : starts[lo + 1]] == key:
            return lo
        return None

    def __getitem__(self, i: int) -> str:
        return self._joined[self._starts[i] : self._starts[i + 1]].decode()

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


class SortedMap(Mapping[str, str]):
    """An immutable mapping of strings to ASCII strings: the keys a `SortedStrings`, the values one string.

    Values must be ASCII (one byte a character in a `str`); a `KeyError`-free `get` for the hot path.
    """

    __slots__ = ("_keys", "_starts", "_values")

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        pairs = sorted((k.encode(), v) for k, v in dict(items).items())
        self._keys = SortedStrings.of_sorted_utf8([k for k, _ in pairs])
        self._values = "".join(v for _, v in pairs)
        if not self._values.isascii():
            raise ValueError("SortedMap keeps ASCII values only")
        self._starts = array("I", itertools.accumulate((len(v) for _, v in pairs), initial=0))

    def parts(self) -> tuple[bytes, bytes, str, bytes]:
        """What `SortedMap.of_parts` is made from (to keep it with marshal)."""
        return (*self._keys.parts(), self._values, self._starts.tobytes())

    @classmethod
    def of_parts(cls, keys: bytes, key_starts: bytes, values: str, value_starts: bytes) -> SortedMap:
        made = cls(())
        made._keys = SortedStrings(keys, key_starts)
        made._values = values
        made._starts = array("I")
        made._starts.frombytes(value_starts)
        return made

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        i = self._keys.index(key) if isinstance(key, str) else None
        return default if i is None else self._values[self._starts[i] : self._starts[i + 1]]

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._keys.index(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
