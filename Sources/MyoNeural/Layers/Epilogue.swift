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

  /// Applies the pass to `data`, `[rows, channels]`.
  func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, channels: Int) {
    switch self {
    case .none:
      return
    case .bias(let bias):
      Parallel.ranges(rows, cost: channels) { part in
        for row in part {
          let line = data + row * channels
          for c in 0..<channels { line[c] += bias[c] }
        }
      }
    case .biasReLU(let bias):
      Parallel.ranges(rows, cost: channels) { part in
        for row in part {
          let line = data + row * channels
          for c in 0..<channels { line[c] = max(line[c] + bias[c], 0) }
        }
      }
    }
  }
}
