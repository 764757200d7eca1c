import Foundation

/// A convolution of the fine-tuned stage, batch normalization folded in,
/// on one image `[height, width, inChannels]` at a time.
///
/// Weights keep the layout of `Convolution`: a `[kernel * kernel *
/// inChannels, outChannels]` matrix whose rows run ky, kx, c, so that an
/// output pixel is one im2col row times the matrix.
struct TrainableConvolution {
  let name: String
  let inChannels: Int
  let outChannels: Int
  let kernel: Int
  let stride: Int
  let padding: Int
  /// `[kernel * kernel * inChannels, outChannels]`
  var weight: Parameter
  /// `[outChannels]`
  var bias: Parameter

  /// Copies a frozen layer's folded weights.
  init(_ layer: Convolution) {
    name = layer.name
    inChannels = layer.inChannels
    outChannels = layer.outChannels
    kernel = layer.kernel
    stride = layer.stride
    padding = layer.padding
    weight = Parameter(layer.weightMatrix, decays: true)
    bias = Parameter(layer.bias.array, decays: false)
  }

  var patchLength: Int { kernel * kernel * inChannels }

  func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernel) / stride + 1 }

  /// Builds the im2col matrix of an image, `[outSide * outSide, patchLength]`.
  func columns(_ input: [Float], side: Int) -> [Float] {
    let outSide = outputSize(side)
    if kernel == 1 && stride == 1 && padding == 0 { return input }
    var columns = [Float](repeating: 0, count: outSide * outSide * patchLength)
    input.withUnsafeBufferPointer { source in
      columns.withUnsafeMutableBufferPointer { target in
        Im2col.fill(
          target.baseAddress!, rows: 0..<(outSide * outSide), input: source.baseAddress!,
          height: side, width: side, channels: inChannels, kernel: kernel, stride: stride,
          padding: padding, outHeight: outSide, outWidth: outSide)
      }
    }
    return columns
  }

  /// Runs the layer on the im2col matrix; returns `[pixels, outChannels]`
  /// before any ReLU.
  func forward(columns: [Float], pixels: Int) -> [Float] {
    precondition(
      columns.count == pixels * patchLength,
      "\(name): \(columns.count) im2col values for \(pixels) pixels of \(patchLength)")
    var output = [Float](repeating: 0, count: pixels * outChannels)
    for pixel in 0..<pixels {
      for o in 0..<outChannels { output[pixel * outChannels + o] = bias.values[o] }
    }
    // M = pixels, N = outChannels, K = patchLength; A = im2col [M, K],
    // B = weights [K, N], C = output [M, N], accumulated onto the bias.
    columns.withUnsafeBufferPointer { a in
      weight.values.withUnsafeBufferPointer { b in
        output.withUnsafeMutableBufferPointer { c in
          BLAS.sgemm(
            m: pixels, n: outChannels, k: patchLength, a: a.baseAddress!, lda: patchLength,
            b: b.baseAddress!, ldb: outChannels, c: c.baseAddress!, ldc: outChannels, beta: 1)
        }
      }
    }
    return output
  }

  /// Adds the weight and bias gradients of one image to the accumulated
  /// ones and returns d loss / d input `[side, side, inChannels]`.
  mutating func backward(
    _ upstream: [Float], columns: [Float], pixels: Int, side: Int
  ) -> [Float] {
    for pixel in 0..<pixels {
      for o in 0..<outChannels { bias.gradient[o] += upstream[pixel * outChannels + o] }
    }

    // dW [K, N] += cols^T [K, M] * dOut [M, N]: M = patchLength,
    // N = outChannels, K = pixels; cols is transposed first because the
    // GEMM wrapper transposes only B.
    var transposed = [Float](repeating: 0, count: columns.count)
    for pixel in 0..<pixels {
      for k in 0..<patchLength {
        transposed[k * pixels + pixel] = columns[pixel * patchLength + k]
      }
    }
    var weightGradient = weight.gradient
    transposed.withUnsafeBufferPointer { a in
      upstream.withUnsafeBufferPointer { b in
        weightGradient.withUnsafeMutableBufferPointer { c in
          BLAS.sgemm(
            m: patchLength, n: outChannels, k: pixels, a: a.baseAddress!, lda: pixels,
            b: b.baseAddress!, ldb: outChannels, c: c.baseAddress!, ldc: outChannels, beta: 1)
        }
      }
    }
    weight.gradient = weightGradient

    // dCols [M, K] = dOut [M, N] * W^T: M = pixels, N = patchLength,
    // K = outChannels; W [patchLength, outChannels] is B transposed.
    var columnGradient = [Float](repeating: 0, count: pixels * patchLength)
    upstream.withUnsafeBufferPointer { a in
      weight.values.withUnsafeBufferPointer { b in
        columnGradient.withUnsafeMutableBufferPointer { c in
          BLAS.sgemm(
            m: pixels, n: patchLength, k: outChannels, a: a.baseAddress!, lda: outChannels,
            b: b.baseAddress!, ldb: outChannels, transposeB: true, c: c.baseAddress!,
            ldc: patchLength)
        }
      }
    }
    if kernel == 1 && stride == 1 && padding == 0 { return columnGradient }

    // col2im: each patch tap adds back to the input pixel it was copied
    // from; taps in the padding are dropped.
    let outSide = outputSize(side)
    var input = [Float](repeating: 0, count: side * side * inChannels)
    for oy in 0..<outSide {
      for ox in 0..<outSide {
        let row = (oy * outSide + ox) * patchLength
        for ky in 0..<kernel {
          let iy = oy * stride - padding + ky
          guard iy >= 0 && iy < side else { continue }
          for kx in 0..<kernel {
            let ix = ox * stride - padding + kx
            guard ix >= 0 && ix < side else { continue }
            let from = row + (ky * kernel + kx) * inChannels
            let to = (iy * side + ix) * inChannels
            for c in 0..<inChannels { input[to + c] += columnGradient[from + c] }
          }
        }
      }
    }
    return input
  }

  /// The layer's tensors in torchvision names and PyTorch layout, with an
  /// identity batch normalization that carries the folded bias: weight 1,
  /// bias b, running mean 0 and running variance 1 - epsilon, so that
  /// folding again gives back these weights.
  static func tensors(
    name: String, norm: String, weight: [Float], bias: [Float], inChannels: Int,
    outChannels: Int, kernel: Int, epsilon: Float
  ) -> [String: Tensor] {
    var torch = [Float](repeating: 0, count: weight.count)
    for o in 0..<outChannels {
      for c in 0..<inChannels {
        for ky in 0..<kernel {
          for kx in 0..<kernel {
            let row = (ky * kernel + kx) * inChannels + c
            torch[((o * inChannels + c) * kernel + ky) * kernel + kx] =
              weight[row * outChannels + o]
          }
        }
      }
    }
    let ones = [Float](repeating: 1, count: outChannels)
    return [
      "\(name).weight": Tensor(shape: [outChannels, inChannels, kernel, kernel], values: torch),
      "\(norm).weight": Tensor(shape: [outChannels], values: ones),
      "\(norm).bias": Tensor(shape: [outChannels], values: bias),
      "\(norm).running_mean": Tensor(
        shape: [outChannels], values: [Float](repeating: 0, count: outChannels)),
      "\(norm).running_var": Tensor(
        shape: [outChannels], values: [Float](repeating: 1 - epsilon, count: outChannels)),
    ]
  }
}

/// One trainable tensor with its gradient and optimizer state.
struct Parameter {
  var values: [Float]
  var gradient: [Float]
  /// First moments (Adam) or velocities (SGD with momentum).
  var moment: [Float]
  /// Second moments (Adam).
  var square: [Float]
  /// Whether weight decay applies (weights, not biases).
  let decays: Bool

  init(_ values: [Float], decays: Bool) {
    self.values = values
    let zeros = [Float](repeating: 0, count: values.count)
    gradient = zeros
    moment = zeros
    square = zeros
    self.decays = decays
  }

  /// Applies one update of step `step` (from 1) with the accumulated
  /// gradient, scaled by `scale`, and clears the gradient.
  mutating func update(_ options: HeadOptions, rate: Float, step: Int, scale: Float) {
    let decay = decays ? Float(options.weightDecay) : 0
    switch options.optimizer {
    case .sgd:
      let momentum = Float(options.momentum)
      for i in values.indices {
        let g = gradient[i] * scale + decay * values[i]
        moment[i] = momentum * moment[i] - rate * g
        values[i] += moment[i]
      }
    case .adam:
      let beta1: Float = 0.9
      let beta2: Float = 0.999
      let correction1 = 1 - pow(beta1, Float(step))
      let correction2 = 1 - pow(beta2, Float(step))
      for i in values.indices {
        let g = gradient[i] * scale
        moment[i] = beta1 * moment[i] + (1 - beta1) * g
        square[i] = beta2 * square[i] + (1 - beta2) * g * g
        let change = rate * (moment[i] / correction1) / ((square[i] / correction2).squareRoot() + 1e-7)
        values[i] -= change + rate * decay * values[i]
      }
    }
    for i in gradient.indices { gradient[i] = 0 }
  }
}
