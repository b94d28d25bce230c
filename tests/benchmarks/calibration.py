"""Fit the scorer's logistic weights on the tuning split of the development pairs.

    python tests/benchmarks/calibration.py [--pairs ../shared/devpairs/raw] [--write]

Every finding the engine makes on a tuning pair's spun text is labelled by the
alignment with its original (right: it restores the original's words; wrong:
it does not); every finding on a tuning original is a negative (clean text).
The report split is never read. With --write the weights are written into
repair/core/score.py; without it they are only printed, with a calibration table.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tomllib
from pathlib import Path

from repair.core.engine import Engine
from repair.core.score import FEATURES, WEIGHTS, LogisticScorer, features, probability
from repair.tools.align import align
from repair.tools.evaluate import judge, split_file

REPO = Path(__file__).resolve().parents[2]
L2 = 0.5  # ridge penalty: the tuning set is small


class _Recorder(LogisticScorer):
    """Scores as usual and keeps each match's features by span.

    Keyed by span, not kept in order: a vetoed match that is not confident
    enough is scored but never becomes a finding.
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[tuple[int, int], dict[str, float]] = {}

    def _one(self, m, context):  # type: ignore[no-untyped-def]
        self.rows[(m.start, m.end)] = features(m, context)
        return super()._one(m, context)


def samples(pairs: Path) -> list[tuple[dict[str, float], int]]:
    split = tomllib.loads((split_file()).read_text(encoding="utf-8"))
    data: list[tuple[dict[str, float], int]] = []
    for name in split["tune"]:
        spun = (pairs / f"{name}.spun.txt").read_text(encoding="utf-8")
        original = (pairs / f"{name}.orig.txt").read_text(encoding="utf-8")
        recorder = _Recorder()
        engine = Engine(scorer=recorder)
        findings = engine.scan(spun)
        verdicts, _ = judge(spun, align(spun, original), findings)
        for finding, verdict in zip(findings, verdicts, strict=True):
            if verdict.status != "unjudged":
                data.append((recorder.rows[(finding.start, finding.end)], int(verdict.status == "right")))
        recorder.rows.clear()
        data.extend((recorder.rows[(f.start, f.end)], 0) for f in engine.scan(original))
    return data


def fit(data: list[tuple[dict[str, float], int]], iterations: int = 3000, rate: float = 0.05) -> dict[str, float]:
    """Ridge-penalised logistic regression by gradient descent (no numeric library needed)."""
    w = dict.fromkeys(FEATURES, 0.0)
    n = len(data)
    for _ in range(iterations):
        grad = dict.fromkeys(FEATURES, 0.0)
        for x, y in data:
            err = probability(x, w) - y
            for f in FEATURES:
                grad[f] += err * x[f]
        for f in FEATURES:
            penalty = 0.0 if f == "bias" else L2 * w[f]
            w[f] -= rate * (grad[f] / n + penalty / n)
    return {f: round(v, 3) for f, v in w.items()}


def table(data: list[tuple[dict[str, float], int]], w: dict[str, float]) -> None:
    buckets: dict[int, list[int]] = {}
    for x, y in data:
        buckets.setdefault(min(9, int(probability(x, w) * 10)), []).append(y)
    print("confidence  findings  right")
    for b in sorted(buckets):
        ys = buckets[b]
        print(f"{b / 10:.1f}-{(b + 1) / 10:.1f}     {len(ys):8}  {sum(ys) / len(ys):.3f}")
    loss = -sum(math.log(max(1e-9, p if y else 1 - p)) for x, y in data for p in [probability(x, w)]) / len(data)
    print(f"log-loss {loss:.4f} on {len(data)} findings ({sum(y for _, y in data)} right)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=REPO.parent / "shared" / "devpairs" / "raw")
    parser.add_argument("--write", action="store_true", help="write the weights into repair/core/score.py")
    args = parser.parse_args()
    if not args.pairs.is_dir():
        print(f"calibrate: {args.pairs}: no such folder", file=sys.stderr)
        return 2
    data = samples(args.pairs)
    print("current weights:")
    table(data, WEIGHTS)
    weights = fit(data)
    print("fitted weights:", weights)
    table(data, weights)
    if args.write:
        path = REPO / "repair" / "core" / "score.py"
        source = path.read_text(encoding="utf-8")
        body = "".join(f'    "{f}": {weights[f]},\n' for f in FEATURES)
        source = re.sub(
            r"WEIGHTS: dict\[str, float\] = \{\n.*?\n\}",
            f"WEIGHTS: dict[str, float] = {{\n{body}}}",
            source,
            flags=re.S,
        )
        path.write_text(source, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
