#!/bin/sh
# Checks that `myoscope classify --shard K/N` over a generated phantom
# cohort classifies every case exactly once, and prints the shard sizes;
# it exits with status 1 when a case is missing or repeated. A small network (base width 8,
# 64-pixel input) trained on the same cohort keeps the run short; the
# sharding does not depend on the model.
#
# usage: Benchmarks/shard_coverage.sh [CASES] [SHARDS]
# Needs a release build: swift build -c release --product myoscope
set -eu
cd "$(dirname "$0")/.."
cases=${1:-1000}
shards=${2:-4}
bin=.build/release/myoscope
work=$(mktemp -d "${TMPDIR:-/tmp}/myoscope-shards.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bin" phantom --out "$work/cases" --cases "$cases" --seed 13 --format png \
  --slices 1 --size 64 2>/dev/null
# The manifest beside the case folders is skipped by the case listing.
"$bin" train --cohort "$work/cases/cases.csv" -o "$work/model.safetensors" \
  --width 8 --input-size 64 --optimizer adam --learning-rate 1e-3 \
  --epochs 20 --no-cache --quiet >/dev/null

shard=1
while [ "$shard" -le "$shards" ]; do
  "$bin" classify "$work/cases" --model "$work/model.safetensors" \
    --shard "$shard/$shards" --output "$work/shard-$shard.jsonl" --quiet
  shard=$((shard + 1))
done

total=$(cat "$work"/shard-*.jsonl | wc -l)
unique=$(cat "$work"/shard-*.jsonl | sed 's/.*"case":"\([^"]*\)".*/\1/' | sort -u | wc -l)
listed=$(ls -d "$work"/cases/PH* | wc -l)
for file in "$work"/shard-*.jsonl; do
  echo "$(basename "$file"): $(wc -l < "$file") cases"
done
echo "cases listed $listed, lines $total, distinct cases $unique"
if [ "$total" -eq "$listed" ] && [ "$unique" -eq "$listed" ]; then
  echo "every case exactly once"
else
  echo "coverage FAILED" >&2
  exit 1
fi
