#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer of the front matter reader, the reference resolver and
# the [[slug]] link pass. Each target runs FUZZ_SECONDS (default 600: 30 minutes for all three)
# and grows its corpus in Tests/FuzzCorpus/<target>/, which `make test` replays. A crash stops
# the run and leaves its input in Tests/FuzzCorpus/crashes/ for `dossier-fuzz TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"front-matter references wiki-links"}

DOSSIER_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product dossier-fuzz
mkdir -p Tests/FuzzCorpus/crashes
for target in $targets; do
  mkdir -p "Tests/FuzzCorpus/$target"
  rm -rf ".build-fuzz/new-$target" && mkdir -p ".build-fuzz/new-$target"
  echo "fuzz: $target for ${seconds}s"
  # Starts from the committed corpus; what it finds goes to the first folder, a scratch one.
  DOSSIER_FUZZ_TARGET=$target .build-fuzz/release/dossier-fuzz \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="Tests/FuzzCorpus/crashes/$target-" ".build-fuzz/new-$target" "Tests/FuzzCorpus/$target"
done
# Keep the committed corpus small: of what was found, only the inputs that add coverage are
# added, and none already committed is dropped. libyaml and libcmark are Debian's libraries,
# not instrumented, so an input that only reaches into them (the YAML 2,280 levels deep that
# once overflowed the stack) adds no coverage the fuzzer can see and a merge from scratch
# would drop it.
for target in $targets; do
  DOSSIER_FUZZ_TARGET=$target .build-fuzz/release/dossier-fuzz -merge=1 -max_len=65536 \
    "Tests/FuzzCorpus/$target" ".build-fuzz/new-$target" 2>/dev/null
done
