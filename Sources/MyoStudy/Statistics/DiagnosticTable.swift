import Foundation

/// The 2x2 table of a binary test against the reference truth.
public struct DiagnosticTable: Sendable, Equatable, Codable {
  /// Diseased cases called positive.
  public var truePositives: Int
  /// Diseased cases called negative.
  public var falseNegatives: Int
  /// Non-diseased cases called positive.
  public var falsePositives: Int
  /// Non-diseased cases called negative.
  public var trueNegatives: Int

  /// Creates a table from its four cells.
  public init(
    truePositives: Int, falseNegatives: Int, falsePositives: Int,
    trueNegatives: Int
  ) {
    self.truePositives = truePositives
    self.falseNegatives = falseNegatives
    self.falsePositives = falsePositives
    self.trueNegatives = trueNegatives
  }

  /// Counts the table from parallel arrays of truth and calls.
  public init(truth: [Bool], calls: [Bool]) {
    precondition(truth.count == calls.count, "truth and calls differ in length")
    var cells = (0, 0, 0, 0)
    for (diseased, positive) in zip(truth, calls) {
      switch (diseased, positive) {
      case (true, true): cells.0 += 1
      case (true, false): cells.1 += 1
      case (false, true): cells.2 += 1
      case (false, false): cells.3 += 1
      }
    }
    self.init(
      truePositives: cells.0, falseNegatives: cells.1,
      falsePositives: cells.2, trueNegatives: cells.3)
  }

  /// Diseased cases.
  public var diseased: Int { truePositives + falseNegatives }
  /// Non-diseased cases.
  public var nonDiseased: Int { falsePositives + trueNegatives }
  /// All cases.
  public var total: Int { diseased + nonDiseased }

  /// Sensitivity TP / (TP + FN) as a proportion with its counts.
  public var sensitivity: Proportion {
    Proportion(successes: truePositives, trials: diseased)
  }
  /// Specificity TN / (TN + FP).
  public var specificity: Proportion {
    Proportion(successes: trueNegatives, trials: nonDiseased)
  }
  /// Positive predictive value TP / (TP + FP).
  public var positivePredictiveValue: Proportion {
    Proportion(successes: truePositives, trials: truePositives + falsePositives)
  }
  /// Negative predictive value TN / (TN + FN).
  public var negativePredictiveValue: Proportion {
    Proportion(successes: trueNegatives, trials: trueNegatives + falseNegatives)
  }
  /// Accuracy (TP + TN) / total.
  public var accuracy: Proportion {
    Proportion(successes: truePositives + trueNegatives, trials: total)
  }

  /// F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of sensitivity and
  /// PPV; not estimable when there are no diseased cases and no positive
  /// calls (scikit-learn returns 0 there with a warning).
  public var f1: Estimate {
    let denominator = 2 * truePositives + falsePositives + falseNegatives
    guard denominator > 0 else {
      return .notEstimable(reason: "no diseased cases and no positive calls")
    }
    return .value(Double(2 * truePositives) / Double(denominator))
  }

  /// Youden's index, sensitivity + specificity - 1.
  public var youden: Estimate {
    guard let sens = sensitivity.estimate, let spec = specificity.estimate
    else { return .notEstimable(reason: "one class has no cases") }
    return .value(sens + spec - 1)
  }
}

/// A proportion x / n, such as a sensitivity, with its intervals.
public struct Proportion: Sendable, Equatable, Codable {
  /// The numerator.
  public var successes: Int
  /// The denominator.
  public var trials: Int

  /// Creates a proportion.
  public init(successes: Int, trials: Int) {
    self.successes = successes
    self.trials = trials
  }

  /// The point estimate, or nil when the denominator is 0.
  public var estimate: Double? {
    trials > 0 ? Double(successes) / Double(trials) : nil
  }

  /// Returns the confidence interval by `method`, or nil when the denominator is 0.
  public func interval(_ method: ProportionMethod, level: Double = 0.95)
    -> ConfidenceInterval?
  {
    ProportionInterval.interval(
      successes: successes, trials: trials, method: method, level: level)
  }
}
