#!/usr/bin/env bash
# make spark-test: run spark_scan.py on local[2] over a generated dump split into several files and
# partitions (with malformed lines), check every verdict against a local `triage filter`, and check that
# lexicons that cannot load fail the job.
#
#   integrations/spark/test.sh TRIAGE TRIAGE-BENCH    (the release binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."
triage=$(realpath "$1")
bench=$(realpath "$2")
here=integrations/spark
venv=.build/spark-venv
work=.build/spark-test
posts=${SPARK_TEST_POSTS:-20000}

if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyspark
fi
export PYSPARK_PYTHON="$PWD/$venv/bin/python" PYSPARK_DRIVER_PYTHON="$PWD/$venv/bin/python"
submit() { "$venv/bin/spark-submit" --master "local[2]" --conf spark.ui.enabled=false "$here/spark_scan.py" "$@"; }

rm -rf "$work" && mkdir -p "$work"
"$bench" generate "$posts" > "$work/dump.jsonl"
split --number=l/3 --numeric-suffixes=1 --additional-suffix=.jsonl "$work/dump.jsonl" "$work/dump-"
# Malformed lines and a record without an id, in the middle of a file: error records and FILE:LINE ids.
{
    head -n 4000 "$work/dump-02.jsonl"
    echo 'not json at all'
    echo '{"id":"broken" "body":"x"}'
    echo ''
    echo '{"id":"no-body","text":"hello"}'
    echo '{"body":"send it to my cashapp"}'
    tail -n +4001 "$work/dump-02.jsonl"
} > "$work/dump-02.tmp" && mv "$work/dump-02.tmp" "$work/dump-02.jsonl"
inputs=("$work/dump-01.jsonl" "$work/dump-02.jsonl" "$work/dump-03.jsonl")

echo "spark-test: $(cat "${inputs[@]}" | wc -l) lines in ${#inputs[@]} files, local[2]"
submit "${inputs[@]}" --out "$work/out" --lexicons lexicons --triage "$triage" --min-partitions 3
"$venv/bin/python" "$here/check_spark_scan.py" "${inputs[@]}" --out "$work/out" --triage "$triage" --lexicons lexicons

# Lexicons that do not load (policy.yml is not YAML): triage exits 2 on the executor; the job must fail.
# (spark-submit sends the Python driver's stderr to its stdout: both go to the log.)
mkdir -p "$work/bad/lexicons" && echo "{ not: [yaml" > "$work/bad/lexicons/policy.yml"
head -n 20 "${inputs[0]}" > "$work/small.jsonl"
if submit "$work/small.jsonl" --out "$work/out-bad" --lexicons "$work/bad/lexicons" --triage "$triage" \
    > "$work/bad.log" 2>&1; then
    echo "spark-test: FAILED: the job succeeded with lexicons that cannot load" >&2
    exit 1
fi
if ! grep -q "triage filter exited 2" "$work/bad.log"; then
    echo "spark-test: FAILED: no executor error in the log ($work/bad.log)" >&2
    exit 1
fi
echo "spark-test: broken lexicons fail the job: $(grep -m1 'spark_scan:' "$work/bad.log")"
# A lexicons folder that does not exist is refused on the driver (exit 2) before Spark starts.
status=0
"$venv/bin/python" "$here/spark_scan.py" "$work/small.jsonl" --out "$work/out-missing" \
    --lexicons "$work/no-such-folder" --triage "$triage" > "$work/missing.log" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "spark-test: FAILED: missing lexicons exited $status, not 2" >&2; exit 1; }
echo "spark-test: missing lexicons: $(cat "$work/missing.log")"
echo "spark-test: passed"
