#!/usr/bin/env python3
"""Writes N verdict lines (default 100,000) made from a scan's review.jsonl and block.jsonl, with new ids,
source lines and some campaigns: test data for the review queue's speed.

    scripts/make-queue-verdicts.py /tmp/qp-sample 100000 > /tmp/qp-100k.jsonl
"""
import json
import random
import sys

scan, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
templates = [json.loads(line) for name in ("review.jsonl", "block.jsonl")
             for line in open(f"{scan}/{name}", encoding="utf-8") if line.strip()]
rng = random.Random(42)
out = sys.stdout
for n in range(count):
    record = json.loads(json.dumps(templates[n % len(templates)]))
    record["id"] = f"gen_{n:06d}"
    moderation = record["moderation"]
    moderation["source"] = {"file": "gen/posts.jsonl", "line": n + 1}
    if rng.random() < 0.3:  # about 30% of posts in one of 2,000 campaigns
        campaign = rng.randrange(2000)
        moderation["campaign"] = {"id": f"c{campaign:04d}", "size": 5 + campaign % 40, "authors": 2 + campaign % 9}
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
