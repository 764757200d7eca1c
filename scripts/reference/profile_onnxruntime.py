"""Prints onnxruntime's time per ResNet50 stage, to set beside `myoscope
bench --layers`.

Runs the ONNX file that bench.sh saves (the v1.5 backbone to the last
stage) with onnxruntime's profiler on, at batch 1, and sums the kernel
time of its nodes by stage. After graph optimization every convolution is
one fused node, in network order: the stem, the max pool, then 10, 13, 19
and 10 convolutions for the four stages (each stage's projection
included). A graph that does not have that shape is reported, not
guessed at.

  python profile_onnxruntime.py --model MODEL.onnx [--threads N] [--runs 20]
"""

import argparse
import json
import os
import tempfile

import numpy as np
import onnxruntime as ort

STAGES = [("stem", 1), ("max pool", 1), ("layer1", 10), ("layer2", 13),
          ("layer3", 19), ("layer4", 10)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads; 0 lets onnxruntime choose")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = args.threads
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(
        tempfile.mkdtemp(prefix="myoscope-ort-"), "profile")
    session = ort.InferenceSession(
        args.model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    image = np.random.default_rng(3).uniform(
        -2, 2, (1, 3, 224, 224)).astype(np.float32)
    session.run(None, {name: image})  # warm-up, counted below as well
    for _ in range(args.runs):
        session.run(None, {name: image})
    path = session.end_profiling()
    with open(path) as handle:
        events = json.load(handle)
    os.remove(path)

    totals = {}
    for event in events:
        if event.get("cat") != "Node" or not event["name"].endswith("_kernel_time"):
            continue
        node = event["name"][: -len("_kernel_time")]
        operator = event["args"].get("op_name", "")
        if operator not in ("Conv", "MaxPool"):
            continue
        totals.setdefault(node, 0.0)
        totals[node] += event["dur"] / 1000.0 / (args.runs + 1)

    times = list(totals.values())
    expected = sum(count for _, count in STAGES)
    if len(times) != expected:
        raise SystemExit(
            f"{args.model}: {len(times)} convolution and pool nodes after"
            f" optimization, not the {expected} of the ResNet50 backbone;"
            " profile a model saved by bench_onnxruntime.py")
    threads = args.threads or "default"
    print(f"onnxruntime {ort.__version__}, intra-op threads {threads},"
          f" batch 1, ms per image by stage ({args.runs + 1} runs)")
    start = 0
    for stage, count in STAGES:
        print(f"  {stage:<9} {sum(times[start:start + count]):7.2f}")
        start += count
    print(f"  {'total':<9} {sum(times):7.2f}")


if __name__ == "__main__":
    main()
