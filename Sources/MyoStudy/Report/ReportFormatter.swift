import Foundation

/// The output formats of a study report.
public enum ReportFormat: String, Sendable, CaseIterable {
  /// A human-readable table.
  case text
  /// One JSON document; undefined values are null with a note beside them.
  case json
  /// One row per arm and statistic.
  case csv
}

/// Renders a `StudyAnalysis` as text, JSON or CSV.
public enum ReportFormatter {
  /// Renders the analysis in `format`.
  public static func render(_ analysis: StudyAnalysis, format: ReportFormat)
    -> String
  {
    switch format {
    case .text: return text(analysis)
    case .json: return json(analysis)
    case .csv: return csv(analysis)
    }
  }

  /// One statistic of one arm, as the CSV and JSON outputs list them.
  struct Line {
    var statistic: String
    var estimate: Double?
    var interval: ConfidenceInterval?
    var method: String
    var note: String?
  }

  /// Lists the statistics of one arm, in report order.
  static func lines(_ arm: ArmResult, level: Double) -> [Line] {
    var lines: [Line] = []
    let proportions: [(String, Proportion)] = [
      ("sensitivity", arm.table.sensitivity),
      ("specificity", arm.table.specificity),
      ("ppv", arm.table.positivePredictiveValue),
      ("npv", arm.table.negativePredictiveValue),
      ("accuracy", arm.table.accuracy),
    ] + arm.subtypeSensitivity.map { ("sensitivity_\($0.subtype)", $0.proportion) }
    for (name, proportion) in proportions {
      for method in [ProportionMethod.wilson, .clopperPearson] {
        lines.append(
          Line(
            statistic: name, estimate: proportion.estimate,
            interval: proportion.interval(method, level: level),
            method: method.rawValue,
            note: proportion.trials == 0 ? "no units in the denominator" : nil))
      }
    }
    for (name, ratio) in [
      ("lr_positive", arm.positiveLikelihoodRatio),
      ("lr_negative", arm.negativeLikelihoodRatio),
    ] {
      var note: String?
      if case .notEstimable(let reason) = ratio.ratio { note = reason }
      lines.append(
        Line(
          statistic: name, estimate: ratio.ratio.number,
          interval: ratio.interval, method: "log",
          note: note ?? ratio.intervalNote))
    }
    var f1Note: String?
    if case .notEstimable(let reason) = arm.table.f1 { f1Note = reason }
    lines.append(
      Line(
        statistic: "f1", estimate: arm.table.f1.number, interval: nil,
        method: "", note: f1Note))
    lines.append(
      Line(
        statistic: "auc", estimate: arm.auc?.area,
        interval: arm.auc?.interval(level: level), method: "delong",
        note: arm.aucNote))
    for (name, bootstrap) in arm.bootstrap {
      lines.append(
        Line(
          statistic: name, estimate: nil, interval: bootstrap.interval,
          method: "cluster-bootstrap",
          note: "\(bootstrap.replicates) replicates over cases, seed"
            + " \(bootstrap.seed), \(bootstrap.skipped) skipped"))
    }
    return lines
  }

  static func fixed(_ value: Double?, _ digits: Int = 3) -> String {
    guard let value, value.isFinite else { return "n/e" }
    return String(format: "%.\(digits)f", value)
  }

  static func pValue(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "n/e" }
    if value < 0.001 { return String(format: "%.1e", value) }
    return String(format: "%.3f", value)
  }

  static func range(_ interval: ConfidenceInterval?) -> String {
    guard let interval else { return "n/e" }
    return "\(fixed(interval.lower)) to \(fixed(interval.upper))"
  }

  static func name(_ arm: ArmResult) -> String {
    arm.isModel ? "model" : "\(arm.reader) (\(arm.modality))"
  }
}
