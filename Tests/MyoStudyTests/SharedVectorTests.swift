import Foundation
import Testing

@testable import MyoStudy

/// Checks every value of the shared reference vectors (R and statsmodels)
/// to 1e-8 relative. Each test is skipped when the vectors are absent.
@Suite struct SharedVectorTests {
  static let methods: [(String, ProportionMethod)] = [
    ("statsmodels.wilson", .wilson), ("scipy.binomtest.wilson", .wilson),
    ("statsmodels.beta", .clopperPearson),
    ("scipy.binomtest.exact", .clopperPearson),
    ("scipy.binomtest.wilsoncc", .wilsonCorrected),
    ("statsmodels.jeffreys", .jeffreys),
    ("statsmodels.agresti_coull", .agrestiCoull),
    ("statsmodels.normal", .wald),
  ]

  @Test func proportionIntervals() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let rows = try #require(
      try vectors.object("proportion_ci_95")["rows"] as? [[String: Any]])
    #expect(rows.count >= 10)
    for row in rows {
      let x = try #require(row["x"] as? Int)
      let n = try #require(row["n"] as? Int)
      for (key, method) in Self.methods {
        let expected = try row.pair(key)
        let got = try #require(
          ProportionInterval.interval(successes: x, trials: n, method: method))
        #expect(
          close(got.lower, expected.0), "\(key) x=\(x) n=\(n) lower \(got)")
        #expect(
          close(got.upper, expected.1), "\(key) x=\(x) n=\(n) upper \(got)")
      }
    }
  }

  @Test func normalCriticalValue() {
    #expect(
      close(SpecialFunctions.normalCritical(level: 0.95), 1.959963985,
        tolerance: 1e-9))
  }

  @Test func diagnosticTablesAndLikelihoodRatios() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    var rows = try #require(
      try vectors.object("likelihood_ratios_log_method")["rows"]
        as? [[String: Any]])
    let perReader = try vectors.object("per_reader_on_toy_study")
    rows += perReader.values.compactMap { $0 as? [String: Any] }
    #expect(rows.count == 13)
    for row in rows {
      let table = DiagnosticTable(
        truePositives: try #require(row["TP"] as? Int),
        falseNegatives: try #require(row["FN"] as? Int),
        falsePositives: try #require(row["FP"] as? Int),
        trueNegatives: try #require(row["TN"] as? Int))
      let add = try row.double("continuity_add")
      let label = "\(table) +\(add)"
      if add == 0 {
        let metrics: [(String, Double?)] = [
          ("sens", table.sensitivity.estimate),
          ("spec", table.specificity.estimate),
          ("acc", table.accuracy.estimate),
          ("ppv", table.positivePredictiveValue.estimate),
          ("npv", table.negativePredictiveValue.estimate),
          ("f1", table.f1.number), ("youden", table.youden.number),
        ]
        for (key, value) in metrics {
          #expect(close(value, try row.double(key)), "\(key) of \(label)")
        }
      }
      try checkRatio(
        LikelihoodRatio.positive(table, continuity: add), row: row,
        key: "LR+", label: label)
      try checkRatio(
        LikelihoodRatio.negative(table, continuity: add), row: row,
        key: "LR-", label: label)
    }
  }

  /// Checks one ratio: finite reference values must match, and infinite
  /// or NaN ones must come out as not estimable.
  private func checkRatio(
    _ ratio: LikelihoodRatio, row: [String: Any], key: String, label: String
  ) throws {
    let expected = try row.double(key)
    if expected.isFinite {
      #expect(close(ratio.ratio.number, expected), "\(key) of \(label)")
    } else {
      #expect(ratio.ratio.number == nil, "\(key) of \(label) must be absent")
    }
    let se = try row.double(key + "_se_log")
    if se.isFinite {
      #expect(close(ratio.logStandardError.number, se), "\(key) SE \(label)")
      let ci = try row.pair(key + "_ci")
      let interval = try #require(ratio.interval)
      #expect(close(interval.lower, ci.0), "\(key) lower of \(label)")
      #expect(close(interval.upper, ci.1), "\(key) upper of \(label)")
    } else {
      #expect(ratio.logStandardError.number == nil, "\(key) SE \(label)")
      #expect(ratio.interval == nil, "\(key) interval of \(label)")
      #expect(ratio.intervalNote != nil, "\(key) note of \(label)")
    }
  }

  @Test func areaUnderCurveAndPairedDeLong() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let toy = try vectors.object("toy_study")
    let truth = try toy.integers("truth").map { $0 == 1 }
    let modelScores = try #require(toy["model_p"] as? [Double])
    let ratings = try toy.object("ratings")
    var scores: [String: [Double]] = ["model": modelScores]
    for reader in ["R1", "R2", "R3"] {
      scores[reader] = try ratings.integers(reader).map(Double.init)
    }
    let expected = try vectors.object("auc_delong").object("toy_study")
    for (name, values) in scores {
      let row = try expected.object(name)
      let auc = try DeLong.auc(scores: values, truth: truth)
      #expect(close(auc.area, try row.double("delong_auc")), "\(name) AUC")
      #expect(close(auc.variance, try row.double("delong_var")), "\(name)")
      #expect(close(auc.standardError, try row.double("delong_se")))
      let ci = try row.pair("delong_ci95_normal_clipped")
      #expect(close(auc.interval().lower, ci.0), "\(name) lower")
      #expect(close(auc.interval().upper, ci.1), "\(name) upper")
    }

    let paired = try vectors.object("auc_delong")
      .object("toy_study_delong_tests_paired")
    for (key, names) in [
      ("model_vs_R1", ("model", "R1")), ("model_vs_R2", ("model", "R2")),
      ("R1_vs_R3", ("R1", "R3")),
    ] {
      let row = try paired.object(key)
      let test = try DeLong.pairedTest(
        try #require(scores[names.0]), try #require(scores[names.1]),
        truth: truth)
      let matrix = try #require(row["cov_matrix"] as? [[Double]])
      #expect(close(test.covariance, matrix[0][1]), "\(key) covariance")
      #expect(close(test.difference, try row.double("diff")), "\(key) diff")
      #expect(close(test.standardError, try row.double("se_diff")), "\(key)")
      #expect(close(test.z, try row.double("z")), "\(key) z")
      #expect(close(test.p, try row.double("p_two_sided")), "\(key) p")
      let ci = try row.pair("ci95_diff")
      #expect(close(test.interval().lower, ci.0), "\(key) lower")
      #expect(close(test.interval().upper, ci.1), "\(key) upper")
    }
  }

  @Test func mcNemarTests() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let mcnemar = try vectors.object("mcnemar")
    for key in [
      "agresti_presidential_approval", "small_b2_c8", "no_discordant_pairs",
      "toy_model_vs_R1_on_diseased_only",
    ] {
      let row = try mcnemar.object(key)
      let test = McNemarTest(
        b: try #require(row["b"] as? Int), c: try #require(row["c"] as? Int))
      let exact = try row.object("statsmodels.mcnemar(exact=True)")
      #expect(close(test.exactP, try exact.double("p")), "\(key) exact")
      if let midP = number(row["mid_p"]) {
        #expect(close(test.midP, midP), "\(key) mid-p")
      } else {
        #expect(test.midP == 1, "\(key) mid-p without discordant pairs")
      }
      let plain = try row.object("statsmodels.mcnemar(exact=False, correction=False)")
      let chi2 = try plain.double("chi2")
      if chi2.isFinite {
        #expect(close(test.chiSquare, chi2), "\(key) chi-square")
        #expect(close(test.chiSquareP, try plain.double("p")), "\(key) p")
      } else {
        #expect(test.chiSquare == nil, "\(key) chi-square undefined")
        #expect(test.chiSquareP == 1, "\(key) p without discordant pairs")
      }
    }
    // The corrected statistic follows R, which skips the correction at
    // b = c; it agrees with statsmodels wherever b != c.
    for key in ["agresti_presidential_approval", "small_b2_c8"] {
      let row = try mcnemar.object(key)
      let test = McNemarTest(
        b: try #require(row["b"] as? Int), c: try #require(row["c"] as? Int))
      let corrected = try row.object(
        "statsmodels.mcnemar(exact=False, correction=True)")
      #expect(close(test.correctedChiSquare, try corrected.double("chi2")))
      #expect(close(test.correctedChiSquareP, try corrected.double("p")))
    }
    #expect(McNemarTest(b: 1, c: 1).correctedChiSquare == 0)
    #expect(McNemarTest(b: 0, c: 0).correctedChiSquareP == 1)
  }

  @Test func fleissKappa() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let classic = try vectors.object("fleiss_kappa_fleiss_1971")
    let counts = try #require(
      classic["input_counts_subject_by_category"] as? [[Int]])
    let raw = try #require(classic["input_raw_subject_by_rater"] as? [[Int]])
    let fromRaw = FleissKappa.counts(
      ratings: raw.map { $0.map { Optional($0) } }, categories: [1, 2, 3, 4, 5])
    #expect(fromRaw == counts)
    let manual = try classic.object("manual_numpy")
    let kappa = FleissKappa.compute(counts: counts)
    #expect(close(kappa.kappa.number, try manual.double("kappa")))
    #expect(close(kappa.observedAgreement, try manual.double("P_bar")))
    #expect(close(kappa.chanceAgreement, try manual.double("P_e")))
    #expect(close(kappa.nullStandardError.number, try manual.double("se0_FNL1979")))
    #expect(close(kappa.z.number, try manual.double("z")))
    #expect(close(kappa.p.number, try manual.double("p_two_sided"), tolerance: 1e-6))
    let shares = try #require(manual["p_j"] as? [Double])
    let perCategory = try #require(manual["kappa_j"] as? [Double])
    for j in 0..<5 {
      #expect(close(kappa.categoryShares[j], shares[j]), "p_\(j)")
      #expect(close(kappa.categoryKappas[j].number, perCategory[j]), "k_\(j)")
    }

    let binary = try vectors.object("fleiss_kappa_3_reader_binary")
    let binaryCounts = try #require(
      binary["input_counts_subject_by_category[no,yes]"] as? [[Int]])
    let binaryManual = try binary.object("manual_numpy")
    let twoCategories = FleissKappa.compute(counts: binaryCounts)
    #expect(close(twoCategories.kappa.number, try binaryManual.double("kappa")))
    #expect(close(twoCategories.nullStandardError.number,
      try binaryManual.double("se0_FNL1979")))
    #expect(close(twoCategories.z.number, try binaryManual.double("z")))
    #expect(close(twoCategories.p.number, try binaryManual.double("p_two_sided")))

    // A category no rater used leaves kappa and SE0 unchanged; its own kappa
    // is not estimable.
    let unused = FleissKappa.compute(counts: binaryCounts.map { $0 + [0] })
    let unusedRow = try binary.object("with_unused_3rd_category")
    #expect(close(unused.kappa.number,
      try unusedRow.double("statsmodels.fleiss_kappa(method='fleiss')")))
    #expect(close(unused.nullStandardError.number,
      try unusedRow.double("se0_FNL1979")))
    #expect(unused.categoryKappas[2].number == nil)

    let constant = try binary.object("all_raters_always_same_category")
    let same = FleissKappa.compute(
      counts: try #require(constant["input_counts"] as? [[Int]]))
    #expect(same.kappa.number == nil)
    #expect(same.z.number == nil)
  }

  @Test func cohenKappa() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let cohen = try vectors.object("cohen_kappa")
    for (key, tableKey) in [
      ("R1_vs_R2_binary", "input_table_rowsR1_colsR2[no,yes]"),
      ("SAS_example_table10", "input_table"),
    ] {
      let row = try cohen.object(key)
      let table = try #require(row[tableKey] as? [[Int]])
      let expected = try row.object("statsmodels.cohens_kappa")
      let kappa = CohenKappa.compute(table: table)
      #expect(close(kappa.kappa.number, try expected.double("kappa")), "\(key)")
      #expect(close(kappa.standardError.number, try expected.double("ASE")))
      #expect(close(kappa.nullStandardError.number,
        try expected.double("ASE_H0")), "\(key) ASE0")
      #expect(close(kappa.z.number, try expected.double("z")), "\(key) z")
      #expect(close(kappa.p.number, try expected.double("p_two_sided")))
      let interval = try #require(kappa.interval())
      #expect(close(interval.lower, try expected.double("ci_low")), "\(key)")
      #expect(close(interval.upper, try expected.double("ci_upp")), "\(key)")
    }
    let constant = CohenKappa.compute(
      [1, 1, 1, 1].map { Optional($0) }, [1, 1, 1, 1].map { Optional($0) },
      categories: [0, 1])
    #expect(constant.kappa.number == nil)
  }

  @Test func f1Scores() throws {
    guard let vectors = try ReferenceVectors.shared() else {
      print("skipped: ../shared/vectors/statistics.json is absent")
      return
    }
    let f1 = try vectors.object("f1")
    for key in ["toy_R1", "toy_R2", "toy_R3", "toy_model@0.5"] {
      let row = try f1.object(key)
      let table = DiagnosticTable(
        truth: try row.integers("y_true").map { $0 == 1 },
        calls: try row.integers("y_pred").map { $0 == 1 })
      #expect(close(table.f1.number, try row.double("sklearn.f1_score")), "\(key)")
    }
    let none = DiagnosticTable(truth: [false, false, false], calls: [false, false, false])
    #expect(none.f1.number == nil)
  }
}
