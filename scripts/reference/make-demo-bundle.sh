#!/bin/sh
# Rebuilds Models/myoscope-demo.safetensors: the seeded random-feature
# backbone (generator he-normal-1, seed 1) with a logistic head trained on
# a phantom cohort of 80 cases (half dystrophinopathy, 3 slices each) made
# by `myoscope phantom`. Deterministic as long as the phantom generator is.
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product myoscope >/dev/null
binary=.build/release/myoscope
cohort=.build/demo-cohort
rm -rf "$cohort"
"$binary" phantom --out "$cohort" --cases 80 --slices 3 --size 320 --seed 7 \
  --dystrophinopathy 0.5 >/dev/null
"$binary" model demo -o Models/myoscope-demo.safetensors --seed 1 --cohort "$cohort"
