# make run = set up and moderate samples/ · test · spark-test · bench · bench-scan · bench-peers · evasion · words · lint · format · setup · clean
SWIFT ?= swift
RELEASE := .build/release
BENCH_POSTS ?= 200000
BENCH_DIR := .build/bench

.PHONY: all setup build run test spark-test bench bench-scan bench-peers evasion words lint format clean

all: lint test

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product triage

run: build
	@mkdir -p .build/samples-out
	cat samples/posts.jsonl samples/html.jsonl | $(RELEASE)/triage filter --lexicons lexicons --queues .build/samples-out > .build/samples-out/all.jsonl
	@echo "verdicts: .build/samples-out/all.jsonl"; wc -l .build/samples-out/*.jsonl
	$(RELEASE)/triage filter --lexicons lexicons --input text --emit block < samples/posts.txt | cut -c1-160
	@$(RELEASE)/triage check --lexicons lexicons --author fan --to creator --surface dm \
		"hey babe send it to my cashapp instead, cheaper than here"; \
		echo "(triage check exit status $$?: 0 allow, 1 review, 2 block)"
	@rm -rf .build/samples-scan
	$(RELEASE)/triage scan samples --out .build/samples-scan --lexicons lexicons
	@echo "report: .build/samples-scan/report.html"

test: setup
	$(SWIFT) test

# spark_scan.py on Spark local[2], every verdict checked against a local triage filter (Java 17, PyPI).
# BUILD_FLAGS="--scratch-path DIR" builds elsewhere than .build.
spark-test: setup
	$(SWIFT) build -c release --product triage $(BUILD_FLAGS)
	$(SWIFT) build -c release --product triage-bench $(BUILD_FLAGS)
	@bin=$$($(SWIFT) build -c release --show-bin-path $(BUILD_FLAGS)) && \
		integrations/spark/test.sh "$$bin/triage" "$$bin/triage-bench"

bench: setup
	$(SWIFT) build -c release --product triage
	$(SWIFT) build -c release --product triage-bench
	@mkdir -p $(BENCH_DIR)
	@[ -f $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl ] || $(RELEASE)/triage-bench generate $(BENCH_POSTS) > $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl
	@echo "machine: $$(nproc) cores, $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
	@echo "corpus: $(BENCH_POSTS) posts, $$(du -m $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl | cut -f1) MB"
	$(RELEASE)/triage-bench filter $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl $(RELEASE)/triage --lexicons lexicons
	$(RELEASE)/triage-bench filter $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl $(RELEASE)/triage --lexicons lexicons --no-campaigns
	$(RELEASE)/triage-bench filter $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl $(RELEASE)/triage --lexicons lexicons --jobs 1
	$(RELEASE)/triage-bench stages $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl lexicons
	$(RELEASE)/triage-bench scale $(BENCH_DIR)/corpus-$(BENCH_POSTS).jsonl lexicons

# A 1 GB dump: triage scan against triage filter on the same records, with peak memory (GNU time).
bench-scan: setup
	$(SWIFT) build -c release --product triage
	$(SWIFT) build -c release --product triage-bench
	@mkdir -p $(BENCH_DIR)
	@[ -f $(BENCH_DIR)/corpus-1g.jsonl ] || $(RELEASE)/triage-bench generate 3600000 > $(BENCH_DIR)/corpus-1g.jsonl
	@rm -rf $(BENCH_DIR)/scan-1g $(BENCH_DIR)/filter-1g.jsonl
	/usr/bin/time -f "filter: %e s, %M KB peak" $(RELEASE)/triage filter --lexicons lexicons < $(BENCH_DIR)/corpus-1g.jsonl > $(BENCH_DIR)/filter-1g.jsonl
	/usr/bin/time -f "scan: %e s, %M KB peak" $(RELEASE)/triage scan $(BENCH_DIR)/corpus-1g.jsonl --out $(BENCH_DIR)/scan-1g --lexicons lexicons
	@rm -rf $(BENCH_DIR)/scan-1g $(BENCH_DIR)/filter-1g.jsonl

# Triage against rg, pcre2grep, better-profanity and alt-profanity-check; accuracy, scaling, latency.
bench-peers: setup
	scripts/bench-peers.sh

evasion: setup
	$(SWIFT) build -c release --product triage-bench
	$(RELEASE)/triage-bench evasion lexicons

words: build
	@[ -f /usr/share/dict/words ] || { echo "needs /usr/share/dict/words (apt-get install wamerican)"; exit 1; }
	@$(RELEASE)/triage filter --lexicons lexicons --input text < /usr/share/dict/words \
		| grep -v '"action":"allow"' | sed 's/^{"id":"[^"]*","body":"\([^"]*\)".*"action":"\([a-z]*\)".*/\2 \1/' \
		> .build/words-flagged.txt; cat .build/words-flagged.txt
	@echo "$$(wc -l < .build/words-flagged.txt) of $$(wc -l < /usr/share/dict/words) dictionary words flagged"

lint:
	$(SWIFT) format lint --strict --parallel --recursive Package.swift Sources Tests

format:
	$(SWIFT) format format --in-place --parallel --recursive Package.swift Sources Tests

clean:
	rm -rf .build
