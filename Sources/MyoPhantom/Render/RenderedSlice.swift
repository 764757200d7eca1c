/// One rendered axial slice: scanner values, labels and the truth behind
/// them, all `[height, width]` row-major in radiological orientation
/// (patient's left on the right, anterior at the top).
public struct RenderedSlice: Sendable {
  /// Number of columns.
  public var width: Int
  /// Number of rows.
  public var height: Int
  /// Pixel spacing in millimetres, the same along rows and columns.
  public var pixelSpacing: Double
  /// Position of the slice along the feet-head axis, millimetres.
  public var location: Double
  /// Scanner values, 0 to 4095.
  public var pixels: [UInt16]
  /// Muscle ids (`Muscle.rawValue`); 0 where no muscle is.
  public var labels: [UInt8]
  /// Tissue of each pixel's centre.
  public var tissues: [TissueClass]
  /// Fat fraction of each pixel before noise: averaged over its area and
  /// blurred by the same point spread as the signal.
  public var fatFraction: [Float]
  /// Coil sensitivity at each pixel, the factor on the noise-free signal.
  public var bias: [Float]
  /// Scanner value of pure muscle and of pure fat at sensitivity 1.
  public var muscleLevel: Float
  public var fatLevel: Float
}
