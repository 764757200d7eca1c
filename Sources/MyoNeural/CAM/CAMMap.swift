/// A class activation map of one slice: the raw map at the resolution of
/// the last convolutional stage, and where it sits on the slice.
///
/// For a head that is one dense layer the map is the exact CAM,
/// `M(x, y) = sum_k w_k A_k(x, y)`, whose mean plus the head's bias is
/// the logit. For a deeper head the weights `w_k` are the gradient of the
/// logit with respect to the pooled features (Grad-CAM through the head),
/// which reduces to the exact CAM for one layer. No ReLU is applied.
public struct CAMMap: Sendable, Equatable {
  /// Raw values, row-major `[height, width]`.
  public var values: [Float]
  /// Columns of the map (the input size over 32).
  public var width: Int
  /// Rows of the map.
  public var height: Int
  /// The crop of the slice that the network saw.
  public var crop: CropBox

  /// Creates a map.
  public init(values: [Float], width: Int, height: Int, crop: CropBox) {
    precondition(
      values.count == width * height,
      "CAMMap: \(values.count) values for \(width)x\(height)")
    self.values = values
    self.width = width
    self.height = height
    self.crop = crop
  }

  /// Whether every value is at or below zero: nothing in the slice speaks
  /// for the positive class.
  public var isAllNegative: Bool { values.allSatisfy { $0 <= 0 } }

  /// The mapping of upsampled values onto [0, 1].
  public enum Scaling: Sendable, Equatable {
    /// The map's own minimum to its maximum.
    case minMax
    /// A fixed range, so that maps of several slices compare.
    case fixed(low: Float, high: Float)
  }

  /// Returns a fixed scale from 0 to the largest positive value of all
  /// the maps, so that their overlays compare. It is nil when every map
  /// is all negative.
  public static func sharedScale(_ maps: [CAMMap]) -> Scaling? {
    let high = maps.compactMap { $0.values.max() }.max() ?? 0
    guard high > 0 else { return nil }
    return .fixed(low: 0, high: high)
  }

  /// A map upsampled onto the crop and scaled.
  public struct Overlay: Sendable, Equatable {
    /// Scaled values in [0, 1], `[crop.height, crop.width]`; all zero when
    /// the map is all negative.
    public var values: [Float]
    /// Columns, equal to the crop's.
    public var width: Int
    /// Rows, equal to the crop's.
    public var height: Int
    /// Whether the raw map had no positive value. Such a map is reported
    /// as all negative instead of being stretched over the colour scale.
    public var isAllNegative: Bool
  }

  /// Upsamples the raw map onto the crop bilinearly, with half-pixel
  /// centres (map cell i is centred at crop coordinate (i + 0.5) * crop /
  /// map), then scales it.
  public func overlay(scaling: Scaling = .minMax) -> Overlay {
    let raw = upsampled()
    let count = crop.width * crop.height
    if isAllNegative {
      return Overlay(
        values: [Float](repeating: 0, count: count), width: crop.width,
        height: crop.height, isAllNegative: true)
    }
    let low: Float
    let high: Float
    switch scaling {
    case .minMax:
      low = raw.min() ?? 0
      high = raw.max() ?? 1
    case .fixed(let fixedLow, let fixedHigh):
      low = fixedLow
      high = fixedHigh
    }
    let range = high - low
    let values = raw.map { value -> Float in
      guard range > 0 else { return value > low ? 1 : 0 }
      return min(max((value - low) / range, 0), 1)
    }
    return Overlay(
      values: values, width: crop.width, height: crop.height,
      isAllNegative: false)
  }

  /// Resamples the raw map to `[crop.height, crop.width]`, bilinear with
  /// half-pixel centres and edge clamping.
  public func upsampled() -> [Float] {
    let horizontal = Resampler.bilinearWeights(from: width, to: crop.width)
    let vertical = Resampler.bilinearWeights(from: height, to: crop.height)
    var result = [Float](repeating: 0, count: crop.width * crop.height)
    for (row, rowTaps) in vertical.enumerated() {
      for (column, columnTaps) in horizontal.enumerated() {
        var sum: Float = 0
        for r in rowTaps {
          for c in columnTaps {
            sum += values[r.index * width + c.index] * r.weight * c.weight
          }
        }
        result[row * crop.width + column] = sum
      }
    }
    return result
  }
}
