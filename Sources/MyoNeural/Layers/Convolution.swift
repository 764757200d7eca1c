/// A 2-D convolution with its batch normalization folded in, on NHWC
/// activations.
///
/// The weights are stored as a `[kh * kw * inChannels, outChannels]`
/// matrix (rows ordered ky, kx, c), so one output pixel is one row of the
/// im2col matrix times this matrix. The layer name is the weight-file key
/// prefix, such as `layer2.0.conv2`.
final class Convolution: @unchecked Sendable {
  let name: String
  let inChannels: Int
  let outChannels: Int
  let kernel: Int
  let stride: Int
  let padding: Int
  /// Folded weights, `[kernel * kernel * inChannels, outChannels]`.
  let weights: FloatBuffer
  /// Folded bias, `[outChannels]`.
  let bias: FloatBuffer

  /// Creates a layer from folded weights in the matrix layout above,
  /// taking ownership of the buffer.
  init(
    name: String, inChannels: Int, outChannels: Int, kernel: Int,
    stride: Int, padding: Int, weights: FloatBuffer, bias: [Float]
  ) {
    precondition(
      weights.count == kernel * kernel * inChannels * outChannels
        && bias.count == outChannels,
      "\(name): \(weights.count) weights and \(bias.count) biases for"
        + " \(kernel)x\(kernel) \(inChannels) -> \(outChannels)")
    self.name = name
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.weights = weights
    self.bias = FloatBuffer(bias)
  }

  /// The length of one im2col row.
  var patchLength: Int { kernel * kernel * inChannels }

  /// Returns the output height or width for an input height or width.
  func outputSize(_ size: Int) -> Int {
    (size + 2 * padding - kernel) / stride + 1
  }

  /// Whether the input is already the im2col matrix (1x1, stride 1).
  var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }

  /// Returns the number of output rows (pixels) per GEMM, chosen so
  /// that one tile of the im2col matrix stays near 4 MB.
  func tileRows(total: Int) -> Int {
    if isPointwise { return min(total, max(512, 1_048_576 / outChannels)) }
    return min(total, max(256, 1_048_576 / patchLength))
  }

  /// Returns the im2col floats one tile needs, 0 for a pointwise layer.
  func columnFloats(rows: Int) -> Int {
    isPointwise ? 0 : tileRows(total: rows) * patchLength
  }

  /// Runs the layer.
  ///
  /// - input: `[n, height, width, inChannels]`.
  /// - output: `[n, outHeight, outWidth, outChannels]`; with `accumulate`
  ///   it already contains a residual, which the GEMM adds to.
  /// - columns: scratch for one im2col tile, `columnFloats(rows:)` floats.
  /// - epilogue: the pass applied to each finished tile, while it is hot.
  func forward(
    input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>,
    accumulate: Bool, epilogue: Epilogue
  ) {
    precondition(
      n > 0 && height + 2 * padding >= kernel
        && width + 2 * padding >= kernel,
      "\(name): input \(height)x\(width) is smaller than the"
        + " \(kernel)x\(kernel) kernel")
    let outHeight = outputSize(height)
    let outWidth = outputSize(width)
    let rows = n * outHeight * outWidth
    let tile = tileRows(total: rows)

    var start = 0
    while start < rows {
      let count = min(tile, rows - start)
      let a: UnsafePointer<Float>
      if isPointwise {
        a = input + start * inChannels
      } else {
        Im2col.fill(
          columns, rows: start..<(start + count), input: input,
          height: height, width: width, channels: inChannels,
          kernel: kernel, stride: stride, padding: padding,
          outHeight: outHeight, outWidth: outWidth)
        a = UnsafePointer(columns)
      }
      // M = output pixels of the tile, N = outChannels,
      // K = kernel * kernel * inChannels. A = im2col tile [M, K] (lda K),
      // B = weights [K, N] (ldb N), C = output rows [M, N] (ldc N).
      let c = output + start * outChannels
      BLAS.sgemm(
        m: count, n: outChannels, k: patchLength,
        a: a, lda: patchLength,
        b: UnsafePointer(weights.pointer), ldb: outChannels,
        c: c, ldc: outChannels, beta: accumulate ? 1 : 0)
      epilogue.apply(c, rows: count, channels: outChannels)
      start += count
    }
  }
}
