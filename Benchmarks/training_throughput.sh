#!/bin/sh
# Seconds of `myoscope train` on a generated phantom cohort with a cold
# and with a warm feature cache, beside the backbone forward pass timed
# by `myoscope bench` in the same run as the anchor.
#
# usage: Benchmarks/training_throughput.sh [CASES] [SLICES]
# Needs a release build: swift build -c release --product myoscope
set -eu
cd "$(dirname "$0")/.."
cases=${1:-40}
slices=${2:-2}
bin=.build/release/myoscope
work=$(mktemp -d "${TMPDIR:-/tmp}/myoscope-train-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bin" phantom --out "$work/cohort" --cases "$cases" --seed 5 --format png \
  --slices "$slices" --size 256 2>/dev/null
echo "anchor: backbone forward pass, batch 1, 224 x 224"
"$bin" bench --batch 1 --runs 5
for run in cold warm; do
  start=$(date +%s.%N)
  "$bin" train --cohort "$work/cohort/cases.csv" -o "$work/model.safetensors" \
    --split manifest --hidden 64 --optimizer adam --learning-rate 3e-4 \
    --epochs 100 --patience 20 --cache "$work/features" --quiet 2>&1 >/dev/null \
    | tail -1
  end=$(date +%s.%N)
  echo "$run cache: $(echo "$end - $start" | bc) s wall clock"
done
