#!/usr/bin/env python3
"""Check a `spark_scan.py` output against `triage filter` run locally, one process per input.

Every input record must be in the Spark outputs exactly once, in the folder of its action, with the
very line a local `triage filter --no-campaigns --source INPUT < INPUT` writes for it. Records are
matched by `id` (records without one get `INPUT:LINE` from both runs), error records by their source
and line. On a mismatch the checker says which record and which of action, score and findings differ,
and exits 1.

    check_spark_scan.py --out OUT --triage TRIAGE --lexicons DIR INPUT...
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

QUEUES = ("allow", "review", "block", "errors")
# The fields a mismatch report names first: what a moderator would see change.
VERDICT_FIELDS = ("action", "queue", "score", "findings", "categories")


def key(record: dict[str, Any]) -> str:
    """The identity of an output record: its id, or for an error record its source and line."""
    if "error" in record:
        return f"error {record['error']['source']}:{record['error']['line']}"
    return f"id {record['id']}"


def queue_of(record: dict[str, Any]) -> str:
    """The output folder a record belongs in."""
    return "errors" if "error" in record else record["moderation"]["action"]


def local_verdicts(triage: str, lexicons: str, inputs: Iterable[str]) -> dict[str, str]:
    """Runs `triage filter` on each input and returns every output line by record key."""
    expected: dict[str, str] = {}
    for source in inputs:
        with open(source, "rb") as stdin:
            result = subprocess.run(
                [triage, "filter", "--lexicons", lexicons, "--no-campaigns", "--source", source],
                stdin=stdin,
                capture_output=True,
                check=False,
            )
        if result.returncode not in (0, 1):
            sys.exit(f"check: local triage filter failed on {source} ({result.returncode}): {result.stderr!r}")
        for line in result.stdout.decode("utf-8").splitlines():
            record_key = key(json.loads(line))
            if record_key in expected:
                sys.exit(f"check: {record_key} appears twice in the input; the check needs unique ids")
            expected[record_key] = line
    return expected


def spark_verdicts(out: Path) -> tuple[dict[str, str], list[str]]:
    """Reads the Spark outputs; returns lines by key and the problems found (duplicates, wrong folder)."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for queue in QUEUES:
        for part in sorted((out / queue).glob("part-*")):
            for line in part.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                record_key = key(record)
                if queue_of(record) != queue:
                    problems.append(f"{record_key}: in {queue}/, but its verdict is {queue_of(record)}")
                if record_key in found:
                    problems.append(f"{record_key}: written twice")
                found[record_key] = line
    return found, problems


def differences(expected: str, actual: str) -> str:
    """Names what differs between two output lines for one record."""
    left, right = json.loads(expected), json.loads(actual)
    moderation_left, moderation_right = left.get("moderation", {}), right.get("moderation", {})
    fields = [f for f in VERDICT_FIELDS if moderation_left.get(f) != moderation_right.get(f)]
    fields += [f"moderation.{f}" for f in sorted(set(moderation_left) | set(moderation_right)) if f not in fields
               and f not in VERDICT_FIELDS and moderation_left.get(f) != moderation_right.get(f)]
    fields += [f for f in sorted(set(left) | set(right)) if f != "moderation" and left.get(f) != right.get(f)]
    details = "; ".join(f"{f}: local {moderation_left.get(f, left.get(f))!r}, spark "
                        f"{moderation_right.get(f, right.get(f))!r}" for f in fields[:3])
    return details or "the bytes differ (field order or number formatting)"


def check_summary(out: Path, expected: dict[str, str]) -> list[str]:
    """Compares summary.json's counts per action with the local verdicts'."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    counts = Counter(queue_of(json.loads(line)) for line in expected.values())
    problems = []
    for action in ("allow", "review", "block"):
        if summary["actions"].get(action) != counts[action]:
            problems.append(f"summary.json: {action} {summary['actions'].get(action)}, expected {counts[action]}")
    if summary["errors"] != counts["errors"] or summary["records"] != len(expected):
        problems.append(f"summary.json: {summary['records']} records, {summary['errors']} errors; expected "
                        f"{len(expected)}, {counts['errors']}")
    return problems


def main(argv: Sequence[str]) -> int:
    """Runs the check; prints the problems (the first 20) and returns 1 if there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", metavar="INPUT")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--triage", required=True)
    parser.add_argument("--lexicons", required=True)
    arguments = parser.parse_args(argv)
    expected = local_verdicts(arguments.triage, arguments.lexicons, arguments.inputs)
    found, problems = spark_verdicts(arguments.out)
    problems += [f"{k}: missing from the Spark outputs" for k in expected.keys() - found.keys()]
    problems += [f"{k}: in the Spark outputs but not in the input" for k in found.keys() - expected.keys()]
    problems += [f"{k}: {differences(line, found[k])}" for k, line in expected.items()
                 if k in found and found[k] != line]
    problems += check_summary(arguments.out, expected)
    if problems:
        print(f"check: FAILED: {len(problems)} problems over {len(expected)} records", file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    counts = Counter(queue_of(json.loads(line)) for line in expected.values())
    print(f"check: {len(expected)} records, each once and byte-identical to local triage filter "
          f"({', '.join(f'{counts[q]} {q}' for q in QUEUES)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
