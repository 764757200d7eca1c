import Foundation

extension ReportFormatter {
  /// Renders the human-readable report.
  static func text(_ analysis: StudyAnalysis) -> String {
    let percent = Int((analysis.level * 100).rounded())
    let unitName = analysis.unit == .case ? "per case" : "per image"
    var out = "Results \(unitName); \(percent)% intervals: Wilson [W],"
      + " Clopper-Pearson [CP], log method for LR, DeLong for AUC.\n"
    if analysis.unit == .image {
      out += "Images of one case are not independent: the cluster bootstrap"
        + " intervals resample cases (\(analysis.bootstrapReplicates)"
        + " replicates, seed \(analysis.bootstrapSeed)).\n"
    }
    out += "n/e = not estimable.\n"

    for arm in analysis.arms {
      let t = arm.table
      out += "\n\(name(arm))"
      if arm.isModel, let label = analysis.modelLabel { out += " [\(label)]" }
      out += ": " + count(arm.units, analysis.unit == .case ? "case" : "image")
      out += analysis.unit == .image ? " from \(count(arm.cases, "case"))\n" : "\n"
      out += "  2x2: TP \(t.truePositives)  FN \(t.falseNegatives)"
        + "  FP \(t.falsePositives)  TN \(t.trueNegatives)\n"
      var proportions: [(String, Proportion)] = [
        ("sensitivity", t.sensitivity), ("specificity", t.specificity),
        ("PPV", t.positivePredictiveValue), ("NPV", t.negativePredictiveValue),
        ("accuracy", t.accuracy),
      ]
      proportions += arm.subtypeSensitivity.map {
        ("sensitivity \($0.subtype)", $0.proportion)
      }
      for (label, p) in proportions {
        let padded = label.padding(toLength: 18, withPad: " ", startingAt: 0)
        out += "  \(padded) \(fixed(p.estimate))"
          + "  (\(p.successes)/\(p.trials))"
          + "  W \(range(p.interval(.wilson, level: analysis.level)))"
          + "  CP \(range(p.interval(.clopperPearson, level: analysis.level)))\n"
      }
      for (label, ratio) in [
        ("LR+", arm.positiveLikelihoodRatio), ("LR-", arm.negativeLikelihoodRatio),
      ] {
        let padded = label.padding(toLength: 18, withPad: " ", startingAt: 0)
        var line = "  \(padded) "
        switch ratio.ratio {
        case .value(let v): line += fixed(v, 2)
        case .notEstimable(let reason): line += "not estimable (\(reason))"
        }
        if let interval = ratio.interval {
          line += "  \(fixed(interval.lower, 2)) to \(fixed(interval.upper, 2))"
        } else if let note = ratio.intervalNote, ratio.ratio.number != nil {
          line += "  interval not estimable (\(note))"
        }
        out += line + "\n"
      }
      switch t.f1 {
      case .value(let v): out += "  F1                 \(fixed(v))\n"
      case .notEstimable(let reason): out += "  F1                 not estimable (\(reason))\n"
      }
      if let auc = arm.auc {
        out += "  AUC                \(fixed(auc.area))  DeLong"
          + " \(range(auc.interval(level: analysis.level)))"
          + "  SE \(fixed(auc.standardError, 4))\n"
      } else {
        out += "  AUC                not estimable (\(arm.aucNote ?? ""))\n"
      }
      for (statistic, bootstrap) in arm.bootstrap {
        let padded = statistic.padding(toLength: 18, withPad: " ", startingAt: 0)
        out += "  \(padded) cluster bootstrap \(range(bootstrap.interval))\n"
      }
    }

    if !analysis.comparisons.isEmpty {
      out += "\nModel against each reader, per case"
        + " (McNemar exact and mid-p; paired DeLong):\n"
    }
    for c in analysis.comparisons {
      out += pairedLine(
        "\(c.reader) (\(c.modality))", sensitivity: c.sensitivity,
        of: c.diseasedPairs, specificity: c.specificity,
        of: c.nonDiseasedPairs)
      out += deLongLine(c.delong, prefix: "AUC difference", level: analysis.level)
    }

    if !analysis.modalityComparisons.isEmpty {
      out += "\nUnaided against aided, each reader, per case"
        + " (McNemar exact and mid-p; paired DeLong on the confidence scores):\n"
    }
    for c in analysis.modalityComparisons {
      out += pairedLine(
        "\(c.reader) (\(c.unaided) / \(c.aided))", sensitivity: c.sensitivity,
        of: c.diseasedPairs, specificity: c.specificity,
        of: c.nonDiseasedPairs)
      let areas = c.delong.map {
        "AUC unaided \(fixed($0.first.area)) aided \(fixed($0.second.area)),"
          + " difference"
      }
      out += deLongLine(
        c.delong, prefix: areas ?? "AUC difference", level: analysis.level)
    }

    for a in analysis.agreements {
      out += "\nAgreement on the call, \(a.modality), per case:"
        + " \(a.readers.joined(separator: ", "))\n"
      out += "  Fleiss kappa (cases all read, \(a.completeCases.subjects)):"
        + " \(estimate(a.completeCases.kappa))"
        + "  SE0 \(estimate(a.completeCases.nullStandardError, 4))"
        + "  z \(estimate(a.completeCases.z, 2))"
        + "  p \(pValue(a.completeCases.p.number))\n"
      if !a.skipped.isEmpty {
        let list = a.skipped.map { "\($0.reader) \($0.cases)" }
          .joined(separator: ", ")
        out += "  skipped cases: \(list); Fleiss kappa on the"
          + " \(a.availableCases.subjects) cases with two or more reads:"
          + " \(estimate(a.availableCases.kappa))\n"
      }
      for p in a.pairwise {
        out += "  Cohen kappa \(p.first)-\(p.second) (\(p.kappa.subjects)):"
          + " \(estimate(p.kappa.kappa))"
          + "  \(range(p.kappa.interval(level: analysis.level)))\n"
      }
    }
    return out
  }

  /// Formats one comparison's McNemar line: the discordant pairs and both
  /// p values, for sensitivity and for specificity.
  static func pairedLine(
    _ label: String, sensitivity: McNemarTest, of diseased: Int,
    specificity: McNemarTest, of nonDiseased: Int
  ) -> String {
    func counts(_ test: McNemarTest, _ pairs: Int) -> String {
      "b=\(test.b) c=\(test.c) of \(pairs), p=\(pValue(test.exactP))"
        + " mid-p=\(pValue(test.midP))"
    }
    return "  \(label): sensitivity \(counts(sensitivity, diseased));"
      + " specificity \(counts(specificity, nonDiseased))\n"
  }

  /// Formats one comparison's paired DeLong line, after `prefix`.
  static func deLongLine(
    _ test: PairedDeLongTest?, prefix: String, level: Double
  ) -> String {
    guard let test else { return "    AUC difference not estimable\n" }
    return "    \(prefix) \(fixed(test.difference))"
      + " (\(range(test.interval(level: level))))"
      + " z=\(fixed(test.z, 2)) p=\(pValue(test.p))\n"
  }

  /// Returns "1 case", "2 cases".
  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  static func estimate(_ value: Estimate, _ digits: Int = 3) -> String {
    switch value {
    case .value(let v): return fixed(v, digits)
    case .notEstimable: return "n/e"
    }
  }
}
