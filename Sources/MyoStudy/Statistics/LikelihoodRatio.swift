import Foundation

/// A likelihood ratio with its log-method confidence interval
/// (Simel, Samsa and Matchar 1991).
public struct LikelihoodRatio: Sendable, Equatable {
  /// The ratio itself.
  public var ratio: Estimate
  /// The standard error of the natural logarithm of the ratio.
  public var logStandardError: Estimate
  /// The interval exp(ln LR -/+ z SE), or nil when not estimable.
  public var interval: ConfidenceInterval?
  /// The reason the interval is missing, or nil.
  public var intervalNote: String?

  /// LR+ = sensitivity / (1 - specificity), with
  /// var(ln LR+) = 1/TP - 1/(TP+FN) + 1/FP - 1/(FP+TN).
  ///
  /// `continuity` is added to every cell first, and 0.5 is the usual
  /// choice when a cell is zero. With the default 0, a zero TP or FP makes
  /// the ratio or its interval not estimable.
  public static func positive(
    _ table: DiagnosticTable, continuity: Double = 0, level: Double = 0.95
  ) -> LikelihoodRatio {
    let cells = Cells(table, continuity: continuity)
    return make(
      hit: cells.tp, miss: cells.fn, falseHit: cells.fp, rightMiss: cells.tn,
      names: ("TP", "FP"), level: level)
  }

  /// LR- = (1 - sensitivity) / specificity, with
  /// var(ln LR-) = 1/FN - 1/(TP+FN) + 1/TN - 1/(FP+TN).
  public static func negative(
    _ table: DiagnosticTable, continuity: Double = 0, level: Double = 0.95
  ) -> LikelihoodRatio {
    let cells = Cells(table, continuity: continuity)
    return make(
      hit: cells.fn, miss: cells.tp, falseHit: cells.tn, rightMiss: cells.fp,
      names: ("FN", "TN"), level: level)
  }

  private struct Cells {
    var tp, fn, fp, tn: Double
    init(_ table: DiagnosticTable, continuity: Double) {
      tp = Double(table.truePositives) + continuity
      fn = Double(table.falseNegatives) + continuity
      fp = Double(table.falsePositives) + continuity
      tn = Double(table.trueNegatives) + continuity
    }
  }

  /// Computes the ratio (hit / diseased) / (falseHit / nonDiseased), where for LR+
  /// hit = TP and falseHit = FP, and for LR- hit = FN and falseHit = TN.
  private static func make(
    hit: Double, miss: Double, falseHit: Double, rightMiss: Double,
    names: (String, String), level: Double
  ) -> LikelihoodRatio {
    let diseased = hit + miss
    let nonDiseased = falseHit + rightMiss
    guard diseased > 0, nonDiseased > 0 else {
      let reason = "one class has no cases"
      return LikelihoodRatio(
        ratio: .notEstimable(reason: reason),
        logStandardError: .notEstimable(reason: reason), interval: nil,
        intervalNote: reason)
    }
    let ratio: Estimate =
      falseHit == 0
      ? .notEstimable(reason: "\(names.1) = 0, the ratio is unbounded")
      : .value((hit / diseased) / (falseHit / nonDiseased))

    guard hit > 0, falseHit > 0 else {
      let zero = hit == 0 ? names.0 : names.1
      let reason = "\(zero) = 0, the log-method interval is not estimable"
      return LikelihoodRatio(
        ratio: ratio, logStandardError: .notEstimable(reason: reason),
        interval: nil, intervalNote: reason)
    }
    let variance = 1 / hit - 1 / diseased + 1 / falseHit - 1 / nonDiseased
    let se = variance.squareRoot()
    let z = SpecialFunctions.normalCritical(level: level)
    let value = (hit / diseased) / (falseHit / nonDiseased)
    return LikelihoodRatio(
      ratio: ratio, logStandardError: .value(se),
      interval: ConfidenceInterval(
        lower: exp(log(value) - z * se), upper: exp(log(value) + z * se)),
      intervalNote: nil)
  }
}
