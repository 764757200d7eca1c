/// One reader's (or the model's) answer on one case, or on one image of a
/// case: the unit of the long-format export and of the statistics.
public struct Rating: Sendable, Equatable, Codable {
  /// The reader name; the model's rows use `Rating.modelReader`.
  public var reader: String
  /// The case pseudonym.
  public var caseID: String
  /// The arm: "unaided", "aided" or "model".
  public var modality: String
  /// The reference truth: dystrophinopathy or not.
  public var truth: Bool
  /// The subtype of the truth (DMD, BMD or other), when known.
  public var subtype: String?
  /// The score for ROC analysis: a confidence rating or a probability,
  /// higher meaning more likely dystrophinopathy.
  public var score: Double
  /// The binary call.
  public var call: Bool
  /// The image within the case, for per-image model predictions; nil for
  /// a case-level answer.
  public var image: String?

  /// The reader name of model predictions.
  public static let modelReader = "model"

  /// Creates a rating.
  public init(
    reader: String, caseID: String, modality: String, truth: Bool,
    subtype: String? = nil, score: Double, call: Bool, image: String? = nil
  ) {
    self.reader = reader
    self.caseID = caseID
    self.modality = modality
    self.truth = truth
    self.subtype = subtype
    self.score = score
    self.call = call
    self.image = image
  }
}

/// Whether statistics count cases or images.
public enum AnalysisUnit: String, Sendable, CaseIterable {
  /// One unit per case: the default, because images of one case are not
  /// independent.
  case `case`
  /// One unit per image, with cluster bootstrap intervals over cases.
  case image
}
