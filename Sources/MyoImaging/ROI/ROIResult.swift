/// The regions of interest found on one axial thigh slice.
public struct ROIResult: Sendable, Codable, Equatable {
  /// The Otsu threshold that split tissue from background, in the image's
  /// modality values.
  public var threshold: Float
  /// The minimal rectangle around each leg, the leg on the screen's left
  /// first (in radiological display, the patient's right leg). Empty when
  /// no leg was found, one box when the legs could not be separated.
  public var legs: [PixelBox]
  /// The minimal rectangle around both legs, or nil when no tissue was
  /// found.
  public var both: PixelBox?
  /// Whether two legs were found and separated.
  public var separated: Bool
  /// The reason the legs could not be separated, or nil when they were.
  public var reason: String?
  /// Doubts about the result that did not stop it, such as an image that
  /// does not look anatomical.
  public var warnings: [String]

  /// Creates a result.
  public init(
    threshold: Float, legs: [PixelBox], both: PixelBox?, separated: Bool,
    reason: String?, warnings: [String] = []
  ) {
    self.threshold = threshold
    self.legs = legs
    self.both = both
    self.separated = separated
    self.reason = reason
    self.warnings = warnings
  }
}
