"""Reference ResNet50 outputs for the Swift engine, from numpy and onnxruntime.

Makes seeded random weights in torchvision names (non-trivial batch
normalization statistics, so that folding is exercised), writes them as
safetensors (and, for the Keras variant, as a Keras HDF5 model file), runs
an independent float64 numpy forward pass in NCHW layout, and writes the
input, the last-stage features, the pooled features, the logit and the CAM.
With --onnx it also builds the same network as an ONNX graph and checks
onnxruntime against numpy.

  python resnet_reference.py --width 4 --size 64 --variant v1.5 --out DIR
"""

import argparse
import json
import os

import numpy as np
from safetensors.numpy import save_file

BLOCKS = [3, 4, 6, 3]


def backbone_shapes(width):
    """Yields (key, shape) in torchvision names, like the Swift loader."""
    def conv(name, out, inp, k):
        yield f"{name}.weight", (out, inp, k, k)

    def norm(name, c):
        for field in ("weight", "bias", "running_mean", "running_var"):
            yield f"{name}.{field}", (c,)

    yield from conv("conv1", width, 3, 7)
    yield from norm("bn1", width)
    inp = width
    for stage, count in enumerate(BLOCKS):
        w = width << stage
        for block in range(count):
            p = f"layer{stage + 1}.{block}"
            yield from conv(f"{p}.conv1", w, inp, 1)
            yield from norm(f"{p}.bn1", w)
            yield from conv(f"{p}.conv2", w, w, 3)
            yield from norm(f"{p}.bn2", w)
            yield from conv(f"{p}.conv3", w * 4, w, 1)
            yield from norm(f"{p}.bn3", w * 4)
            if block == 0:
                yield from conv(f"{p}.downsample.0", w * 4, inp, 1)
                yield from norm(f"{p}.downsample.1", w * 4)
            inp = w * 4


def random_weights(width, seed, conv_bias=False):
    """He-normal convolutions; batch norms with random statistics."""
    rng = np.random.default_rng(seed)
    weights = {}
    for key, shape in backbone_shapes(width):
        if len(shape) == 4:
            fan_in = shape[1] * shape[2] * shape[3]
            weights[key] = rng.normal(0, np.sqrt(2 / fan_in), shape)
            if conv_bias:
                bias_key = key[: -len("weight")] + "bias"
                weights[bias_key] = rng.normal(0, 0.1, shape[0])
        elif key.endswith("running_var"):
            weights[key] = rng.uniform(0.5, 2.0, shape)
        elif key.endswith("running_mean"):
            weights[key] = rng.normal(0, 0.2, shape)
        elif key.endswith("weight"):
            weights[key] = rng.uniform(0.3, 1.0, shape)
        else:
            weights[key] = rng.normal(0, 0.1, shape)
    return {k: v.astype(np.float32) for k, v in weights.items()}


def to_bfloat16_bits(array):
    """float32 -> bfloat16 bit patterns, rounding to nearest even."""
    bits = np.ascontiguousarray(array, dtype=np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16)


def from_bfloat16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def save_mixed(path, tensors):
    """Writes safetensors by hand so that BF16 tensors can be stored:
    tensors maps key -> (dtype name, little-endian array)."""
    header, blobs, offset = {}, [], 0
    for key in sorted(tensors):
        dtype, array = tensors[key]
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"))
        raw = data.tobytes()
        header[key] = {"dtype": dtype, "shape": list(array.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def conv2d(x, w, b, stride, pad):
    """x [N, C, H, W], w [O, C, k, k] -> [N, O, Ho, Wo], float64."""
    n, c, h, wd = x.shape
    o, _, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho = (h + 2 * pad - k) // stride + 1
    wo = (wd + 2 * pad - k) // stride + 1
    cols = np.empty((n, c, k, k, ho, wo))
    for ky in range(k):
        for kx in range(k):
            cols[:, :, ky, kx] = xp[:, :, ky:ky + stride * ho:stride,
                                    kx:kx + stride * wo:stride]
    y = np.tensordot(cols, w, axes=([1, 2, 3], [1, 2, 3]))  # [N, Ho, Wo, O]
    y = y.transpose(0, 3, 1, 2)
    if b is not None:
        y = y + b[None, :, None, None]
    return y


def batch_norm(x, weights, name, eps):
    g = weights[f"{name}.weight"].astype(np.float64)
    b = weights[f"{name}.bias"].astype(np.float64)
    m = weights[f"{name}.running_mean"].astype(np.float64)
    v = weights[f"{name}.running_var"].astype(np.float64)
    return ((x - m[None, :, None, None]) / np.sqrt(v + eps)[None, :, None, None]
            * g[None, :, None, None] + b[None, :, None, None])


def max_pool(x):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    ho = (h + 2 - 3) // 2 + 1
    wo = (w + 2 - 3) // 2 + 1
    out = np.full((n, c, ho, wo), -np.inf)
    for ky in range(3):
        for kx in range(3):
            out = np.maximum(out, xp[:, :, ky:ky + 2 * ho:2, kx:kx + 2 * wo:2])
    return out


def forward(weights, x, variant, eps):
    """NCHW float64 forward pass to the last stage."""
    def w64(key):
        return weights[key].astype(np.float64)

    def cbn(x, conv, norm, stride, pad, relu):
        bias = weights.get(f"{conv}.bias")
        y = conv2d(x, w64(f"{conv}.weight"),
                   None if bias is None else bias.astype(np.float64),
                   stride, pad)
        y = batch_norm(y, weights, norm, eps)
        return np.maximum(y, 0) if relu else y

    x = cbn(x, "conv1", "bn1", 2, 3, True)
    x = max_pool(x)
    for stage, count in enumerate(BLOCKS):
        for block in range(count):
            p = f"layer{stage + 1}.{block}"
            stride = 2 if block == 0 and stage > 0 else 1
            s1 = stride if variant == "v1" else 1
            s2 = stride if variant == "v1.5" else 1
            y = cbn(x, f"{p}.conv1", f"{p}.bn1", s1, 0, True)
            y = cbn(y, f"{p}.conv2", f"{p}.bn2", s2, 1, True)
            y = cbn(y, f"{p}.conv3", f"{p}.bn3", 1, 0, False)
            if block == 0:
                shortcut = cbn(x, f"{p}.downsample.0", f"{p}.downsample.1",
                               stride, 0, False)
            else:
                shortcut = x
            x = np.maximum(y + shortcut, 0)
    return x


def head_outputs(pooled, head):
    """Logit and its gradient w.r.t. the pooled features, float64.

    head is a list of (weight [out, in], bias [out]); ReLU between layers;
    with two outputs the logit is z1 - z0.
    """
    acts = [pooled]
    x = pooled
    for i, (w, b) in enumerate(head):
        x = w.astype(np.float64) @ x + b.astype(np.float64)
        if i < len(head) - 1:
            x = np.maximum(x, 0)
        acts.append(x)
    logit = x[0] if len(x) == 1 else x[1] - x[0]
    up = np.array([1.0]) if len(x) == 1 else np.array([-1.0, 1.0])
    for i in range(len(head) - 1, -1, -1):
        w = head[i][0].astype(np.float64)
        if i < len(head) - 1:
            up = up * (acts[i + 1] > 0)
        up = w.T @ up
    return logit, up


def onnx_model(weights, variant, eps, size, width):
    """The same backbone as an ONNX graph (NCHW), output the last stage."""
    import onnx
    from onnx import helper, TensorProto, numpy_helper

    nodes, inits = [], []
    counter = [0]

    def name(prefix):
        counter[0] += 1
        return f"{prefix}_{counter[0]}"

    def init(key, array):
        inits.append(numpy_helper.from_array(array.astype(np.float32), key))
        return key

    def cbn(x, conv, norm, stride, pad, relu):
        inputs = [x, init(f"{conv}.weight", weights[f"{conv}.weight"])]
        if f"{conv}.bias" in weights:
            inputs.append(init(f"{conv}.bias", weights[f"{conv}.bias"]))
        k = weights[f"{conv}.weight"].shape[2]
        y = name("conv")
        nodes.append(helper.make_node(
            "Conv", inputs, [y], kernel_shape=[k, k], strides=[stride, stride],
            pads=[pad] * 4))
        z = name("bn")
        nodes.append(helper.make_node(
            "BatchNormalization",
            [y] + [init(f"{norm}.{f}", weights[f"{norm}.{f}"])
                   for f in ("weight", "bias", "running_mean", "running_var")],
            [z], epsilon=eps))
        if relu:
            r = name("relu")
            nodes.append(helper.make_node("Relu", [z], [r]))
            return r
        return z

    x = cbn("input", "conv1", "bn1", 2, 3, True)
    p = name("pool")
    nodes.append(helper.make_node("MaxPool", [x], [p], kernel_shape=[3, 3],
                                  strides=[2, 2], pads=[1, 1, 1, 1]))
    x = p
    for stage, count in enumerate(BLOCKS):
        for block in range(count):
            q = f"layer{stage + 1}.{block}"
            stride = 2 if block == 0 and stage > 0 else 1
            s1 = stride if variant == "v1" else 1
            s2 = stride if variant == "v1.5" else 1
            y = cbn(x, f"{q}.conv1", f"{q}.bn1", s1, 0, True)
            y = cbn(y, f"{q}.conv2", f"{q}.bn2", s2, 1, True)
            y = cbn(y, f"{q}.conv3", f"{q}.bn3", 1, 0, False)
            shortcut = x
            if block == 0:
                shortcut = cbn(x, f"{q}.downsample.0", f"{q}.downsample.1",
                               stride, 0, False)
            s = name("add")
            nodes.append(helper.make_node("Add", [y, shortcut], [s]))
            r = name("relu")
            nodes.append(helper.make_node("Relu", [s], [r]))
            x = r
    nodes.append(helper.make_node("Identity", [x], ["features"]))
    graph = helper.make_graph(
        nodes, "resnet50",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       ["batch", 3, size, size])],
        [helper.make_tensor_value_info(
            "features", TensorProto.FLOAT,
            ["batch", width * 32, size // 32, size // 32])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_keras_h5(path, weights, head, width):
    """Writes the weights as a whole Keras 2 model file (model.save to .h5):
    model_weights/<layer>/<layer>/<name>:0 datasets, layer_names and
    weight_names attributes, Keras layer names and HWIO kernels."""
    import h5py

    layers = []  # (keras layer name, [(weight name, array)])

    def conv(keras, torch):
        kernel = weights[f"{torch}.weight"].transpose(2, 3, 1, 0)
        bias = weights[f"{torch}.bias"]
        layers.append((keras, [("kernel:0", kernel), ("bias:0", bias)]))

    def norm(keras, torch):
        layers.append((keras, [
            ("gamma:0", weights[f"{torch}.weight"]),
            ("beta:0", weights[f"{torch}.bias"]),
            ("moving_mean:0", weights[f"{torch}.running_mean"]),
            ("moving_variance:0", weights[f"{torch}.running_var"])]))

    conv("conv1_conv", "conv1")
    norm("conv1_bn", "bn1")
    for stage, count in enumerate(BLOCKS):
        for block in range(count):
            t = f"layer{stage + 1}.{block}"
            k = f"conv{stage + 2}_block{block + 1}"
            if block == 0:
                conv(f"{k}_0_conv", f"{t}.downsample.0")
            for i in (1, 2, 3):
                conv(f"{k}_{i}_conv", f"{t}.conv{i}")
            if block == 0:
                norm(f"{k}_0_bn", f"{t}.downsample.1")
            for i in (1, 2, 3):
                norm(f"{k}_{i}_bn", f"{t}.bn{i}")
    layers.append(("avg_pool", []))
    for i, (w, b) in enumerate(head):
        layers.append((f"dense_{i}" if i else "dense",
                       [("kernel:0", w.T), ("bias:0", b)]))

    config = {"class_name": "Functional", "config": {"name": "model"}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.13.1"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode()
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([n.encode() for n, _ in layers])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.13.1"
        for layer, items in layers:
            lg = g.create_group(layer)
            lg.attrs["weight_names"] = np.array(
                [f"{layer}/{n}".encode() for n, _ in items])
            for n, array in items:
                lg.create_dataset(f"{layer}/{n}", data=array.astype(np.float32))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--variant", choices=["v1.5", "v1"], default="v1.5")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    parser.add_argument("--onnx", action="store_true",
                        help="also check onnxruntime and save model.onnx")
    parser.add_argument("--half", action="store_true",
                        help="store convolutions as F16 and the head as BF16")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    keras = args.variant == "v1"
    eps = 1.001e-5 if keras else 1e-5
    weights = random_weights(args.width, args.seed, conv_bias=keras)
    rng = np.random.default_rng(args.seed + 1000)
    channels = args.width * 32
    if keras:
        head = [(rng.normal(0, 0.05, (8, channels)), rng.normal(0, 0.1, 8)),
                (rng.normal(0, 0.3, (1, 8)), rng.normal(0, 0.1, 1))]
    else:
        head = [(rng.normal(0, 0.05, (2, channels)), rng.normal(0, 0.1, 2))]
    head = [(w.astype(np.float32), b.astype(np.float32)) for w, b in head]

    # Round the stored precision first so that numpy sees the same values:
    # with --half, convolutions as F16, the head as BF16, the rest F32.
    if not keras:
        stored = {}
        for key, value in weights.items():
            if args.half and len(value.shape) == 4:
                stored[key] = ("F16", value.astype(np.float16))
                weights[key] = value.astype(np.float16).astype(np.float32)
            else:
                stored[key] = ("F32", value)
        if args.half:
            bits = [to_bfloat16_bits(a) for a in head[0]]
            head = [tuple(from_bfloat16_bits(b) for b in bits)]
            stored["fc.weight"] = ("BF16", bits[0])
            stored["fc.bias"] = ("BF16", bits[1])
        else:
            stored["fc.weight"] = ("F32", head[0][0])
            stored["fc.bias"] = ("F32", head[0][1])
        save_mixed(os.path.join(args.out, "weights.safetensors"), stored)
    else:
        write_keras_h5(os.path.join(args.out, "model.h5"), weights, head,
                       args.width)

    image = rng.normal(0, 1, (1, 3, args.size, args.size)).astype(np.float32)
    features = forward(weights, image.astype(np.float64), args.variant, eps)
    pooled = features.mean(axis=(2, 3))[0]
    logit, gradient = head_outputs(pooled, head)
    cam = np.tensordot(gradient, features[0], axes=([0], [0]))

    reference = {
        "input": image.transpose(0, 2, 3, 1).copy(),        # NHWC
        "features": features.transpose(0, 2, 3, 1).astype(np.float32),
        "pooled": pooled.astype(np.float32),
        "logit": np.array([logit], dtype=np.float32),
        "cam": cam.astype(np.float32),
    }
    meta = {"variant": args.variant, "width": str(args.width),
            "size": str(args.size), "epsilon": repr(eps),
            "seed": str(args.seed)}
    save_file(reference, os.path.join(args.out, "reference.safetensors"),
              metadata=meta)

    if args.onnx:
        import onnxruntime as ort
        model = onnx_model(weights, args.variant, eps, args.size, args.width)
        path = os.path.join(args.out, "model.onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        out = session.run(None, {"input": image})[0]
        error = np.abs(out - features).max() / np.abs(features).max()
        print(f"onnxruntime vs numpy: max error {error:.2e} of the max")
    print(f"logit {logit:.6f}; wrote {args.out}")


if __name__ == "__main__":
    main()
