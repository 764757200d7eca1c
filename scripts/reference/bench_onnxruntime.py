"""Times onnxruntime on the ResNet50 backbone that `myoscope bench` times.

With --weights and --save, reads the weights that `myoscope bench
--export FILE` wrote, builds the same NCHW graph as resnet_reference.py (to
the last stage) and saves it as ONNX. With --model, loads that ONNX file
and prints the median milliseconds per image for each batch size, with all
graph optimizations enabled, and the peak resident memory of the process
(which then keeps no copy of the weights outside onnxruntime).

  python bench_onnxruntime.py --weights FILE --save MODEL.onnx
  python bench_onnxruntime.py --model MODEL.onnx [--batch 1,32] [--runs 10]
"""

import argparse
import os
import resource
import sys
import time

import numpy as np
from safetensors.numpy import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resnet_reference import onnx_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights")
    parser.add_argument("--save")
    parser.add_argument("--model")
    parser.add_argument("--variant", default="v1.5")
    parser.add_argument("--batch", default="1,32")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads; 0 lets onnxruntime choose")
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()

    import onnxruntime as ort

    if args.save:
        weights = load_file(args.weights)
        model = onnx_model(weights, args.variant, 1e-5, args.size, 64)
        with open(args.save, "wb") as f:
            f.write(model.SerializeToString())
        return
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(args.model, options,
                                   providers=["CPUExecutionProvider"])
    print(f"onnxruntime {ort.__version__}, all graph optimizations,"
          f" intra-op threads {args.threads or 'default'}")
    rng = np.random.default_rng(3)
    for batch in [int(b) for b in args.batch.split(",")]:
        x = rng.uniform(-2, 2, (batch, 3, args.size, args.size)).astype(np.float32)
        session.run(None, {"input": x})
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            session.run(None, {"input": x})
            times.append((time.perf_counter() - start) / batch * 1000)
        times.sort()
        print(f"batch {batch:3d}: median {times[len(times) // 2]:.1f} ms per"
              f" image (min {times[0]:.1f}, max {times[-1]:.1f},"
              f" {args.runs} runs)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
