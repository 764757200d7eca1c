/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
  /// The lower bound.
  public var lower: Double
  /// The upper bound.
  public var upper: Double

  /// Creates an interval.
  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }
}

/// A statistic that may be undefined for the data at hand, such as a
/// likelihood ratio with a zero cell or a kappa where chance agreement is 1.
public enum Estimate: Sendable, Equatable {
  /// The statistic is defined and finite.
  case value(Double)
  /// The statistic is undefined; the reason names the empty cell or the
  /// degenerate margin.
  case notEstimable(reason: String)

  /// The value, or nil when the statistic is not estimable.
  public var number: Double? {
    if case .value(let number) = self { return number }
    return nil
  }

  /// Wraps a computed number, turning infinity and NaN into
  /// `notEstimable` so that neither is ever printed as a number.
  public static func checked(_ number: Double, reason: String) -> Estimate {
    number.isFinite ? .value(number) : .notEstimable(reason: reason)
  }
}
