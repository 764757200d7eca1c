/// Copies convolution patches of an NHWC tensor into the rows of a
/// matrix, so that a convolution becomes one GEMM.
enum Im2col {
  /// Fills `columns` with the patches of the output pixels in `rows`,
  /// split across the elementwise threads when `parallel`.
  ///
  /// - input: `[n, height, width, channels]`.
  /// - columns: `[rows.count, kernel * kernel * channels]`, each row
  ///   ordered ky, kx, c; taps that fall in the padding are zero.
  static func fill(
    _ columns: UnsafeMutablePointer<Float>, rows: Range<Int>,
    input: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
    kernel: Int, stride: Int, padding: Int, outHeight: Int, outWidth: Int,
    parallel: Bool = true
  ) {
    let patch = kernel * kernel * channels
    let pixels = outHeight * outWidth
    let fillPart = { (part: Range<Int>) in
      for local in part {
        let row = rows.lowerBound + local
        let image = row / pixels
        let oy = (row % pixels) / outWidth
        let ox = row % outWidth
        var target = columns + local * patch
        let base = input + image * height * width * channels
        for ky in 0..<kernel {
          let iy = oy * stride - padding + ky
          if iy < 0 || iy >= height {
            target.update(repeating: 0, count: kernel * channels)
            target += kernel * channels
            continue
          }
          for kx in 0..<kernel {
            let ix = ox * stride - padding + kx
            if ix < 0 || ix >= width {
              target.update(repeating: 0, count: channels)
            } else {
              target.update(
                from: base + (iy * width + ix) * channels, count: channels)
            }
            target += channels
          }
        }
      }
    }
    if parallel {
      Parallel.ranges(rows.count, cost: patch, fillPart)
    } else {
      fillPart(0..<rows.count)
    }
  }
}
