"""Machine formats of `repair check` for CI: SARIF 2.1.0 (`--format sarif`) and GitHub annotations (`github`).

SARIF: one run, tool driver `repair`, a rule per rule id met, a result per finding:
level by safety (auto: error, choose: warning, flag: note), rank = confidence x 100,
message = the reason, properties = confidence, safety and suggestions; a region with
1-based lines and columns, `endColumn` one past the last character, as the spec has
it, counted in Unicode code points (declared in `run.columnKind`); one fix per
suggestion (none for flag findings, never to be applied); `partialFingerprints` from
the finding's key (content and context, not position), so alerts survive edits.

GitHub: one workflow command a finding, `::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=T::MESSAGE`;
the message escapes % CR LF, properties also : and , (or a comma in a path would end
the property early). GitHub shows at most 10 annotations of each level per step, so a
large run should upload SARIF instead.

The per-file parts (`sarif_results`, `github_line`) are made where the file was scanned
(in a worker with -j N); `SarifStream` writes the log in the parent as they come, so a
run's results are never all held at once (`sarif_log` builds the same log as one object).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from repair.core.model import Finding, Safety
from repair.edge.reporting import worded_reason

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS: Mapping[Safety, str] = {Safety.AUTO: "error", Safety.CHOOSE: "warning", Safety.FLAG: "note"}
GITHUB_COMMANDS: Mapping[Safety, str] = {Safety.AUTO: "error", Safety.CHOOSE: "warning", Safety.FLAG: "notice"}


def region(finding: Finding) -> dict[str, int]:
    """1-based start and end (exclusive) of a finding, from its line and column and the text it spans."""
    spun = finding.spun
    breaks = spun.count("\n")
    end_column = finding.column + len(spun) if not breaks else len(spun) - spun.rfind("\n")
    return {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.line + breaks,
        "endColumn": end_column,
    }


def artifact_uri(path: str) -> tuple[str, bool]:
    """A URI for a path and whether it is relative to %SRCROOT%."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri(), False
    return quote(PurePosixPath(*p.parts).as_posix(), safe="/"), True


def _message(finding: Finding) -> str:
    return worded_reason(finding.reason) or f"'{finding.spun}' looks spun"


def sarif_results(path: str, findings: Sequence[Finding]) -> tuple[dict[str, Any], ...]:
    """One file's SARIF results, without their rule index (set by `sarif_log`)."""
    uri, relative = artifact_uri(path)
    location: dict[str, Any] = {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})}
    results = []
    for f in findings:
        where = region(f)
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": SARIF_LEVELS[f.safety],
            "message": {"text": _message(f)},
            "locations": [
                {"physicalLocation": {"artifactLocation": location, "region": {**where, "snippet": {"text": f.spun}}}}
            ],
            "partialFingerprints": {"repairContext/v1": f.key},
            "rank": round(100 * min(1.0, max(0.0, f.confidence)), 1),
            "properties": {
                "confidence": round(f.confidence, 4),
                "safety": f.safety.value,
                "suggestions": list(f.suggestions),
            },
        }
        if f.safety is not Safety.FLAG and f.suggestions:
            result["fixes"] = [
                {
                    "description": {"text": f"Replace '{f.spun}' with '{s}'"},
                    "artifactChanges": [
                        {
                            "artifactLocation": location,
                            "replacements": [{"deletedRegion": dict(where), "insertedContent": {"text": s}}],
                        }
                    ],
                }
                for s in f.suggestions
            ]
        results.append(result)
    return tuple(results)


def _rule(result: Mapping[str, Any]) -> dict[str, Any]:
    spun = result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
    originals = ", ".join(f"'{s}'" for s in result["properties"]["suggestions"]) or "no suggestion"
    return {
        "id": result["ruleId"],
        "shortDescription": {"text": f"spun wording '{' '.join(spun.lower().split())}'"},
        "help": {
            "text": f"'{spun}' is a substitution article spinners make; the original wording is probably {originals}. "
            "auto findings are safe to fix in batch (repair fix), choose findings need a reviewer to pick "
            "(repair review), flag findings are shown with a reason and never fixed."
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["spinning", "wording"]},
    }


def sarif_log(
    files: Iterable[tuple[str, Sequence[Mapping[str, Any]], Mapping[str, Any] | None]],
    *,
    version: str,
    root: str | None = None,
    successful: bool = True,
) -> dict[str, Any]:
    """The SARIF log of one run: (path, its results from `sarif_results`, its properties or None) per file.

    The run's keys come in the order `SarifStream` writes them: its results first.
    """
    log = _SarifRun(version, root)
    results = [r for path, file_results, properties in files for r in log.add(path, file_results, properties)]
    return log.log(results, successful)


class _SarifRun:
    """The rules and artifacts of a run, gathered as its files' results come."""

    def __init__(self, version: str, root: str | None) -> None:
        self.version, self.root = version, root
        self.rules: list[dict[str, Any]] = []
        self.rule_index: dict[str, int] = {}
        self.artifacts: list[dict[str, Any]] = []

    def add(
        self, path: str, file_results: Sequence[Mapping[str, Any]], properties: Mapping[str, Any] | None
    ) -> list[dict[str, Any]]:
        """Note a file (its artifact) and return its results with their rule index."""
        uri, relative = artifact_uri(path)
        artifact: dict[str, Any] = {"location": {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})}}
        if properties:
            artifact["properties"] = dict(properties)
        self.artifacts.append(artifact)
        return self.results(file_results)

    def results(self, file_results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for result in file_results:
            rule = result["ruleId"]
            if rule not in self.rule_index:
                self.rule_index[rule] = len(self.rules)
                self.rules.append(_rule(result))
            out.append({**result, "ruleIndex": self.rule_index[rule]})
        return out

    def rest(self, successful: bool) -> dict[str, Any]:
        """The run's keys after its results."""
        return {
            "tool": {"driver": {"name": "repair", "version": self.version, "rules": self.rules}},
            "artifacts": self.artifacts,
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": successful}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(self.root or ".").resolve().as_uri() + "/"}},
        }

    def log(self, results: list[dict[str, Any]], successful: bool) -> dict[str, Any]:
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [{"results": results, **self.rest(successful)}]}


class SarifStream:
    """A SARIF log written as the run goes: each result when its file (or block of a file) is done.

    The text is exactly `json.dumps(sarif_log(...), indent=1, ensure_ascii=False)` and a line
    break: the results come first in the run (JSON objects are unordered), so the rules and
    artifacts, which are known only at the end, follow them.
    """

    def __init__(self, out: TextIO, *, version: str, root: str | None = None) -> None:
        self.out = out
        self.run = _SarifRun(version, root)
        self.written = 0
        head = json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0"}, indent=1)[:-2]
        out.write(f'{head},\n "runs": [\n  {{\n   "results": [')

    def results(self, file_results: Sequence[Mapping[str, Any]]) -> None:
        """Write results of the file being scanned (`sarif_results`), before `file` notes it."""
        for result in self.run.results(file_results):
            text = json.dumps(result, indent=1, ensure_ascii=False).replace("\n", "\n    ")
            self.out.write(f"{',' if self.written else ''}\n    {text}")
            self.written += 1

    def file(self, path: str, properties: Mapping[str, Any] | None) -> None:
        """Note a file whose results were written (or that has properties: its risk score) as an artifact."""
        self.run.add(path, (), properties)

    def close(self, successful: bool) -> None:
        rest = json.dumps(self.run.rest(successful), indent=1, ensure_ascii=False)
        inner = rest[2:-2].replace("\n", "\n  ")  # the keys, one level deeper than in their own object
        self.out.write(f"{chr(10) + '   ' if self.written else ''}],\n  {inner}\n  }}\n ]\n}}\n")


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, finding: Finding) -> str:
    """One GitHub Actions workflow command (no newline) for a finding."""
    where = region(finding)
    props = {
        "file": path,
        "line": where["startLine"],
        "endLine": where["endLine"],
        "col": where["startColumn"],
        "endColumn": where["endColumn"],
        "title": f"repair {finding.rule}",
    }
    head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    arrow = f" → {' / '.join(finding.suggestions)}" if finding.suggestions else ""
    details = f"confidence {finding.confidence:.2f}, {finding.safety.value}"
    message = f"'{finding.spun}'{arrow} ({details}): {_message(finding)}"
    return f"::{GITHUB_COMMANDS[finding.safety]} {head}::{escape_data(message)}"


def github_notice(path: str, message: str) -> str:
    """A file-level notice (the tortured-phrase risk score)."""
    return f"::notice file={escape_property(path)},title=repair risk::{escape_data(message)}"
