/// The classifier's output for one slice.
public struct SliceClassification: Sendable {
  /// Probability of the positive class (the bundle's second class name).
  public var probability: Double
  /// The logit behind it: `log(p / (1 - p))`.
  public var logit: Double
  /// The class activation map, nil when it was not computed.
  public var cam: CAMMap?
  /// The crop of the slice that the network saw.
  public var crop: CropBox
  /// Whether the crop came from the region-of-interest localizer (true)
  /// or is the central square used when no region was found (false).
  public var cropFromROI: Bool
}

/// The classifier's output for one case.
public struct CaseClassification: Sendable {
  /// Case probability, combined from the slices by the bundle's rule.
  public var probability: Double
  /// Whether the probability reaches the bundle's threshold.
  public var isPositive: Bool
  /// Per slice, in input order.
  public var slices: [SliceClassification]
}
