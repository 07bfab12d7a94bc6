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
  echo "fuzz: $target for ${seconds}s"
  DOSSIER_FUZZ_TARGET=$target .build-fuzz/release/dossier-fuzz \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="Tests/FuzzCorpus/crashes/$target-" "Tests/FuzzCorpus/$target"
done
# Keep the committed corpus small: merge it down to the inputs that add coverage.
for target in $targets; do
  mkdir -p ".build-fuzz/merged-$target"
  DOSSIER_FUZZ_TARGET=$target .build-fuzz/release/dossier-fuzz -merge=1 -max_len=65536 \
    ".build-fuzz/merged-$target" "Tests/FuzzCorpus/$target" 2>/dev/null
  rm -rf "Tests/FuzzCorpus/$target" && mv ".build-fuzz/merged-$target" "Tests/FuzzCorpus/$target"
done
