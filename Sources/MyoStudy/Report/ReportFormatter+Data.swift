import Foundation

extension ReportFormatter {
  /// Renders one CSV row per arm and statistic.
  static func csv(_ analysis: StudyAnalysis) -> String {
    var out = "unit,reader,modality,statistic,estimate,lower,upper,method,note\n"
    func number(_ value: Double?) -> String {
      guard let value, value.isFinite else { return "" }
      return "\(value)"
    }
    for arm in analysis.arms {
      for line in lines(arm, level: analysis.level) {
        let fields = [
          analysis.unit.rawValue, arm.reader, arm.modality, line.statistic,
          number(line.estimate), number(line.interval?.lower),
          number(line.interval?.upper), line.method, line.note ?? "",
        ]
        out += fields.map(CSVTable.escape).joined(separator: ",") + "\n"
      }
    }
    return out
  }

  /// Renders the analysis as one JSON document.
  static func json(_ analysis: StudyAnalysis) -> String {
    func number(_ value: Double?) -> Any {
      guard let value, value.isFinite else { return NSNull() }
      return value
    }
    func interval(_ value: ConfidenceInterval?) -> Any {
      guard let value else { return NSNull() }
      return [value.lower, value.upper]
    }
    func estimate(_ value: Estimate) -> [String: Any] {
      switch value {
      case .value(let v): return ["value": v]
      case .notEstimable(let reason): return ["value": NSNull(), "note": reason]
      }
    }
    let arms: [[String: Any]] = analysis.arms.map { arm in
      var statistics: [[String: Any]] = []
      for line in lines(arm, level: analysis.level) {
        var entry: [String: Any] = [
          "statistic": line.statistic, "estimate": number(line.estimate),
          "interval": interval(line.interval), "method": line.method,
        ]
        if let note = line.note { entry["note"] = note }
        statistics.append(entry)
      }
      let t = arm.table
      return [
        "reader": arm.reader, "modality": arm.modality, "units": arm.units,
        "cases": arm.cases,
        "table": [
          "tp": t.truePositives, "fn": t.falseNegatives,
          "fp": t.falsePositives, "tn": t.trueNegatives,
        ],
        "statistics": statistics,
      ]
    }
    func mcnemar(_ test: McNemarTest, pairs: Int) -> [String: Any] {
      [
        "b": test.b, "c": test.c, "pairs": pairs, "exact_p": test.exactP,
        "mid_p": test.midP,
      ]
    }
    func delong(_ test: PairedDeLongTest?, first: String, second: String) -> Any {
      guard let test else { return NSNull() }
      return [
        first: test.first.area, second: test.second.area,
        "difference": test.difference, "se": number(test.standardError),
        "z": number(test.z), "p": number(test.p),
        "interval": interval(test.interval(level: analysis.level)),
      ] as [String: Any]
    }
    let comparisons: [[String: Any]] = analysis.comparisons.map { c in
      [
        "reader": c.reader, "modality": c.modality,
        "sensitivity_mcnemar": mcnemar(c.sensitivity, pairs: c.diseasedPairs),
        "specificity_mcnemar": mcnemar(c.specificity, pairs: c.nonDiseasedPairs),
        "delong": delong(c.delong, first: "model_auc", second: "reader_auc"),
      ]
    }
    let modalityComparisons: [[String: Any]] = analysis.modalityComparisons.map { c in
      [
        "reader": c.reader, "unaided": c.unaided, "aided": c.aided,
        "sensitivity_mcnemar": mcnemar(c.sensitivity, pairs: c.diseasedPairs),
        "specificity_mcnemar": mcnemar(c.specificity, pairs: c.nonDiseasedPairs),
        "delong": delong(c.delong, first: "unaided_auc", second: "aided_auc"),
      ]
    }
    let agreements: [[String: Any]] = analysis.agreements.map { a in
      func fleiss(_ k: FleissKappa) -> [String: Any] {
        [
          "subjects": k.subjects, "kappa": estimate(k.kappa),
          "se0": estimate(k.nullStandardError), "z": estimate(k.z),
          "p": estimate(k.p),
        ]
      }
      return [
        "modality": a.modality, "readers": a.readers,
        "fleiss_complete_cases": fleiss(a.completeCases),
        "fleiss_available_cases": fleiss(a.availableCases),
        "skipped": Dictionary(
          a.skipped.map { ($0.reader, $0.cases) }, uniquingKeysWith: { $1 }),
        "cohen": a.pairwise.map { p -> [String: Any] in
          [
            "first": p.first, "second": p.second,
            "subjects": p.kappa.subjects, "kappa": estimate(p.kappa.kappa),
            "se": estimate(p.kappa.standardError),
            "interval": interval(p.kappa.interval(level: analysis.level)),
          ]
        },
      ]
    }
    let document: [String: Any] = [
      "unit": analysis.unit.rawValue, "level": analysis.level,
      "model_bundle": analysis.modelLabel ?? NSNull(),
      "arms": arms, "comparisons": comparisons, "agreement": agreements,
      "unaided_vs_aided": modalityComparisons,
    ]
    let data = (try? JSONSerialization.data(
      withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
