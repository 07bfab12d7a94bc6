# Dossier: the two commands are `make site` and `make test`. Both install what is missing first.
SWIFT ?= swift
DOSSIER_DEBUG = .build/debug/dossier
DOSSIER_RELEASE = .build/release/dossier

.PHONY: all fuzz sanitize setup setup-test setup-bench site serve build release test unit-test validate browser-test serve-test pictures-test golden clean

all: site

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

setup-bench:
	@scripts/setup.sh --bench

build: setup
	$(SWIFT) build --product dossier

# The Swift runtime and Foundation linked in: 8 ms less to start (no-op rebuilds are 70 ms), and
# every retain and release a direct call.
release: setup
	$(SWIFT) build -c release --static-swift-stdlib --product dossier

## Build the sample briefing in Content/ into Site/.
site: release
	$(DOSSIER_RELEASE) build

## Preview the sample briefing at http://127.0.0.1:8000/xinjiang/, rebuilding on every save.
serve: release
	$(DOSSIER_RELEASE) serve

## Every test: unit, golden and command-line tests (swift test), then the generated sample site
## through the W3C Nu HTML checker and feedparser, then the search page in headless Chromium.
test: setup-test
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(MAKE) --no-print-directory validate browser-test serve-test crash-test pictures-test

validate: build
	python3 Tests/EndToEnd/validate_site.py $(DOSSIER_DEBUG)

browser-test: build
	python3 Tests/EndToEnd/search_page_test.py $(DOSSIER_DEBUG)

crash-test: build
	python3 Tests/EndToEnd/crash_test.py $(DOSSIER_DEBUG)

serve-test: build
	python3 Tests/EndToEnd/serve_test.py $(DOSSIER_DEBUG)

## Screenshots of the relationship map and the monthly chart in headless Chromium, and a reader's path.
pictures-test: build
	python3 Tests/EndToEnd/pictures_test.py $(DOSSIER_DEBUG)

## Coverage-guided fuzzing (libFuzzer), 10 minutes a target unless FUZZ_SECONDS says otherwise.
fuzz: setup
	scripts/fuzz.sh

## The whole Swift test suite under AddressSanitizer, then UndefinedBehaviorSanitizer. Leak
## detection is off: at exit LeakSanitizer reports Foundation's own caches on Linux (it fails
## the build's theme-embedding tool, which allocates once and exits), not leaks of ours.
## swiftc has no -sanitize=undefined on Linux (Swift code already traps on overflow and bounds),
## so UBSan instruments the C code built here: NIO's shims and CDossierSystem.
UBSAN_RUNTIME = $(shell dirname $$(dirname $$(readlink -f $$(command -v swift))))/lib/clang/*/lib/linux/libclang_rt.ubsan_standalone-x86_64.so
sanitize: setup-test
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-asan --sanitize=address
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(SWIFT) test --scratch-path .build-ubsan \
	  -Xcc -fsanitize=undefined -Xlinker $(wildcard $(UBSAN_RUNTIME)) -Xlinker -rpath -Xlinker $(dir $(wildcard $(UBSAN_RUNTIME)))

## Re-record the golden files and expected messages after an intended change of output.
golden:
	DOSSIER_RECORD=1 $(SWIFT) test --filter "GoldenSiteTests|BadInputTests" || true
	@echo "Recorded. Review with 'git diff Tests/DossierKitTests/Fixtures', then run 'make test'."

## Full builds of generated briefings (1,000 and 10,000 actions; BENCH_SCALES=50000 for the large
## one) against Hugo and against the floor (cmark + cp), installing both when missing: see bench/run.py.
bench: setup-bench
	python3 bench/run.py

bench-large: setup-bench
	BENCH_SCALES=50000 python3 bench/run.py

## The search page on the 10,000-action briefing against Pagefind (pip's pagefind-bin, installed
## if missing), in headless Chromium: bytes and time per query, index build time and size.
bench-search: setup-test
	python3 bench/search_bench.py

clean:
	rm -rf .build .build-bench Site
