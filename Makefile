# make run = set up and moderate samples/ · test · spark-test · tsan · fuzz · bench · bench-scan · bench-peers · evasion · words · lint · format · setup · clean
SWIFT ?= swift
RELEASE := .build/release
# Release builds link the Swift runtime and Foundation statically: start-up is 13 ms shorter (no relocation of
# the shared libraries) and the binary runs where no Swift toolchain is installed, as on Spark executors. Every
# release build uses the same flags, or each would rebuild the other's modules.
RELEASE_BUILD := $(SWIFT) build -c release --static-swift-stdlib
BENCH_POSTS ?= 200000
BENCH_DIR := .build/bench

.PHONY: all setup build run test spark-test tsan fuzz fuzz-build bench bench-scan bench-peers evasion words lint format clean

all: lint test

setup:
	@scripts/setup.sh

build: setup
	$(RELEASE_BUILD) --product triage

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
	$(RELEASE_BUILD) --product triage $(BUILD_FLAGS)
	$(RELEASE_BUILD) --product triage-bench $(BUILD_FLAGS)
	@bin=$$($(RELEASE_BUILD) --show-bin-path $(BUILD_FLAGS)) && \
		integrations/spark/test.sh "$$bin/triage" "$$bin/triage-bench"

# ThreadSanitizer over the whole suite, in its own scratch path. The end-to-end tests run the `triage` built beside
# the test bundle, so it is built with TSan too and a race in a spawned `triage` fails its test (TSan's report on
# stderr, exit status 66). TSan sees pthread mutexes and Dispatch, not a contended `Synchronization.Mutex` (its
# futex slow path is in the uninstrumented standard library): state handed between workers goes behind `NSLock`.
tsan: setup
	$(SWIFT) test --sanitize=thread --scratch-path .build/tsan

# libFuzzer: each harness in Fuzz/ runs FUZZ_SECONDS on its seeds in Fuzz/corpus/<harness>/. The harnesses join the
# package only when TRIAGE_FUZZ is set, and build in their own scratch path with ASan, linked by lld (gold stops with
# "internal error in format_file_lineno" on some of them).
# New inputs go to .build/fuzz/corpus/, crashes to .build/fuzz/crashes/; replay one with `.build/fuzz/release/fuzz-csv
# FILE`. `make fuzz FUZZ_HARNESSES=csv FUZZ_SECONDS=600` runs one harness for ten minutes.
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES ?= jsonl record csv html normalizer lexicon
FUZZ_BUILD ?= .build/fuzz

fuzz-build: setup
	for h in $(FUZZ_HARNESSES); do TRIAGE_FUZZ=1 $(SWIFT) build -c release --scratch-path $(FUZZ_BUILD) \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --product fuzz-$$h || exit 1; done

fuzz: fuzz-build
	@for h in $(FUZZ_HARNESSES); do mkdir -p $(FUZZ_BUILD)/corpus/$$h $(FUZZ_BUILD)/crashes; \
		echo "fuzz-$$h: $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/release/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$h- $(FUZZ_BUILD)/corpus/$$h Fuzz/corpus/$$h || exit 1; done

bench: setup
	$(RELEASE_BUILD) --product triage
	$(RELEASE_BUILD) --product triage-bench
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
	$(RELEASE_BUILD) --product triage
	$(RELEASE_BUILD) --product triage-bench
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
	$(RELEASE_BUILD) --product triage-bench
	$(RELEASE)/triage-bench evasion lexicons

words: build
	@[ -f /usr/share/dict/words ] || { echo "needs /usr/share/dict/words (apt-get install wamerican)"; exit 1; }
	@$(RELEASE)/triage filter --lexicons lexicons --input text < /usr/share/dict/words \
		| grep -v '"action":"allow"' | sed 's/^{"id":"[^"]*","body":"\([^"]*\)".*"action":"\([a-z]*\)".*/\2 \1/' \
		> .build/words-flagged.txt; cat .build/words-flagged.txt
	@echo "$$(wc -l < .build/words-flagged.txt) of $$(wc -l < /usr/share/dict/words) dictionary words flagged"

lint:
	$(SWIFT) format lint --strict --parallel --recursive Package.swift Sources Tests Fuzz

format:
	$(SWIFT) format format --in-place --parallel --recursive Package.swift Sources Tests Fuzz

clean:
	rm -rf .build
