/// One line of triage output: the result for one case, or its error.
public struct TriageRecord: Codable, Sendable, Equatable {
  /// One slice's result.
  public struct Slice: Codable, Sendable, Equatable {
    /// The image file.
    public var file: String
    /// The frame or slice index within the file.
    public var index: Int
    /// Probability of dystrophinopathy.
    public var probability: Double

    /// Creates a slice result.
    public init(file: String, index: Int, probability: Double) {
      self.file = file
      self.index = index
      self.probability = probability
    }
  }

  /// The case name: the key that resuming and sharding use.
  public var caseName: String
  /// The case folder or file.
  public var path: String
  /// Case probability, nil when the case failed.
  public var probability: Double?
  /// Whether the probability reaches the bundle's threshold.
  public var positive: Bool?
  /// Per slice, in case order.
  public var slices: [Slice]
  /// The bundle name.
  public var model: String
  /// SHA-256 of the bundle file.
  public var modelSHA256: String
  /// The demonstration warning of a demo bundle, else nil.
  public var demo: String?
  /// Why the case failed, nil on success.
  public var error: String?
  /// Seconds spent on the case.
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case caseName = "case"
    case path, probability, positive, slices, model
    case modelSHA256 = "model_sha256"
    case demo, error, seconds
  }

  /// Creates a record.
  public init(
    caseName: String, path: String, probability: Double?, positive: Bool?,
    slices: [Slice], model: String, modelSHA256: String, demo: String?,
    error: String?, seconds: Double
  ) {
    self.caseName = caseName
    self.path = path
    self.probability = probability
    self.positive = positive
    self.slices = slices
    self.model = model
    self.modelSHA256 = modelSHA256
    self.demo = demo
    self.error = error
    self.seconds = seconds
  }
}
