import Foundation

/// The area under the ROC curve of one set of scores, with the DeLong,
/// DeLong and Clarke-Pearson (1988) variance.
public struct AreaUnderCurve: Sendable, Equatable {
  /// The Mann-Whitney estimate, ties counted one half.
  public var area: Double
  /// The DeLong variance: S10 / m + S01 / n.
  public var variance: Double
  /// Diseased cases (m).
  public var diseased: Int
  /// Non-diseased cases (n).
  public var nonDiseased: Int

  /// The standard error, the square root of the variance.
  public var standardError: Double { variance.squareRoot() }

  /// Returns the normal interval AUC -/+ z SE clipped to [0, 1], as pROC's
  /// `ci.auc(method = "delong")`.
  public func interval(level: Double = 0.95) -> ConfidenceInterval {
    let z = SpecialFunctions.normalCritical(level: level)
    return ConfidenceInterval(
      lower: max(0, area - z * standardError),
      upper: min(1, area + z * standardError))
  }
}

/// The paired DeLong test of two AUCs measured on the same cases.
public struct PairedDeLongTest: Sendable, Equatable {
  /// The first and second AUC.
  public var first: AreaUnderCurve
  /// The second AUC.
  public var second: AreaUnderCurve
  /// The DeLong covariance of the two estimates.
  public var covariance: Double

  /// The difference first - second.
  public var difference: Double { first.area - second.area }

  /// The standard error of the difference, sqrt(V1 + V2 - 2 C).
  public var standardError: Double {
    max(0, first.variance + second.variance - 2 * covariance).squareRoot()
  }

  /// The z statistic: 0 when both the difference and its error are 0, and
  /// NaN (not estimable, so the p-value is NaN too) when only the error
  /// is 0. That happens when neither AUC varies over the cases, for
  /// example when one arm separates the classes perfectly and the other
  /// gives every case the same score.
  public var z: Double {
    if difference == 0 { return 0 }
    guard standardError > 0 else { return .nan }
    return difference / standardError
  }

  /// The two-sided p-value.
  public var p: Double { SpecialFunctions.normalTwoSidedP(z) }

  /// Returns the normal interval of the difference.
  public func interval(level: Double = 0.95) -> ConfidenceInterval {
    let critical = SpecialFunctions.normalCritical(level: level)
    return ConfidenceInterval(
      lower: difference - critical * standardError,
      upper: difference + critical * standardError)
  }
}

/// Errors of the ROC analysis.
public enum ROCError: Error, Equatable, CustomStringConvertible {
  /// One class has no cases, so no ROC curve exists.
  case oneClassOnly(diseased: Int, nonDiseased: Int)
  /// The two score lists of a paired test do not cover the same cases.
  case unpaired(first: Int, second: Int)
  /// A score is NaN or infinite.
  case invalidScore(index: Int, value: Double)

  public var description: String {
    switch self {
    case .oneClassOnly(let diseased, let nonDiseased):
      return "AUC needs diseased and non-diseased cases:"
        + " found \(diseased) diseased and \(nonDiseased) non-diseased"
    case .unpaired(let first, let second):
      return "the paired DeLong test needs scores for the same cases:"
        + " found \(first) and \(second) scores"
    case .invalidScore(let index, let value):
      return "score \(index + 1) is \(value): expected a finite number"
    }
  }
}

/// AUC and DeLong computations.
public enum DeLong {
  /// Returns the Mann-Whitney kernel: 1 when the diseased score is higher, 1/2 on
  /// a tie.
  @inline(__always)
  static func kernel(_ diseased: Double, _ nonDiseased: Double) -> Double {
    diseased > nonDiseased ? 1 : (diseased == nonDiseased ? 0.5 : 0)
  }

  /// Computes the structural components of one score list: V10 per diseased case
  /// and V01 per non-diseased case.
  static func components(scores: [Double], truth: [Bool]) throws
    -> (v10: [Double], v01: [Double])
  {
    for (index, score) in scores.enumerated() where !score.isFinite {
      throw ROCError.invalidScore(index: index, value: score)
    }
    let positives = zip(scores, truth).filter { $0.1 }.map { $0.0 }
    let negatives = zip(scores, truth).filter { !$0.1 }.map { $0.0 }
    guard !positives.isEmpty, !negatives.isEmpty else {
      throw ROCError.oneClassOnly(
        diseased: positives.count, nonDiseased: negatives.count)
    }
    // O(m n), which is well under a second for the few hundred cases of a
    // reader study.
    let v10 = positives.map { x in
      negatives.reduce(0.0) { $0 + kernel(x, $1) } / Double(negatives.count)
    }
    let v01 = negatives.map { y in
      positives.reduce(0.0) { $0 + kernel($1, y) } / Double(positives.count)
    }
    return (v10, v01)
  }

  static func mean(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
  }

  /// Returns the sample covariance with denominator count - 1; 0 for one value.
  static func covariance(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count > 1 else { return 0 }
    let ma = mean(a)
    let mb = mean(b)
    var sum = 0.0
    for i in a.indices { sum += (a[i] - ma) * (b[i] - mb) }
    return sum / Double(a.count - 1)
  }

  /// Computes the AUC of `scores` (higher means more likely diseased)
  /// against `truth`, with its DeLong variance.
  public static func auc(scores: [Double], truth: [Bool]) throws
    -> AreaUnderCurve
  {
    let parts = try components(scores: scores, truth: truth)
    let variance =
      covariance(parts.v10, parts.v10) / Double(parts.v10.count)
      + covariance(parts.v01, parts.v01) / Double(parts.v01.count)
    return AreaUnderCurve(
      area: mean(parts.v10), variance: variance, diseased: parts.v10.count,
      nonDiseased: parts.v01.count)
  }

  /// Computes the Mann-Whitney AUC alone from mid-ranks, in O(n log n);
  /// nil when a class has no cases. It equals `auc(scores:truth:).area`
  /// and serves the bootstrap, which needs no variance.
  public static func area(scores: [Double], truth: [Bool]) -> Double? {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var positives = 0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] {
        end += 1
      }
      // Tied scores share the mean of their ranks (1-based).
      let midRank = Double(start + end + 2) / 2
      for k in start...end where truth[order[k]] {
        rankSum += midRank
        positives += 1
      }
      start = end + 1
    }
    let negatives = scores.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    let m = Double(positives)
    return (rankSum - m * (m + 1) / 2) / (m * Double(negatives))
  }

  /// Compares two score lists on the same cases with the paired DeLong
  /// test.
  public static func pairedTest(
    _ first: [Double], _ second: [Double], truth: [Bool]
  ) throws -> PairedDeLongTest {
    guard first.count == second.count, first.count == truth.count else {
      throw ROCError.unpaired(first: first.count, second: second.count)
    }
    let a = try components(scores: first, truth: truth)
    let b = try components(scores: second, truth: truth)
    let m = Double(a.v10.count)
    let n = Double(a.v01.count)
    let cov = covariance(a.v10, b.v10) / m + covariance(a.v01, b.v01) / n
    return PairedDeLongTest(
      first: try auc(scores: first, truth: truth),
      second: try auc(scores: second, truth: truth), covariance: cov)
  }
}
