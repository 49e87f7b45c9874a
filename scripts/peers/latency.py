#!/usr/bin/env python3
"""Latency per post of `triage filter` in streaming mode: one line in, wait for its verdict, repeat.

usage: latency.py TRIAGE LEXICONS CORPUS [POSTS] [-- FILTER ARGS...]

Starts `TRIAGE filter --lexicons LEXICONS`, writes the first POSTS (default 2,000) lines of CORPUS one at a
time to its stdin, waits for each output line before writing the next, and prints p50, p99 and max in
microseconds. The first 20 posts (rule loading, warm-up) are not counted. With TRIAGE `cat`, the same
round trip through `cat` instead: the floor the host's scheduler sets (pipes, wake-ups), for comparison.
"""
import os
import select
import subprocess
import sys
import time


def main():
    arguments = sys.argv[1:]
    extra = []
    if "--" in arguments:
        extra = arguments[arguments.index("--") + 1 :]
        arguments = arguments[: arguments.index("--")]
    triage, lexicons, corpus = arguments[:3]
    posts = int(arguments[3]) if len(arguments) > 3 else 2000
    warmup = 20
    with open(corpus, "rb") as handle:
        lines = [handle.readline() for _ in range(posts + warmup)]
    command = ["cat"] if triage == "cat" else [triage, "filter", "--lexicons", lexicons, *extra]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,
    )
    out = process.stdout.fileno()
    pending = b""
    samples = []
    for index, line in enumerate(lines):
        start = time.perf_counter_ns()
        os.write(process.stdin.fileno(), line)
        while b"\n" not in pending:
            ready, _, _ = select.select([out], [], [], 10)
            if not ready:
                sys.exit(f"no verdict within 10 s for post {index}")
            chunk = os.read(out, 1 << 16)
            if not chunk:
                sys.exit("triage filter ended early")
            pending += chunk
        elapsed = time.perf_counter_ns() - start
        pending = pending[pending.index(b"\n") + 1 :]
        if index >= warmup:
            samples.append(elapsed / 1000)
    process.stdin.close()
    process.wait()
    samples.sort()

    def percentile(p):
        return samples[min(len(samples) - 1, int(p / 100 * len(samples)))]

    print(
        f"posts {len(samples)} p50 {percentile(50):.0f} us p99 {percentile(99):.0f} us "
        f"max {samples[-1]:.0f} us"
    )


if __name__ == "__main__":
    main()
