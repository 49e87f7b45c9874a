#!/usr/bin/env python3
"""Measures Triage against peer tools on one corpus and prints Markdown tables (see scripts/bench-peers.sh).

usage: run.py --triage BIN --bench BIN --lexicons DIR --corpus FILE --work DIR --python VENV_PYTHON
              [--big FILE] [--data DIR] [--runs 3] [--sections peers,accuracy,scaling,latency]

Every timing is wall-clock time of the whole process (start-up included) under GNU time, which also gives
peak memory (%M). A peer and Triage on the same input run in alternation, --runs times; the median is
reported. Slow peers run on a slice (the first whole lines up to a size) and their MB/s is computed on it.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def log(message):
    print(message, file=sys.stderr, flush=True)


class Measured:
    def __init__(self, seconds, peak_kb, stdout, status, cpu=0.0):
        self.seconds, self.peak_kb, self.stdout, self.status, self.cpu = seconds, peak_kb, stdout, status, cpu


def run(command, stdin=None, stdout=subprocess.PIPE, timeout=900, ok=(0,)):
    """Runs `command` under /usr/bin/time; returns wall seconds, peak KB and stdout (None on timeout)."""
    time_file = os.path.join(ARGS.work, ".time")
    full = ["/usr/bin/time", "-f", "%M %U %S", "-o", time_file, *command]
    stdin_handle = open(stdin, "rb") if stdin else subprocess.DEVNULL
    stdout_handle = open(os.devnull, "wb") if stdout is None else subprocess.PIPE
    start = time.perf_counter()
    try:
        done = subprocess.run(full, stdin=stdin_handle, stdout=stdout_handle, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        log(f"  timed out after {timeout} s: {' '.join(command)}")
        return None
    finally:
        if stdin:
            stdin_handle.close()
    seconds = time.perf_counter() - start
    log(f"  {seconds:.3f} s wall: {' '.join(os.path.basename(part) for part in command[:6])}")
    if done.returncode not in ok:
        log(f"  exit {done.returncode}: {' '.join(command)}: {done.stderr.decode(errors='replace')[-400:]}")
    with open(time_file) as handle:
        peak, user, system = handle.read().strip().splitlines()[-1].split()
    output = done.stdout.decode(errors="replace") if done.stdout is not None else ""
    return Measured(seconds, int(peak), output, done.returncode, float(user) + float(system))


def slice_of(path, size, name, lines=None):
    """The first whole lines of `path` up to `size` bytes (or `lines` lines), written once to the work folder."""
    target = os.path.join(ARGS.work, name)
    if not os.path.exists(target):
        with open(path, "rb") as source, open(target + ".part", "wb") as out:
            written = 0
            for count, line in enumerate(source):
                if (size and written + len(line) > size) or (lines and count >= lines):
                    break
                out.write(line)
                written += len(line)
        os.replace(target + ".part", target)
    return target


def stats(path):
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        lines = sum(1 for _ in handle)
    return size, lines


def megabytes(size):
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


def triage_filter(extra=()):
    return [ARGS.triage, "filter", "--lexicons", ARGS.lexicons, *extra]


def export(dialect):
    path = os.path.join(ARGS.work, f"patterns-{dialect}.txt")
    done = subprocess.run(
        [ARGS.triage, "lint", ARGS.lexicons, "--export-patterns", path, "--export-dialect", dialect],
        stderr=subprocess.PIPE,
        check=True,
    )
    return path, done.stderr.decode().strip()


def median_of(samples):
    good = [sample for sample in samples if sample is not None]
    if not good:
        return None
    return Measured(
        statistics.median(s.seconds for s in good),
        statistics.median(s.peak_kb for s in good),
        good[0].stdout,
        good[0].status,
        statistics.median(s.cpu for s in good),
    )


# MARK: - Peers


def peers():
    pcre2, pcre2_note = export("pcre2")
    rust, rust_note = export("rust")
    ascii_, _ = export("rust-ascii")
    log(pcre2_note)
    log(rust_note)
    counts = {name: sum(1 for _ in open(path)) for name, path in [("pcre2", pcre2), ("rust", rust), ("ascii", ascii_)]}
    python = ARGS.python
    driver = os.path.join(HERE, "profanity_driver.py")
    corpus = ARGS.corpus
    slices = {
        "100k": slice_of(corpus, 100_000, "slice-100k.jsonl"),
        "1m": slice_of(corpus, 1_000_000, "slice-1m.jsonl"),
        "5m": slice_of(corpus, 5_000_000, "slice-5m.jsonl"),
                "100 posts": slice_of(corpus, None, "slice-100.jsonl", lines=100),
    }
    rows = [
        (
            f"`rg -i -c -f`, variant: ASCII `(?-u:\\b)` ({counts['ascii']} patterns)",
            ["rg", "-i", "-c", "-f", ascii_],
            "5m",
        ),
        (f"`pcre2grep -i -u -c -f` ({counts['pcre2']} patterns)", ["pcre2grep", "-i", "-u", "-c", "-f", pcre2], "1m"),
        ("better-profanity, one call per text", [python, driver, "better-profanity", "each"], "100 posts"),
        ("alt-profanity-check, one call per text", [python, driver, "alt-profanity-check", "each"], "100 posts"),
        ("alt-profanity-check, `predict_prob(list)`", [python, driver, "alt-profanity-check", "batch"], "5m"),
        (f"`rg -i -c -f` ({counts['rust']} patterns, Unicode `\\b`)", ["rg", "-i", "-c", "-f", rust], "100k"),
    ]
    table = [
        "| tool | input | MB/s | posts/s | peak memory | Triage ÷ peer (speed) | MB/s without start-up | MB per CPU-s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    triage_samples = {key: [] for key in slices}
    peer_results = []
    for name, command, key in rows:
        path = slices[key]
        log(f"{name} on {path}")
        samples = []
        for _ in range(ARGS.runs):
            triage_samples[key].append(run(triage_filter(), stdin=path, stdout=None))
            # rg and pcre2grep take the file as an argument; the Python drivers too.
            measured = run(command + [path], ok=(0, 1), timeout=ARGS.timeout)
            samples.append(measured)
            if measured is None:
                break
        peer_results.append((name, key, median_of(samples), [s for s in samples if s]))
    full = median_of([run(triage_filter(), stdin=corpus, stdout=None) for _ in range(ARGS.runs)])
    size, posts = stats(corpus)
    table.append(
        f"| **`triage filter`** (all lexicons and classifiers, defaults, 2 workers) | whole corpus, "
        f"{megabytes(size)} | {size / 1e6 / full.seconds:.1f} | {posts / full.seconds:,.0f} | "
        f"{full.peak_kb / 1024:.0f} MB | 1 | | {size / 1e6 / full.cpu:.1f} |"
    )
    for key, path in slices.items():
        triage = median_of(triage_samples[key])
        if triage is None:
            continue
        size, posts = stats(path)
        table.append(
            f"| **`triage filter`**, same as above | slice, {megabytes(size)} | {size / 1e6 / triage.seconds:.1f} | "
            f"{posts / triage.seconds:,.0f} | {triage.peak_kb / 1024:.0f} MB | 1 | | {size / 1e6 / triage.cpu:.2f} |"
        )
    samples_of = {name: good for name, _, _, good in peer_results}
    for name, key, measured, _ in peer_results:
        size, posts = stats(slices[key])
        triage = median_of(triage_samples[key])
        if measured is None:
            table.append(f"| {name} | slice, {megabytes(size)} | timed out after {ARGS.timeout} s | | | | | |")
            continue
        ratio = measured.seconds / triage.seconds
        # The Python drivers also report their own loop time, without interpreter and model start-up.
        loop = ""
        if "loop" in measured.stdout:
            loops = statistics.median(float(s.stdout.split("loop ")[1].split()[0]) for s in samples_of[name])
            loop = f"{size / 1e6 / loops:.2f}"
        table.append(
            f"| {name} | slice, {megabytes(size)} ({posts:,} posts) | {size / 1e6 / measured.seconds:.3f} | "
            f"{posts / measured.seconds:,.0f} | {measured.peak_kb / 1024:.0f} MB | {ratio:.1f}× | {loop} | "
            f"{size / 1e6 / measured.cpu:.3f} |"
        )
    table.append("")
    table.append(f"Flag counts on the slices (lines matched / texts flagged): " + "; ".join(
        f"{name}: {measured.stdout.strip()}" for name, _, measured, _ in peer_results if measured
    ))
    return "\n".join(table)


# MARK: - Accuracy


def accuracy():
    pcre2, _ = export("pcre2")
    ascii_, _ = export("rust-ascii")
    data = ARGS.data
    sets = {}
    with open(os.path.join(data, "hate-davidson/dev.tsv"), encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            label, _, _, _, text = line.rstrip("\n").split("\t", 4)
            sets.setdefault(label, []).append(text)
    with open(os.path.join(data, "benign/vader-tweets.tsv"), encoding="utf-8") as handle:
        next(handle)
        sets["vader"] = [line.rstrip("\n").split("\t", 2)[2] for line in handle]
    files = {}
    for name, texts in sets.items():
        files[name] = os.path.join(ARGS.work, f"eval-{name}.txt")
        with open(files[name], "w", encoding="utf-8") as out:
            for text in texts:
                out.write(text.replace("\r", " ") + "\n")
    driver = os.path.join(HERE, "profanity_driver.py")

    def triage_count(path):
        done = subprocess.run(
            [ARGS.triage, "filter", "--lexicons", ARGS.lexicons, "--input", "text"],
            stdin=open(path, "rb"),
            stdout=subprocess.PIPE,
            check=False,
        )
        return sum(1 for line in done.stdout.splitlines() if b'"action":"allow"' not in line)

    def grep_count(command, path):
        done = subprocess.run(command + [path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return int(done.stdout.strip() or 0)

    def driver_count(tool, mode, path):
        done = subprocess.run([ARGS.python, driver, tool, mode, path], stdout=subprocess.PIPE, check=True)
        return int(done.stdout.split()[1]), int(done.stdout.split()[3])

    def sampled(path, lines=1000):
        """The first `lines` texts of `path`: better-profanity takes about 0.1 s per text."""
        target = path.replace(".txt", f"-first{lines}.txt")
        with open(path, encoding="utf-8") as source, open(target, "w", encoding="utf-8") as out:
            for index, line in enumerate(source):
                if index >= lines:
                    break
                out.write(line)
        return target

    tools = [
        ("Triage (`triage filter --input text`, defaults)", triage_count),
        ("`pcre2grep -i -u -f` (exported rules)", lambda p: grep_count(["pcre2grep", "-i", "-u", "-c", "-f", pcre2], p)),
        ("`rg -i -f`, ASCII `\\b` variant", lambda p: grep_count(["rg", "-i", "-c", "-f", ascii_], p)),
        ("better-profanity 0.7 (first 1,000 texts of each set)", lambda p: driver_count("better-profanity", "each", sampled(p))),
        ("alt-profanity-check (trained on data including Davidson)", lambda p: driver_count("alt-profanity-check", "batch", p)),
    ]
    table = [
        f"| tool | Davidson `hate` recall ({len(sets['hate']):,}) | `offensive` flagged ({len(sets['offensive']):,}) "
        f"| `neither` flagged ({len(sets['neither']):,}) | VADER flagged ({len(sets['vader']):,}) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, count in tools:
        log(f"accuracy: {name}")
        cells = []
        for key in ["hate", "offensive", "neither", "vader"]:
            flagged = count(files[key])
            total = len(sets[key])
            if isinstance(flagged, tuple):
                flagged, total = flagged
            share = flagged / total
            cells.append(f"{share:.3f} ({flagged:,}/{total:,})" if key == "hate" else f"{share:.1%} ({flagged:,}/{total:,})")
        table.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(table)


# MARK: - Scaling


def scaling():
    """One worker against two on the whole corpus, alternated. The one-worker run is also pinned to one core:
    unpinned, its reading and writing threads already take part of the second core, so "one worker" would not
    mean "one core". It is pinned to the last core, since the first one also takes the VM's interrupts."""
    lines = []
    corpus = ARGS.corpus
    size, posts = stats(corpus)
    core = str(os.cpu_count() - 1)
    pinned, one, two = [], [], []
    for _ in range(ARGS.runs):
        pinned.append(run(["taskset", "-c", core, *triage_filter(["--jobs", "1"])], stdin=corpus, stdout=None))
        one.append(run(triage_filter(["--jobs", "1"]), stdin=corpus, stdout=None))
        two.append(run(triage_filter(["--jobs", "2"]), stdin=corpus, stdout=None))
    pinned, one, two = median_of(pinned), median_of(one), median_of(two)
    # CPU seconds (user + system) show whether the second worker got a core of its own: on a shared host it
    # may not, and then the wall-clock ratio says more about the host than about triage.
    lines.append("| what | input | MB/s | posts/s | peak memory | CPU s (wall s) |")
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for label, measured in [
        (f"`--jobs 1` on one core (`taskset -c {core}`)", pinned),
        ("`--jobs 1`, not pinned", one),
        ("`--jobs 2`", two),
    ]:
        lines.append(
            f"| `triage filter` {label} | {megabytes(size)} | {size / 1e6 / measured.seconds:.1f} | "
            f"{posts / measured.seconds:,.0f} | {measured.peak_kb / 1024:.0f} MB | "
            f"{measured.cpu:.2f} ({measured.seconds:.2f}) |"
        )
    lines.append(
        f"| 2 workers on 2 cores ÷ 1 on 1 core | | **{pinned.seconds / two.seconds:.2f}×** "
        f"(÷ `--jobs 1` not pinned: {one.seconds / two.seconds:.2f}×) | | | |"
    )
    log("scaling: triage-bench scale")
    ten = slice_of(ARGS.corpus, 10_000_000, "input-10mb-corpus.jsonl")
    done = subprocess.run([ARGS.bench, "scale", ten, ARGS.lexicons], stdout=subprocess.PIPE, check=True)
    lines.append("")
    lines.append(f"`triage-bench scale` (in process, generated lexicons, {megabytes(stats(ten)[0])}, median of 3):")
    lines.append("")
    lines.append("```")
    lines.append(done.stdout.decode().rstrip())
    lines.append("```")
    return "\n".join(lines)


def memory():
    """10 MB, 100 MB and 1 GB of input through `triage filter`: peak memory must not grow with input."""
    lines = ["| what | input | MB/s | posts/s | peak memory | CPU s (wall s) |", "| --- | --- | --- | --- | --- | --- |"]
    big = ARGS.big or ARGS.corpus
    for label, limit, runs in [("10 MB", 10_000_000, 1), ("100 MB", 100_000_000, 1), ("1 GB", None, 1)]:
        path = big if limit is None else slice_of(big, limit, f"input-{limit // 1_000_000}mb.jsonl")
        size, posts = stats(path)
        log(f"scaling: {label} ({path})")
        measured = median_of([run(triage_filter(), stdin=path, stdout=None, timeout=3600) for _ in range(runs)])
        lines.append(
            f"| `triage filter`, {label} input{'' if runs > 1 else ' (one run)'} | {megabytes(size)} | "
            f"{size / 1e6 / measured.seconds:.1f} | {posts / measured.seconds:,.0f} | {measured.peak_kb / 1024:.0f} MB | "
            f"{measured.cpu:.1f} ({measured.seconds:.1f}) |"
        )
    return "\n".join(lines)


def latency():
    lines = []
    script = os.path.join(HERE, "latency.py")
    # `cat` does the same round trip with no work: the floor the host sets.
    for program, extra in [(ARGS.triage, []), (ARGS.triage, ["--jobs", "1"]), ("cat", [])]:
        log(f"latency {program} {extra}")
        done = subprocess.run(
            [sys.executable, script, program, ARGS.lexicons, ARGS.corpus, "2000", "--", *extra],
            stdout=subprocess.PIPE,
            check=True,
        )
        label = "`cat` (no work: the host's floor)" if program == "cat" else (" ".join(extra) or "default (2 workers)")
        lines.append(f"- streaming, one post at a time, {label}: {done.stdout.decode().strip()}")
    return "\n".join(lines)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    for option in ["--triage", "--bench", "--lexicons", "--corpus", "--work", "--python"]:
        parser.add_argument(option, required=True)
    parser.add_argument("--big")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--sections", default="peers,accuracy,scaling,memory,latency")
    ARGS = parser.parse_args()
    os.makedirs(ARGS.work, exist_ok=True)
    sections = {"peers": peers, "accuracy": accuracy, "scaling": scaling, "memory": memory, "latency": latency}
    for name in ARGS.sections.split(","):
        started = time.perf_counter()
        text = sections[name]()
        print(f"\n### {name}\n\n{text}\n", flush=True)
        log(f"({name}: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
