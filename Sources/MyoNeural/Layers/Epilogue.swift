/// The elementwise pass that finishes a convolution's output: the folded
/// bias and, optionally, the ReLU, in one pass over rows of `[rows,
/// channels]`. A residual is added before it, by the GEMM itself (beta 1).
enum Epilogue {
  /// Leave the GEMM result as it is.
  case none
  /// Add the bias, `[channels]`.
  case bias(UnsafePointer<Float>)
  /// Add the bias, `[channels]`, then clamp negatives to zero.
  case biasReLU(UnsafePointer<Float>)

  /// Applies the pass to `data`, `[rows, channels]`, split across the
  /// elementwise threads.
  func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, channels: Int) {
    if case .none = self { return }
    Parallel.ranges(rows, cost: channels) { part in
      apply(
        data + part.lowerBound * channels, rows: part.count,
        columns: 0..<channels, stride: channels)
    }
  }

  /// Applies the pass on the calling thread to the channels `columns` of
  /// `rows` rows that lie `stride` floats apart.
  func apply(
    _ data: UnsafeMutablePointer<Float>, rows: Int, columns: Range<Int>,
    stride: Int
  ) {
    switch self {
    case .none:
      return
    case .bias(let bias):
      for row in 0..<rows {
        let line = data + row * stride
        for c in columns { line[c] += bias[c] }
      }
    case .biasReLU(let bias):
      for row in 0..<rows {
        let line = data + row * stride
        for c in columns { line[c] = max(line[c] + bias[c], 0) }
      }
    }
  }

  /// The bias, or nil for `.none`.
  var bias: UnsafePointer<Float>? {
    switch self {
    case .none: return nil
    case .bias(let bias), .biasReLU(let bias): return bias
    }
  }

  /// Whether negatives are clamped to zero.
  var clamps: Bool {
    if case .biasReLU = self { return true }
    return false
  }
}
