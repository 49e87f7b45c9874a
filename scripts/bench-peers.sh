#!/usr/bin/env bash
# bench-peers.sh: Triage against peer tools on the same generated corpus (GitHub issue 8).
#
#   scripts/bench-peers.sh [SECTIONS]     SECTIONS: peers,accuracy,scaling,memory,latency (default: all five)
#
# Installs what the peers need (apt: ripgrep, pcre2-utils, time; a venv in .build/peers-venv with
# better-profanity and alt-profanity-check from PyPI), builds triage and triage-bench (release), generates
# the corpus (BENCH_POSTS posts, default 200,000) unless it exists, exports the lexicons as plain regular
# expressions (`triage lint --export-patterns`), and runs scripts/peers/run.py, which prints Markdown tables:
#   peers     MB/s, posts/s and peak memory of `triage filter`, `rg -i -f`, `pcre2grep -i -f`,
#             better-profanity and alt-profanity-check; slow peers on a slice, Triage on the same slice
#   accuracy  flag rates and recall on ../shared/data (Davidson hate speech, VADER tweets)
#   scaling   --jobs 1 (pinned to one core, and not) against 2 on the corpus; 100, 1,000, 10,000 generated rules
#   memory    10 MB, 100 MB and 1 GB inputs with peak memory (must stay flat)
#   latency   p50/p99 per post, one post at a time through `triage filter`'s stdin
# Environment: BENCH_POSTS, BENCH_RUNS (3), BENCH_BIG (a 1 GB corpus; made with `triage-bench generate
# 3600000` if missing), DATA (../shared/data), SCRATCH (the build folder, default .build), TIMEOUT (600 s
# per peer run). The machine matters: run it on a quiet host, and compare rows of one run only.
set -euo pipefail

cd "$(dirname "$0")/.."
SECTIONS=${1:-peers,accuracy,scaling,memory,latency}
SCRATCH=${SCRATCH:-.build}
POSTS=${BENCH_POSTS:-200000}
RUNS=${BENCH_RUNS:-3}
DATA=${DATA:-../shared/data}
BENCH_DIR=.build/bench
CORPUS=$BENCH_DIR/corpus-$POSTS.jsonl
BIG=${BENCH_BIG:-$BENCH_DIR/corpus-1g.jsonl}
VENV=.build/peers-venv

# Tools: apt packages only when missing (needs root), the Python peers in their own venv.
missing=()
command -v rg > /dev/null || missing+=(ripgrep)
command -v pcre2grep > /dev/null || missing+=(pcre2-utils)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y "${missing[@]}"
fi
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import better_profanity, profanity_check' 2> /dev/null \
    || "$VENV/bin/pip" install --quiet better-profanity alt-profanity-check

# One product per call: given --product twice, swift build builds only the last.
for product in triage triage-bench; do
    swift build -c release --static-swift-stdlib --product "$product" --scratch-path "$SCRATCH"
done
BIN=$SCRATCH/release
mkdir -p "$BENCH_DIR"
[ -f "$CORPUS" ] || "$BIN/triage-bench" generate "$POSTS" > "$CORPUS"
if [[ $SECTIONS == *memory* ]] && [ ! -f "$BIG" ]; then
    "$BIN/triage-bench" generate 3600000 > "$BIG"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
echo "peers: $(rg --version | head -1), pcre2grep $(pcre2grep --version | cut -d' ' -f3)," \
    "$("$VENV/bin/pip" list 2> /dev/null | grep -iE '^(better-profanity|alt-profanity-check) ' | xargs)"
"$VENV/bin/python" scripts/peers/run.py --triage "$BIN/triage" --bench "$BIN/triage-bench" --lexicons lexicons \
    --corpus "$CORPUS" --big "$BIG" --work .build/peers --python "$VENV/bin/python" --data "$DATA" \
    --runs "$RUNS" --timeout "${TIMEOUT:-600}" --sections "$SECTIONS"
