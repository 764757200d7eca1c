import Foundation

/// Builds a `ResNet50` from a weight source, folding each batch
/// normalization into the convolution before it.
enum ResNetLoader {
  /// Loads the backbone. Every expected tensor must be present with its
  /// shape. Keys outside the backbone are an error unless `ignoring`
  /// names their prefix (the head, such as `fc.`). `kernels` chooses the
  /// code that runs the convolutions.
  static func load(
    _ source: WeightSource, config: ResNetConfig, ignoring: [String] = [],
    kernels: ConvolutionKernels = .preferred
  ) throws -> ResNet50 {
    // A fixed mmap threshold makes glibc return each large transient
    // tensor to the system when it is freed. With the default, adaptive
    // threshold they stay in the heap and raise the peak resident memory.
    setMmapThreshold(1 << 20)
    var used = Set<String>()
    func conv(
      _ name: String, norm: String, input: Int, output: Int, kernel: Int,
      stride: Int
    ) throws -> Convolution {
      let convolution = try folded(
        source, name: name, norm: norm, input: input, output: output,
        kernel: kernel, stride: stride, epsilon: config.batchNormEpsilon,
        kernels: kernels, used: &used)
      return convolution
    }

    let base = config.baseWidth
    let stem = try conv(
      "conv1", norm: "bn1", input: 3, output: base, kernel: 7, stride: 2)
    var blocks: [Bottleneck] = []
    var inChannels = base
    for (stage, count) in config.blocks.enumerated() {
      let width = base << stage
      for index in 0..<count {
        let prefix = "layer\(stage + 1).\(index)"
        let stride = index == 0 && stage > 0 ? 2 : 1
        let stride1 = config.variant == .v1 ? stride : 1
        let stride3 = config.variant == .v1_5 ? stride : 1
        let conv1 = try conv(
          "\(prefix).conv1", norm: "\(prefix).bn1", input: inChannels,
          output: width, kernel: 1, stride: stride1)
        let conv2 = try conv(
          "\(prefix).conv2", norm: "\(prefix).bn2", input: width,
          output: width, kernel: 3, stride: stride3)
        let conv3 = try conv(
          "\(prefix).conv3", norm: "\(prefix).bn3", input: width,
          output: width * 4, kernel: 1, stride: 1)
        var downsample: Convolution?
        if index == 0 {
          downsample = try conv(
            "\(prefix).downsample.0", norm: "\(prefix).downsample.1",
            input: inChannels, output: width * 4, kernel: 1, stride: stride)
        }
        blocks.append(
          Bottleneck(
            name: prefix, conv1: conv1, conv2: conv2, conv3: conv3,
            downsample: downsample))
        inChannels = width * 4
      }
    }

    for key in source.keys.sorted() where !used.contains(key) {
      if key.hasSuffix("num_batches_tracked") { continue }
      if ignoring.contains(where: { key.hasPrefix($0) }) { continue }
      throw NeuralError.unexpectedTensor(
        path: source.path, key: key, found: source.shape(of: key) ?? [])
    }
    return ResNet50(config: config, stem: stem, blocks: blocks)
  }

  /// Reads a convolution and its batch normalization and folds them:
  /// `scale = gamma / sqrt(var + eps)`, `W' = W * scale` per output
  /// channel, `b' = beta + (b - mean) * scale`, where `b` is the
  /// convolution's own bias when the file has one (Keras) and 0 otherwise.
  /// The weights come out as the `[kh * kw * in, out]` matrix that
  /// `Convolution` multiplies with.
  static func folded(
    _ source: WeightSource, name: String, norm: String, input: Int,
    output: Int, kernel: Int, stride: Int, epsilon: Float,
    kernels: ConvolutionKernels = .preferred,
    used: inout Set<String>
  ) throws -> Convolution {
    let weightKey = "\(name).weight"
    let weight = try source.read(
      weightKey, shape: [output, input, kernel, kernel])
    used.insert(weightKey)
    var convBias = [Float](repeating: 0, count: output)
    if source.shape(of: "\(name).bias") != nil {
      convBias = try source.read("\(name).bias", shape: [output]).values
      used.insert("\(name).bias")
    }
    var fields: [String: [Float]] = [:]
    for field in ["weight", "bias", "running_mean", "running_var"] {
      let key = "\(norm).\(field)"
      fields[field] = try source.read(key, shape: [output]).values
      used.insert(key)
    }
    let gamma = fields["weight"]!
    let beta = fields["bias"]!
    let mean = fields["running_mean"]!
    let variance = fields["running_var"]!
    for (index, value) in variance.enumerated() where !(value >= 0) {
      throw NeuralError.invalidFile(
        path: source.path, field: "\(norm).running_var[\(index)]",
        found: "\(value)", expected: "a variance of 0 or more")
    }

    var scale = [Float](repeating: 0, count: output)
    var bias = [Float](repeating: 0, count: output)
    for o in 0..<output {
      // Folded in double precision so the fold adds no rounding of its own
      // beyond the final conversion to float.
      let s =
        Double(gamma[o]) / (Double(variance[o]) + Double(epsilon)).squareRoot()
      scale[o] = Float(s)
      bias[o] = Float(
        Double(beta[o]) + (Double(convBias[o]) - Double(mean[o])) * s)
    }

    // [out, in, kh, kw] -> [(ky, kx, in), out], scaled per output channel.
    let patch = kernel * kernel * input
    let matrix = FloatBuffer(count: patch * output)
    weight.values.withUnsafeBufferPointer { w in
      for o in 0..<output {
        for c in 0..<input {
          for ky in 0..<kernel {
            for kx in 0..<kernel {
              let from = ((o * input + c) * kernel + ky) * kernel + kx
              let row = (ky * kernel + kx) * input + c
              matrix.pointer[row * output + o] = w[from] * scale[o]
            }
          }
        }
      }
    }
    return Convolution(
      name: name, inChannels: input, outChannels: output, kernel: kernel,
      stride: stride, padding: kernel / 2, weights: matrix, bias: bias,
      kernels: kernels)
  }

  /// Calls glibc's `mallopt(M_MMAP_THRESHOLD, bytes)`, found with dlsym
  /// because Swift's Glibc module does not export malloc.h. Elsewhere it
  /// does nothing.
  static func setMmapThreshold(_ bytes: Int32) {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let process = dlopen(nil, RTLD_NOW),
      let symbol = dlsym(process, "mallopt")
    else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(-3, bytes)  // -3 is M_MMAP_THRESHOLD in glibc's malloc.h.
  }
}
