/// The empirical ROC curve of a score list.
public enum ROCCurve {
  /// One point: the false-positive rate and the true-positive rate at a
  /// threshold (a case is called positive when its score >= threshold).
  public struct Point: Sendable, Equatable {
    /// 1 - specificity.
    public var falsePositiveRate: Double
    /// Sensitivity.
    public var truePositiveRate: Double
    /// The threshold; infinity for the (0, 0) corner.
    public var threshold: Double
  }

  /// Returns the points from (0, 0) to (1, 1), one per distinct score
  /// taken from the highest down; empty when a class has no cases.
  public static func points(scores: [Double], truth: [Bool]) -> [Point] {
    let positives = truth.filter { $0 }.count
    let negatives = truth.count - positives
    guard positives > 0, negatives > 0 else { return [] }
    let thresholds = Set(scores).sorted(by: >)
    var result = [
      Point(falsePositiveRate: 0, truePositiveRate: 0, threshold: .infinity)
    ]
    for threshold in thresholds {
      var tp = 0
      var fp = 0
      for (score, diseased) in zip(scores, truth) where score >= threshold {
        if diseased { tp += 1 } else { fp += 1 }
      }
      result.append(
        Point(
          falsePositiveRate: Double(fp) / Double(negatives),
          truePositiveRate: Double(tp) / Double(positives),
          threshold: threshold))
    }
    return result
  }
}
