/// Feature vectors with their labels: the data the head trains on.
public struct LabelledFeatures: Sendable {
  /// Length of each vector.
  public let channels: Int
  /// The vectors, row-major `[count, channels]`.
  public private(set) var values: [Float] = []
  /// The label of each vector: true for dystrophinopathy.
  public private(set) var labels: [Bool] = []

  /// Creates an empty set of vectors of a length.
  public init(channels: Int) {
    self.channels = channels
  }

  /// The number of vectors.
  public var count: Int { labels.count }

  /// Appends one vector.
  public mutating func append(_ vector: [Float], label: Bool) {
    precondition(
      vector.count == channels,
      "LabelledFeatures: \(vector.count) values, expected \(channels)")
    values.append(contentsOf: vector)
    labels.append(label)
  }

  /// The vector at an index.
  public func vector(_ index: Int) -> ArraySlice<Float> {
    values[(index * channels)..<((index + 1) * channels)]
  }
}
