"""The scorer's learned numbers as one immutable value, read from and written to a model file.

`repair.tools.train` fits a `SpinModel` on spun pages and their originals
(scripts/build_model.py writes the shipped one, wordlists/model.json);
`repair.core.score` applies it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from repair.core.candidates import FEATURES
from repair.core.posterior import MixturePrior

MODEL_FILE = "model.json"
FINAL_FEATURES = ("local", "spin_rate", "posterior", "nearby", "lm", "certain", "log_rate")


def _logit(p: np.ndarray | float) -> Any:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class Linear:
    """A logistic model over named, standardised inputs."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_arrays", (np.array(self.mean), np.array(self.scale), np.array(self.coef)))

    def logits(self, x: np.ndarray) -> np.ndarray:
        mean, scale, coef = self._arrays
        return ((x - mean) / scale) @ coef + self.intercept

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Linear:
        return cls(
            tuple(data["features"]),
            tuple(map(float, data["mean"])),
            tuple(map(float, data["scale"])),
            tuple(map(float, data["coef"])),
            float(data["intercept"]),
        )


@dataclass(frozen=True)
class SpinModel:
    """Everything the scorer learned, as one immutable value (read from and written to a model file)."""

    local: Linear  # FEATURES -> is this option the original?
    base_rate: float  # share of right options among the local model's training rows
    prior: MixturePrior
    final: Linear  # FINAL_FEATURES -> is this option the original?
    certain: tuple[float, float]  # a certain spin's floor: sigmoid(intercept + slope * lm)
    calibration: tuple[tuple[float, ...], tuple[float, ...]]  # isotonic map: raw probability -> confidence
    auto: float  # a confidence at least this is safe to apply without a reviewer
    report: float  # `check` reports findings at least this confident by default
    thesaurus_rate: float  # the thesaurus is consulted where the document's spin rate is at least this
    notes: dict[str, Any] = field(default_factory=dict, compare=False)  # how and on what it was trained

    def __post_init__(self) -> None:
        names = [*FEATURES]
        unknown = set(self.local.features) - set(names)
        if unknown:
            raise ValueError(f"model names unknown features: {', '.join(sorted(unknown))}")
        if set(self.final.features) - set(FINAL_FEATURES):
            raise ValueError("final model names unknown features")

    def calibrate(self, p: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(p, xs, ys) if xs else p

    def to_dict(self) -> dict[str, object]:
        return {
            "format": 1,
            "local": self.local.to_dict(),
            "base_rate": self.base_rate,
            "prior": {
                "no_candidate_ratio": self.prior.no_candidate_ratio,
                "alpha": self.prior.alpha,
                "beta": self.prior.beta,
                "iterations": self.prior.iterations,
                **({"repeat_damping": self.prior.repeat_damping} if self.prior.repeat_damping else {}),
            },
            "final": self.final.to_dict(),
            "certain": list(self.certain),
            "calibration": [list(self.calibration[0]), list(self.calibration[1])],
            "thresholds": {"auto": self.auto, "report": self.report, "thesaurus": self.thesaurus_rate},
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpinModel:
        if data.get("format") != 1:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        t = data["thresholds"]
        return cls(
            local=Linear.from_dict(data["local"]),
            base_rate=float(data["base_rate"]),
            prior=MixturePrior(**data["prior"]),
            final=Linear.from_dict(data["final"]),
            certain=(float(data["certain"][0]), float(data["certain"][1])),
            calibration=(tuple(data["calibration"][0]), tuple(data["calibration"][1])),
            auto=float(t["auto"]),
            report=float(t["report"]),
            thesaurus_rate=float(t["thesaurus"]),
            notes=dict(data.get("notes", {})),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


def read_model(path: str | Path) -> SpinModel:
    return SpinModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def load_model() -> SpinModel:
    """The shipped model (wordlists/model.json), read once per process."""
    from repair.core.wordlists import wordlist_dir

    return read_model(wordlist_dir() / MODEL_FILE)
