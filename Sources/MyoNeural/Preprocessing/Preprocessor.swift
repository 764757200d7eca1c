import MyoImaging

/// Turns a slice into the network input: crop, resize, gray to three
/// channels, normalization from the bundle.
struct Preprocessor: Sendable {
  let input: BundleMetadata.Input

  /// Returns the input `[size, size, 3]` (HWC) for the crop of `image`.
  ///
  /// Modality values map to display intensities in [0, 1] through the
  /// image's default window, the same mapping the viewer shows.
  func tensor(_ image: ScalarImage, crop: CropBox) -> [Float] {
    let window = image.defaultWindow
    var gray = [Float](repeating: 0, count: crop.width * crop.height)
    for row in 0..<crop.height {
      for column in 0..<crop.width {
        let value = image.values[(crop.y + row) * image.width + crop.x + column]
        gray[row * crop.width + column] =
          value.isFinite ? window.intensity(value) : 0
      }
    }
    let size = input.size
    let resized = Resampler.resize(
      gray, width: crop.width, height: crop.height, outWidth: size,
      outHeight: size)

    // The gray value is the same in every channel. The bundle lists the
    // means and deviations in the tensor's channel order (B, G, R for
    // Keras "caffe" mode), so channel c uses entry c.
    let mean = input.mean
    let std = input.std
    var result = [Float](repeating: 0, count: size * size * 3)
    for pixel in 0..<(size * size) {
      let v = resized[pixel] * input.scale
      for c in 0..<3 { result[pixel * 3 + c] = (v - mean[c]) / std[c] }
    }
    return result
  }
}
