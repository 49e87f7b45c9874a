#!/usr/bin/env python3
"""Scan JSON Lines dumps with Triage on Apache Spark: `triage scan`, past one machine.

Every partition of the input is piped through `triage filter` on an executor (`RDD.pipe`), so each
record gets exactly the verdict a local `triage filter` gives it. The verdicts are written split by
action, like `triage scan` does, and Spark counts them for `summary.json`:

    OUT/allow/  OUT/review/  OUT/block/  OUT/errors/   part files of verdict lines (JSONL)
    OUT/summary.json                                  counts per action, category and queue
                                                      (OUT/summary/part-* when OUT is not local)

Decisions worth knowing:

- The lexicons folder is packed on the driver and shipped with `SparkContext.addArchive` (what
  `--archives` does); each task passes its unpacked copy to `triage filter --lexicons`, so nothing
  depends on the executor's working directory or on lexicons installed there. The folder keeps its
  name, so findings cite `lexicons/hate.yml:14` as they do locally. An archive (`.tar.gz`, `.tgz`,
  `.zip`; local or any Hadoop URI) holding the folder works too: `tar czf lexicons.tgz lexicons`.
- Campaign grouping (near-identical posts from different authors) depends on which records share a
  process, so it is off by default (`--no-campaigns`); with `--campaigns`, posts are grouped within
  each partition only, and campaign ids differ from a one-process run.
- `triage filter` exits 1 when some lines were unreadable: those lines are error records in the
  output (`OUT/errors/`), so the partition succeeded. Any other non-zero status (2: no lexicons, a
  bad rule, a bad overlay) fails the task, and Spark fails the job.
- Each partition is named after its input and its first line (`--source`, `--first-line`), so error
  records, stderr messages and the default ids of records without an `id` say `FILE:LINE` exactly as
  a local `triage filter --source FILE < FILE` does. Numbering costs one counting pass over an input
  split into several partitions (`RDD.zipWithIndex`). An input that is a folder or a glob is one
  source: its lines are numbered across its files, in the order Hadoop lists them.
- Lines are split on `\\n` only (as `triage filter` does) and read as UTF-8; a line that is not valid
  UTF-8 reaches triage with U+FFFD in place of the bad bytes, so it is moderated rather than becoming
  an "invalid UTF-8" error record as it would locally.

Run `spark_scan.py --help` for the options; the README's "Scanning at scale" has cluster examples.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlparse

from pyspark import RDD, SparkContext, SparkFiles, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

QUEUES = ("allow", "review", "block", "errors")

# Runs on an executor, once per partition, as `sh -c SCRIPT triage-partition TRIAGE LEXICONS OVERLAY
# FILTER-ARGS...`. Its first input line is the header `with_header` put there: the partition's first
# line number, the executor's SparkFiles root and the source name, separated by tabs; `read` takes
# exactly that line from the pipe and leaves the records for triage. LEXICONS and OVERLAY are relative
# to the SparkFiles root (OVERLAY empty when there is none).
PARTITION_SCRIPT = r"""
triage=$1 lexicons=$2 overlay=$3
shift 3
tab=$(printf "\t")
IFS=$tab read -r first root source || exit 0  # an empty partition: nothing to moderate
if [ -n "$overlay" ]; then set -- --policy-overlay "$root/$overlay" "$@"; fi
"$triage" filter --lexicons "$root/$lexicons" --source "$source" --first-line "$first" "$@"
status=$?
# 1: some lines were not readable records; they are error records in the output, and the rest is there.
if [ "$status" -le 1 ]; then exit 0; fi
echo "triage-spark: triage filter exited $status on $source from line $first" >&2
exit "$status"
"""

# The part of each verdict the summary counts; `from_json` ignores every other field.
VERDICT_SCHEMA = T.StructType(
    [
        T.StructField("error", T.StructType([T.StructField("reason", T.StringType())])),
        T.StructField(
            "moderation",
            T.StructType(
                [
                    T.StructField("action", T.StringType()),
                    T.StructField("queue", T.StringType()),
                    T.StructField("categories", T.MapType(T.StringType(), T.DoubleType())),
                    T.StructField("policy", T.StringType()),
                    T.StructField("engine", T.StringType()),
                ]
            ),
        ),
    ]
)


class SetupError(Exception):
    """A problem found on the driver before any task runs (a missing lexicons folder, an existing --out)."""


class UsageExitParser(argparse.ArgumentParser):
    """An argument parser that exits 64 (`EX_USAGE`) on a usage mistake, as `triage` does."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(64, f"{self.prog}: error: {message}\n")


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parses the command line; the options mirror `triage scan` and pass through to `triage filter`."""
    parser = UsageExitParser(
        prog="spark_scan.py",
        description="Moderate JSON Lines dumps with `triage filter` on every Spark executor.",
        epilog="Exit status: 0 done (error records included); 1 a task failed (see the executor logs); "
        "2 could not start; 64 a usage mistake.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL files: local paths or Hadoop URIs")
    parser.add_argument("--out", required=True, help="output folder (local or Hadoop URI); must not exist")
    parser.add_argument(
        "--lexicons",
        default=os.environ.get("TRIAGE_LEXICONS"),
        help="the lexicons folder on the driver, or an archive holding it (default: $TRIAGE_LEXICONS)",
    )
    parser.add_argument("--policy-overlay", metavar="FILE", help="a policy overlay, shipped to every executor")
    parser.add_argument(
        "--triage",
        default="triage",
        help="the triage executable on the executors: a name looked up on PATH (default: triage) or a path",
    )
    parser.add_argument(
        "--campaigns",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="group near-identical posts within each partition (default: off; see the module docstring)",
    )
    parser.add_argument("--redact", action="store_true", help="replace personal data in the emitted text")
    parser.add_argument("--max-record-bytes", type=int, help="lines longer than this become error records")
    parser.add_argument("--jobs", type=int, help="triage worker threads per task (default: spark.task.cpus)")
    parser.add_argument("--min-partitions", type=int, help="split each input into at least this many partitions")
    arguments = parser.parse_args(argv)
    if not arguments.lexicons:
        parser.error("--lexicons is required (or set TRIAGE_LEXICONS)")
    return arguments


def is_local(uri: str) -> bool:
    """Whether `uri` names a path on this machine (no scheme, or `file:`)."""
    return urlparse(uri).scheme in ("", "file")


def local_path(uri: str) -> Path:
    """The local path of a `file:` URI or a plain path."""
    return Path(urlparse(uri).path if uri.startswith("file:") else uri)


def pack_lexicons(lexicons: str, scratch: Path) -> tuple[str, str]:
    """Returns the archive to ship and the lexicons folder's path inside it once unpacked.

    A local folder is packed as `NAME.tgz` holding `NAME/` (its name is what findings cite); anything
    else is taken to be such an archive already, shipped as it is.
    """
    if is_local(lexicons) and local_path(lexicons).is_dir():
        folder = local_path(lexicons).resolve()
        if not (folder / "policy.yml").is_file():
            raise SetupError(f"{lexicons}: not a lexicons folder (no policy.yml)")
        archive = scratch / f"{folder.name}.tgz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
        return str(archive), f"{archive.name}/{folder.name}"
    if is_local(lexicons) and not local_path(lexicons).exists():
        raise SetupError(f"{lexicons}: no such lexicons folder or archive")
    name = os.path.basename(urlparse(lexicons).path)
    stem = name.removesuffix(".zip").removesuffix(".tgz").removesuffix(".tar.gz")
    return lexicons, f"{name}/{stem}"


def filter_arguments(arguments: argparse.Namespace, task_cpus: int) -> list[str]:
    """The `triage filter` options every task passes on, after --lexicons, --source and --first-line."""
    options = ["--jobs", str(arguments.jobs or task_cpus)]
    if not arguments.campaigns:
        options.append("--no-campaigns")
    if arguments.redact:
        options.append("--redact")
    if arguments.max_record_bytes is not None:
        options += ["--max-record-bytes", str(arguments.max_record_bytes)]
    return options


def with_header(source: str) -> Callable[[Iterator[tuple[str, int]]], Iterator[str]]:
    """Returns a partition function that puts the header `PARTITION_SCRIPT` reads before the lines.

    It runs on the executor, where `SparkFiles.getRootDirectory()` is where the shipped files are.
    """

    def add(records: Iterator[tuple[str, int]]) -> Iterator[str]:
        first = next(records, None)
        if first is None:
            return
        line, index = first
        yield f"{index + 1}\t{SparkFiles.getRootDirectory()}\t{source}"
        yield line
        for line, _ in records:
            yield line

    return add


def read_inputs(sc: SparkContext, inputs: Sequence[str], min_partitions: int | None) -> RDD[str]:
    """Reads every input as lines, each partition headed for `PARTITION_SCRIPT`."""
    parts = []
    for source in inputs:
        lines = sc.textFile(source, minPartitions=min_partitions)
        parts.append(lines.zipWithIndex().mapPartitions(with_header(source), preservesPartitioning=True))
    return sc.union(parts)


def summarize(verdicts: DataFrame) -> dict[str, Any]:
    """Counts the verdicts per action, category and review queue, with Spark."""
    queue_counts = {row["kind"]: row["count"] for row in verdicts.groupBy("kind").count().collect()}
    categories = (
        verdicts.where(F.col("kind") != "errors")
        .select(F.explode(F.map_keys("moderation.categories")).alias("category"))
        .groupBy("category")
        .count()
        .collect()
    )
    queues = (
        verdicts.where(F.col("moderation.queue").isNotNull())
        .groupBy(F.col("moderation.queue").alias("queue"))
        .count()
        .collect()
    )
    policies = verdicts.select("moderation.policy", "moderation.engine").distinct().collect()
    return {
        "records": sum(queue_counts.values()),
        "actions": {action: queue_counts.get(action, 0) for action in ("allow", "review", "block")},
        "errors": queue_counts.get("errors", 0),
        "categories": dict(sorted((row["category"], row["count"]) for row in categories)),
        "queues": dict(sorted((row["queue"], row["count"]) for row in queues)),
        "policy": sorted({row["policy"] for row in policies if row["policy"]}),
        "engine": sorted({row["engine"] for row in policies if row["engine"]}),
    }


def input_bytes(inputs: Sequence[str]) -> int | None:
    """The inputs' total size when they are all local files, for the throughput figure; else None."""
    if not all(is_local(source) and local_path(source).is_file() for source in inputs):
        return None
    return sum(local_path(source).stat().st_size for source in inputs)


def write_summary(spark: SparkSession, out: str, summary: dict[str, Any]) -> None:
    """Writes `summary.json` into a local --out, or `summary/` through Spark into any other."""
    text = json.dumps(summary, indent=2, sort_keys=True)
    if is_local(out):
        (local_path(out) / "summary.json").write_text(text + "\n", encoding="utf-8")
    else:
        spark.createDataFrame([(text,)], "value string").coalesce(1).write.text(out.rstrip("/") + "/summary")


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    """Runs the scan and returns its summary."""
    if is_local(arguments.out) and local_path(arguments.out).exists():
        raise SetupError(f"{arguments.out}: already exists; choose a new --out")
    if arguments.policy_overlay and is_local(arguments.policy_overlay):
        if not local_path(arguments.policy_overlay).is_file():
            raise SetupError(f"{arguments.policy_overlay}: no such policy overlay")
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="triage-spark-") as scratch:
        archive, lexicons = pack_lexicons(arguments.lexicons, Path(scratch))
        spark = (
            SparkSession.builder.appName("triage-scan")
            .config("spark.log.level", "WARN")
            # Lines end at \n only, as for `triage filter`; Hadoop's default also ends them at a lone \r.
            .config("spark.hadoop.textinputformat.record.delimiter", "\n")
            .getOrCreate()
        )
        sc = spark.sparkContext
        sc.addArchive(archive)
        overlay = ""
        if arguments.policy_overlay:
            sc.addFile(arguments.policy_overlay)
            overlay = os.path.basename(urlparse(arguments.policy_overlay).path)
        task_cpus = int(sc.getConf().get("spark.task.cpus", "1"))
        command = ["sh", "-c", PARTITION_SCRIPT, "triage-partition", arguments.triage, lexicons, overlay]
        command += filter_arguments(arguments, task_cpus)
        lines = read_inputs(sc, arguments.inputs, arguments.min_partitions)
        # RDD.pipe gives the command an empty environment unless told otherwise: PATH finds `triage`.
        environment = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")}
        verdict_lines = lines.pipe(shlex.join(command), env=environment, checkCode=True)
        parsed = (
            spark.createDataFrame(verdict_lines.map(lambda line: (line,)), "line string")
            .withColumn("verdict", F.from_json("line", VERDICT_SCHEMA))
            .select(
                "line",
                F.when(F.col("verdict.error").isNotNull(), F.lit("errors"))
                .otherwise(F.col("verdict.moderation.action"))
                .alias("kind"),
                "verdict.moderation",
            )
        )
        # Triage runs once: the four writes and the summary read the verdicts from here.
        parsed.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            for queue in QUEUES:
                folder = arguments.out.rstrip("/") + "/" + queue
                parsed.where(F.col("kind") == queue).select("line").write.text(folder)
            summary = summarize(parsed)
        finally:
            parsed.unpersist()
    seconds = time.time() - started
    size = input_bytes(arguments.inputs)
    summary |= {
        "inputs": list(arguments.inputs),
        "campaigns": "per partition" if arguments.campaigns else "off",
        "partitions": lines.getNumPartitions(),
        "master": sc.master,
        "seconds": round(seconds, 3),
        "records_per_second": round(summary["records"] / seconds),
        "input_bytes": size,
        "mb_per_second": round(size / 1e6 / seconds, 2) if size is not None else None,
    }
    write_summary(spark, arguments.out, summary)
    return summary


def describe_failure(error: Exception) -> str:
    """One line for a failed job: triage's exit status when a pipe failed, else the error's first line.

    PySpark's own message quotes the whole piped command (the partition script), so it is not repeated.
    """
    text = str(error)
    status = re.search(r"exited with error code (\d+)", text)
    if status:
        return f"triage filter exited {status.group(1)} on an executor (its message is in the executor's log)"
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def main(argv: Sequence[str]) -> int:
    """Runs the scan and prints one line of totals on stderr; returns the exit status."""
    arguments = parse_arguments(argv)
    try:
        summary = run(arguments)
    except SetupError as error:
        print(f"spark_scan: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a failed Spark job: the task's own message is in the executor's log
        print(f"spark_scan: the scan failed: {describe_failure(error)}", file=sys.stderr)
        return 1
    actions = summary["actions"]
    print(
        f"spark_scan: {summary['records']} records ({actions['allow']} allow, {actions['review']} review, "
        f"{actions['block']} block, {summary['errors']} errors) in {summary['seconds']} s, "
        f"{summary['partitions']} partitions → {arguments.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
