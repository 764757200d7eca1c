#!/bin/sh
# Times the ResNet50 backbone in myoscope and in onnxruntime on the same
# generated weights, in one run, and prints the ratio per batch size.
#
#   scripts/reference/bench.sh [RUNS]
#
# Installs numpy, safetensors, onnx and onnxruntime from PyPI into
# .build/bench-venv. Each engine runs in its own process per batch size so
# that the peak resident memory of batch 1 is its own. Other work on the
# machine skews the figures: check `uptime` first.
set -eu
cd "$(dirname "$0")/../.."
runs=${1:-10}
venv=.build/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q numpy safetensors onnx onnxruntime
swift build -c release --product myoscope >/dev/null
binary=.build/release/myoscope
weights=.build/bench-resnet50.safetensors
onnx=.build/bench-resnet50.onnx
[ -f "$weights" ] || "$binary" bench --export "$weights" >/dev/null
[ -f "$onnx" ] || "$venv/bin/python" scripts/reference/bench_onnxruntime.py \
  --weights "$weights" --save "$onnx"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(uptime | sed 's/.*load average: //')"
for batch in 1 32; do
  swift_line=$("$binary" bench --batch "$batch" --runs "$runs")
  ort_line=$("$venv/bin/python" scripts/reference/bench_onnxruntime.py \
    --model "$onnx" --batch "$batch" --runs "$runs")
  echo "$swift_line" | sed 's/^/myoscope    | /'
  echo "$ort_line" | sed 's/^/onnxruntime | /'
  ours=$(echo "$swift_line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  theirs=$(echo "$ort_line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  echo "batch $batch: myoscope / onnxruntime = $(echo "$ours $theirs" | awk '{printf "%.2f", $1 / $2}')"
done
echo "load after: $(uptime | sed 's/.*load average: //')"
