#!/usr/bin/env python3
"""Runs one Python profanity peer over posts and prints how many it flags.

usage: profanity_driver.py TOOL MODE FILE
  TOOL  better-profanity | alt-profanity-check
  MODE  each (one call per text) | batch (one predict_prob(list) call; alt-profanity-check only)
  FILE  JSON Lines with a "body" field (the benchmark corpus), or .txt with one text a line

Prints "flagged F of N texts, loop S s" on stdout: S is the time spent reading and classifying, after the
library is imported and loaded (start-up is measured by the caller, with the whole process).
"""
import json
import sys
import time


def bodies(path):
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".txt"):
            for line in handle:
                yield line.rstrip("\n")
        else:
            for line in handle:
                yield json.loads(line).get("body", "")


def main():
    tool, mode, path = sys.argv[1:4]
    if tool == "better-profanity":
        if mode != "each":
            sys.exit("better-profanity has no batch call")
        from better_profanity import profanity

        profanity.load_censor_words()
        start = time.perf_counter()
        texts = 0
        flagged = 0
        for text in bodies(path):
            texts += 1
            flagged += profanity.contains_profanity(text)
    elif tool == "alt-profanity-check":
        from profanity_check import predict_prob

        predict_prob(["warm up"])  # loads the vectorizer and the model
        start = time.perf_counter()
        if mode == "batch":
            probabilities = predict_prob(list(bodies(path)))
            texts = len(probabilities)
            flagged = int((probabilities >= 0.5).sum())
        else:
            texts = 0
            flagged = 0
            for text in bodies(path):
                texts += 1
                flagged += predict_prob([text])[0] >= 0.5
    else:
        sys.exit(f"unknown tool {tool}")
    seconds = time.perf_counter() - start
    print(f"flagged {flagged} of {texts} texts, loop {seconds:.3f} s")


if __name__ == "__main__":
    main()
