/// A display window: the range of modality values mapped onto black to
/// white, given as centre (level) and width.
public struct Window: Sendable, Equatable {
  /// The value shown as middle gray.
  public var center: Double
  /// The range of values spread from black to white; at least 1.
  public var width: Double
  /// A name such as "default" or a preset's explanation from the file.
  public var name: String

  /// Creates a window; widths below 1 become 1.
  public init(center: Double, width: Double, name: String = "") {
    self.center = center
    self.width = max(width, 1)
    self.name = name
  }

  /// Maps a value to a display intensity from 0 to 1 with the linear
  /// function of DICOM PS3.3 C.11.2.1.2.1.
  @inline(__always)
  public func intensity(_ value: Float) -> Float {
    let lower = center - 0.5 - (width - 1) / 2
    let upper = center - 0.5 + (width - 1) / 2
    let x = Double(value)
    if x <= lower { return 0 }
    if x > upper { return 1 }
    return Float(((x - (center - 0.5)) / (width - 1) + 0.5))
  }

  /// A window from the lower and upper quantiles of the finite values.
  public static func percentile(
    of values: [Float], low: Double, high: Double
  ) -> Window {
    let finite = values.filter { $0.isFinite }
    guard !finite.isEmpty else {
      return Window(center: 0.5, width: 1, name: "auto")
    }
    // A sample of at most 65536 values keeps this fast on large images;
    // the quantiles of a regular subsample differ by under a gray level.
    let stride = max(1, finite.count / 65536)
    var sample: [Float] = []
    sample.reserveCapacity(finite.count / stride + 1)
    var index = 0
    while index < finite.count {
      sample.append(finite[index])
      index += stride
    }
    sample.sort()
    let lowValue = Double(sample[Int(Double(sample.count - 1) * low)])
    let highValue = Double(sample[Int(Double(sample.count - 1) * high)])
    let width = max(highValue - lowValue, 1)
    return Window(
      center: lowValue + width / 2, width: width, name: "auto")
  }
}
