/// Max pooling with a 3x3 window, stride 2 and padding 1 on NHWC
/// activations, as after the ResNet stem. Padded taps never win, which
/// matches both PyTorch (-inf padding) and Keras (zero padding after a
/// ReLU).
enum MaxPool {
  /// The output height or width for an input height or width.
  static func outputSize(_ size: Int) -> Int { (size + 2 - 3) / 2 + 1 }

  /// Pools `input` `[n, height, width, channels]` into `output`
  /// `[n, outHeight, outWidth, channels]` on up to `threads` threads.
  static func forward(
    input: UnsafePointer<Float>, n: Int, height: Int, width: Int,
    channels: Int, output: UnsafeMutablePointer<Float>,
    threads: Int = Parallel.threads
  ) {
    precondition(
      height >= 2 && width >= 2,
      "maxpool: input \(height)x\(width) is smaller than 2x2")
    let outHeight = outputSize(height)
    let outWidth = outputSize(width)
    let rows = n * outHeight * outWidth
    let parts = min(threads, max(1, rows * channels * 9 / 65_536))
    Parallel.split(rows, parts: parts) { part in
      for row in part {
        let image = row / (outHeight * outWidth)
        let oy = (row / outWidth) % outHeight
        let ox = row % outWidth
        let target = output + row * channels
        target.update(repeating: -Float.infinity, count: channels)
        for iy in max(0, 2 * oy - 1)...min(height - 1, 2 * oy + 1) {
          for ix in max(0, 2 * ox - 1)...min(width - 1, 2 * ox + 1) {
            let source =
              input + ((image * height + iy) * width + ix) * channels
            for c in 0..<channels { target[c] = max(target[c], source[c]) }
          }
        }
      }
    }
  }
}
