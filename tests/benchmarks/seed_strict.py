"""Judge every edit `repair fix` makes on the spun seed against its hand-restored original (a benchmark).

    python tests/benchmarks/seed_strict.py

`repair eval` aligns sentence by sentence and leaves edits in stretches it cannot
align as "unjudged". The seed's gold is the same text with only the spins
undone, so here every applied edit is judged directly: an edit is right when
all the tokens it wrote sit in a stretch where the fixed text and the original
agree (token diff, case-insensitive, apostrophe style ignored).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from repair.core.engine import Engine, fix

ROOT = Path(__file__).resolve().parents[2]
SPUN = ROOT / "seeds" / "000_a86f99f445087a45.txt"
GOLD = ROOT / "tests" / "data" / "seed000.original.txt"
TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in TOKEN.finditer(text)]


def main() -> int:
    spun, original = SPUN.read_text(encoding="utf-8"), GOLD.read_text(encoding="utf-8")
    fixed, applied = fix(spun, Engine())
    spans, shift = [], 0
    for finding in sorted(applied, key=lambda f: f.start):
        start = finding.start + shift
        spans.append((start, start + len(finding.replacement), finding))
        shift += len(finding.replacement) - (finding.end - finding.start)
    out, gold = tokens(fixed), tokens(original)
    matcher = difflib.SequenceMatcher(None, [t[2] for t in out], [t[2] for t in gold], autojunk=False)
    agreed = {i for op, i1, i2, _, _ in matcher.get_opcodes() if op == "equal" for i in range(i1, i2)}
    wrong = []
    for start, end, finding in spans:
        written = [i for i, (a, b, _) in enumerate(out) if a < end and start < b]
        if not written or not all(i in agreed for i in written):
            wrong.append(f"{finding.spun!r} -> {finding.replacement!r} (line {finding.line})")
    right = len(spans) - len(wrong)
    print(f"seed 000: {len(spans)} edits, {right} right, precision {right / max(len(spans), 1):.3f}")
    for line in wrong:
        print(f"  wrong: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
