/// Global average pooling: the mean of each channel over all pixels.
enum GlobalAveragePool {
  /// Averages `input` `[n, pixels, channels]` into `output`
  /// `[n, channels]`.
  static func forward(
    input: UnsafePointer<Float>, n: Int, pixels: Int, channels: Int,
    output: UnsafeMutablePointer<Float>
  ) {
    precondition(pixels > 0, "global average pool: no pixels")
    let scale = 1 / Float(pixels)
    for image in 0..<n {
      let target = output + image * channels
      target.update(repeating: 0, count: channels)
      for pixel in 0..<pixels {
        let source = input + (image * pixels + pixel) * channels
        for c in 0..<channels { target[c] += source[c] }
      }
      for c in 0..<channels { target[c] *= scale }
    }
  }
}
