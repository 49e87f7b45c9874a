#!/usr/bin/env bash
# Soak test, not part of `make test`: streams generated mixed input (triage-bench posts, HTML records, malformed
# lines, an oversized line) through one long-running `triage filter` for SOAK_SECONDS, samples its resident memory
# (VmRSS in /proc/PID/status) every SOAK_INTERVAL seconds, prints the samples, and fails if memory grows more than
# SOAK_GROWTH percent over the first sample taken after SOAK_WARMUP seconds.
#
#   scripts/soak.sh                                  # an hour
#   SOAK_SECONDS=600 SOAK_JOBS=1 scripts/soak.sh     # ten minutes on one worker
#
# The input repeats, each pass with new record ids, so campaign grouping keeps seeing near-copies from the same
# authors. TRIAGE and TRIAGE_BENCH name the executables (default: .build/release, built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_SECONDS=${SOAK_SECONDS:-3600}
SOAK_INTERVAL=${SOAK_INTERVAL:-60}
SOAK_WARMUP=${SOAK_WARMUP:-120}
SOAK_GROWTH=${SOAK_GROWTH:-20}
SOAK_POSTS=${SOAK_POSTS:-100000}
SOAK_JOBS=${SOAK_JOBS:-}
SOAK_DIR=${SOAK_DIR:-.build/soak}
TRIAGE=${TRIAGE:-.build/release/triage}
TRIAGE_BENCH=${TRIAGE_BENCH:-.build/release/triage-bench}

if [ ! -x "$TRIAGE" ] || [ ! -x "$TRIAGE_BENCH" ]; then
    swift build -c release --static-swift-stdlib --product triage
    swift build -c release --static-swift-stdlib --product triage-bench
fi
mkdir -p "$SOAK_DIR"
input="$SOAK_DIR/input-$SOAK_POSTS.jsonl"
if [ ! -s "$input" ]; then
    # Every 50th line is followed by an HTML record from samples/, every 97th by a line that is not JSON, every
    # 193rd by one that is not UTF-8, every 389th by one without a body; the pass ends with a 1.1 MB line (over
    # --max-record-bytes).
    "$TRIAGE_BENCH" generate "$SOAK_POSTS" | awk -v html=samples/html.jsonl '
        BEGIN { while ((getline line < html) > 0) if (line != "") records[count++] = line }
        { print }
        NR % 50 == 0 { print records[(NR / 50) % count] }
        NR % 97 == 0 { printf "{\"id\":\"broken-%d\" \"body\":\"x\"}\n", NR }
        NR % 193 == 0 { printf "{\"id\":\"bytes-%d\",\"body\":\"caf\351 \377\376\"}\n", NR }
        NR % 389 == 0 { printf "{\"id\":\"nobody-%d\",\"text\":\"hi\"}\n", NR }
        END { printf "{\"id\":\"oversized\",\"body\":\""; for (i = 0; i < 110000; i++) printf "0123456789"; print "\"}" }
    ' > "$input.tmp"
    mv "$input.tmp" "$input"
fi
echo "soak: $(wc -l < "$input") lines ($(du -m "$input" | cut -f1) MB) a pass, for $SOAK_SECONDS s, memory every $SOAK_INTERVAL s"

feed() {
    local pass=0
    while :; do
        pass=$((pass + 1))
        sed "s/\"id\":\"/\"id\":\"pass$pass-/" "$input" || return 0
    done
}
feed | "$TRIAGE" filter --lexicons lexicons ${SOAK_JOBS:+--jobs "$SOAK_JOBS"} > /dev/null 2> /dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

start=$SECONDS
baseline=""
peak=0
printf '%8s  %10s  %10s\n' "seconds" "RSS (KB)" "read (MB)"
while (( SECONDS - start < SOAK_SECONDS )); do
    sleep "$SOAK_INTERVAL"
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "soak: FAIL: triage filter stopped after $((SECONDS - start)) s" >&2
        exit 1
    fi
    elapsed=$((SECONDS - start))
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    read_bytes=$(awk '/^rchar:/ { print $2 }' "/proc/$pid/io")
    printf '%8d  %10d  %10d\n' "$elapsed" "$rss" $((read_bytes / 1000000))
    if [ -z "$baseline" ]; then
        (( elapsed >= SOAK_WARMUP )) && baseline=$rss
    elif (( rss > peak )); then
        peak=$rss
    fi
done
if [ -z "$baseline" ]; then
    echo "soak: FAIL: no sample after the warm-up of $SOAK_WARMUP s" >&2
    exit 1
fi
limit=$((baseline * (100 + SOAK_GROWTH) / 100))
if (( peak > limit )); then
    echo "soak: FAIL: memory grew from $baseline KB after warm-up to $peak KB (limit $limit KB, +$SOAK_GROWTH%)" >&2
    exit 1
fi
echo "soak: ok: $baseline KB after warm-up, at most $peak KB later (limit $limit KB, +$SOAK_GROWTH%)"
