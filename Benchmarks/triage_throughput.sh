#!/bin/sh
# Cases per minute of `myoscope classify --output` on a generated phantom
# cohort, with 1 and with 2 jobs, beside the backbone forward pass timed
# by `myoscope bench` in the same run as the anchor.
#
# usage: Benchmarks/triage_throughput.sh [CASES] [SLICES]
# Needs a release build: swift build -c release --product myoscope
set -eu
cd "$(dirname "$0")/.."
cases=${1:-24}
slices=${2:-3}
bin=.build/release/myoscope
work=$(mktemp -d "${TMPDIR:-/tmp}/myoscope-triage.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bin" phantom --out "$work/cases" --cases "$cases" --seed 11 --format png \
  --slices "$slices" --size 256 2>/dev/null
rm -f "$work/cases/cases.csv"
model=${MYOSCOPE_MODEL:-Models/myoscope-demo.safetensors}

echo "anchor: backbone forward pass, batch 1, 224 x 224"
"$bin" bench --batch 1 --runs 5
for jobs in 1 2; do
  rm -f "$work/out.jsonl"
  start=$(date +%s.%N)
  "$bin" classify "$work/cases" --model "$model" --output "$work/out.jsonl" \
    --jobs "$jobs" --quiet
  end=$(date +%s.%N)
  lines=$(wc -l < "$work/out.jsonl")
  echo "$jobs jobs: $lines cases of $slices slices in" \
    "$(echo "$end - $start" | bc) s (wall clock, with model loading)"
done
