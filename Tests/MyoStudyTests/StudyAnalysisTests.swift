import Foundation
import MyoImaging
import Testing

@testable import MyoStudy

/// Checks the study analysis against the fixture written by
/// scripts/reference/statistics_reference.py (statsmodels, scipy and
/// scikit-learn on a synthetic study with a reader who skipped cases, and
/// on a second one whose readers read each case unaided and aided).
@Suite struct StudyAnalysisTests {
  static func ratings(_ fixture: [String: Any]) throws -> [Rating] {
    let rows = try #require(fixture["ratings"] as? [[String: Any]])
    return try rows.map { row in
      Rating(
        reader: try #require(row["reader"] as? String),
        caseID: try #require(row["case"] as? String),
        modality: try #require(row["modality"] as? String),
        truth: try #require(row["truth"] as? Int) == 1,
        subtype: row["subtype"] as? String,
        score: try #require(number(row["score"])),
        call: try #require(row["call"] as? Int) == 1,
        image: row["image"] as? String)
    }
  }

  func expectInterval(
    _ actual: ConfidenceInterval?, _ expected: (Double, Double), _ label: String
  ) {
    #expect(close(actual?.lower, expected.0), "\(label) lower")
    #expect(close(actual?.upper, expected.1), "\(label) upper")
  }

  @Test func caseLevelArms() throws {
    let fixture = try ReferenceVectors.fixture()
    let analysis = try StudyAnalysis.compute(ratings: try Self.ratings(fixture))
    let expected = try fixture.object("case_level")
    #expect(analysis.arms.map(\.reader) == ["model", "R1", "R2", "R3"])
    for arm in analysis.arms {
      let row = try expected.object(arm.reader)
      let t = arm.table
      #expect(t.truePositives == row["tp"] as? Int, "\(arm.reader) TP")
      #expect(t.falseNegatives == row["fn"] as? Int, "\(arm.reader) FN")
      #expect(t.falsePositives == row["fp"] as? Int, "\(arm.reader) FP")
      #expect(t.trueNegatives == row["tn"] as? Int, "\(arm.reader) TN")
      expectInterval(
        t.sensitivity.interval(.wilson), try row.pair("sensitivity_wilson"),
        "\(arm.reader) sensitivity W")
      expectInterval(
        t.sensitivity.interval(.clopperPearson),
        try row.pair("sensitivity_clopper_pearson"), "\(arm.reader) sens CP")
      expectInterval(
        t.specificity.interval(.wilson), try row.pair("specificity_wilson"),
        "\(arm.reader) specificity W")
      expectInterval(
        t.specificity.interval(.clopperPearson),
        try row.pair("specificity_clopper_pearson"), "\(arm.reader) spec CP")
      expectInterval(
        t.accuracy.interval(.wilson), try row.pair("accuracy_wilson"),
        "\(arm.reader) accuracy W")
      #expect(close(t.f1.number, try row.double("f1")), "\(arm.reader) F1")
      let auc = try #require(arm.auc)
      #expect(close(auc.area, try row.double("auc")), "\(arm.reader) AUC")
      #expect(
        close(auc.variance, try row.double("auc_delong_variance")),
        "\(arm.reader) DeLong variance")
      for subtype in ["DMD", "BMD"] {
        let found = try #require(
          arm.subtypeSensitivity.first { $0.subtype == subtype })
        #expect(
          close(found.proportion.estimate, try row.double("sensitivity_\(subtype)")),
          "\(arm.reader) \(subtype)")
        expectInterval(
          found.proportion.interval(.wilson),
          try row.pair("sensitivity_\(subtype)_wilson"), "\(arm.reader) \(subtype) W")
      }
    }
  }

  @Test func comparisonsWithModel() throws {
    let fixture = try ReferenceVectors.fixture()
    let analysis = try StudyAnalysis.compute(ratings: try Self.ratings(fixture))
    let expected = try fixture.object("comparisons")
    #expect(analysis.comparisons.count == 3)
    for comparison in analysis.comparisons {
      let row = try expected.object(comparison.reader)
      let label = comparison.reader
      #expect(comparison.sensitivity.b == row["sensitivity_b"] as? Int, "\(label)")
      #expect(comparison.sensitivity.c == row["sensitivity_c"] as? Int, "\(label)")
      #expect(comparison.specificity.b == row["specificity_b"] as? Int, "\(label)")
      #expect(comparison.specificity.c == row["specificity_c"] as? Int, "\(label)")
      #expect(close(comparison.sensitivity.exactP,
        try row.double("sensitivity_exact_p")), "\(label) exact")
      #expect(close(comparison.sensitivity.midP,
        try row.double("sensitivity_mid_p")), "\(label) mid-p")
      #expect(close(comparison.specificity.exactP,
        try row.double("specificity_exact_p")), "\(label) spec exact")
      let delong = try #require(comparison.delong)
      #expect(close(delong.z, try row.double("delong_z")), "\(label) z")
      #expect(close(delong.p, try row.double("delong_p")), "\(label) p")
    }
  }

  @Test func unaidedAgainstAided() throws {
    let fixture = try ReferenceVectors.fixture().object("aided")
    let analysis = try StudyAnalysis.compute(ratings: try Self.ratings(fixture))
    let expected = try fixture.object("unaided_vs_aided")
    #expect(analysis.modalityComparisons.map(\.reader) == ["R1", "R2"])
    #expect(analysis.comparisons.isEmpty)
    // Arms run unaided before aided for each session.
    #expect(analysis.arms.map(\.modality) == ["unaided", "unaided", "aided", "aided"])
    for comparison in analysis.modalityComparisons {
      let row = try expected.object(comparison.reader)
      let label = comparison.reader
      #expect(comparison.unaided == "unaided", "\(label)")
      #expect(comparison.aided == "aided", "\(label)")
      #expect(comparison.diseasedPairs == row["diseased_pairs"] as? Int, "\(label)")
      #expect(comparison.nonDiseasedPairs == row["non_diseased_pairs"] as? Int, "\(label)")
      for (name, test) in [
        ("sensitivity", comparison.sensitivity), ("specificity", comparison.specificity),
      ] {
        let values = try row.object(name)
        #expect(test.b == values["b"] as? Int, "\(label) \(name) b")
        #expect(test.c == values["c"] as? Int, "\(label) \(name) c")
        #expect(close(test.exactP, try values.double("exact_p")), "\(label) \(name) exact")
        #expect(close(test.midP, try values.double("mid_p")), "\(label) \(name) mid-p")
      }
      let delong = try #require(comparison.delong)
      let values = try row.object("delong")
      #expect(close(delong.first.area, try values.double("first_auc")), "\(label) unaided AUC")
      #expect(close(delong.second.area, try values.double("second_auc")), "\(label) aided AUC")
      #expect(close(delong.standardError, try values.double("se")), "\(label) SE")
      #expect(close(delong.z, try values.double("z")), "\(label) z")
      #expect(close(delong.p, try values.double("p")), "\(label) p")
    }
  }

  @Test func agreementWithSkippedCases() throws {
    let fixture = try ReferenceVectors.fixture()
    let analysis = try StudyAnalysis.compute(ratings: try Self.ratings(fixture))
    let expected = try fixture.object("agreement")
    let agreement = try #require(analysis.agreements.first)
    #expect(agreement.readers == ["R1", "R2", "R3"])
    #expect(agreement.completeCases.subjects == expected["complete_subjects"] as? Int)
    #expect(close(agreement.completeCases.kappa.number,
      try expected.double("fleiss_complete")))
    #expect(agreement.availableCases.subjects == expected["available_subjects"] as? Int)
    #expect(close(agreement.availableCases.kappa.number,
      try expected.double("fleiss_available")))
    #expect(agreement.availableCases.nullStandardError.number == nil)
    #expect(agreement.skipped.map(\.reader) == ["R3"])
    #expect(agreement.skipped.map(\.cases) == [3])
    let cohen = try expected.object("cohen")
    for pair in agreement.pairwise {
      let row = try cohen.object("\(pair.first)-\(pair.second)")
      #expect(pair.kappa.subjects == row["subjects"] as? Int)
      #expect(close(pair.kappa.kappa.number, try row.double("kappa")))
      #expect(close(pair.kappa.kappa.number, try row.double("sklearn")))
      #expect(close(pair.kappa.standardError.number, try row.double("ase")))
    }
  }

  @Test func imageLevelClusterBootstrap() throws {
    let fixture = try ReferenceVectors.fixture()
    let imageLevel = try fixture.object("image_level")
    let replicates = try #require(imageLevel["replicates"] as? Int)
    let seed = try #require(imageLevel["seed"] as? Int)
    let analysis = try StudyAnalysis.compute(
      ratings: try Self.ratings(fixture), unit: .image,
      bootstrapReplicates: replicates, bootstrapSeed: UInt64(seed))
    let model = try #require(analysis.arms.first { $0.isModel })
    let expected = try imageLevel.object("model")
    #expect(model.table.truePositives == expected["tp"] as? Int)
    #expect(model.table.trueNegatives == expected["tn"] as? Int)
    #expect(close(model.auc?.area, try expected.double("auc")))
    let bootstrap = try expected.object("bootstrap")
    #expect(model.bootstrap.count == 4)
    for (name, interval) in model.bootstrap {
      let row = try bootstrap.object(name)
      #expect(interval.replicates == row["replicates"] as? Int, "\(name)")
      expectInterval(interval.interval, try row.pair("interval"), name)
    }
  }

  @Test func oneClassOnlyIsNotEstimable() throws {
    let ratings = (1...4).map {
      Rating(
        reader: "R1", caseID: "C\($0)", modality: "unaided", truth: true,
        score: Double($0), call: $0 > 1)
    }
    let analysis = try StudyAnalysis.compute(ratings: ratings)
    let arm = try #require(analysis.arms.first)
    #expect(arm.auc == nil)
    #expect(
      arm.aucNote == "AUC needs diseased and non-diseased cases:"
        + " found 4 diseased and 0 non-diseased")
    #expect(arm.table.specificity.estimate == nil)
    #expect(arm.positiveLikelihoodRatio.ratio.number == nil)
    let text = ReportFormatter.render(analysis, format: .text)
    #expect(!text.lowercased().contains("inf"))
    #expect(!text.contains("nan"))
  }

  @Test func conflictingTruthIsRejected() throws {
    let ratings = [
      Rating(reader: "R1", caseID: "C1", modality: "unaided", truth: true,
        score: 1, call: true),
      Rating(reader: "R2", caseID: "C1", modality: "unaided", truth: false,
        score: 1, call: true),
    ]
    #expect(throws: AnalysisError.conflictingTruth(caseID: "C1")) {
      try StudyAnalysis.compute(ratings: ratings)
    }
  }
}

@Suite struct ROCTests {
  @Test func curveMatchesScikitLearn() throws {
    let fixture = try ReferenceVectors.fixture()
    let analysis = try StudyAnalysis.compute(ratings: try StudyAnalysisTests.ratings(fixture))
    let model = try #require(analysis.arms.first { $0.isModel })
    let expected = try fixture.object("case_level").object("model")
    let fpr = try #require(expected["roc_fpr"] as? [Double])
    let tpr = try #require(expected["roc_tpr"] as? [Double])
    #expect(model.roc.count == fpr.count)
    for (point, (x, y)) in zip(model.roc, zip(fpr, tpr)) {
      #expect(close(point.falsePositiveRate, x))
      #expect(close(point.truePositiveRate, y))
    }
  }

  @Test func figureMarksReadersWhereTheyAre() throws {
    let fixture = try ReferenceVectors.fixture()
    let analysis = try StudyAnalysis.compute(ratings: try StudyAnalysisTests.ratings(fixture))
    let png = try ROCPlot.png(analysis)
    let pixels = try PNGCodec.decode(png, path: "roc.png")
    #expect(pixels.width == 720)
    #expect(pixels.height == 640)
    #expect(pixels.channels == 3)
    // The first reader's marker is orange at its operating point.
    let arm = try #require(analysis.arms.first { $0.reader == "R1" })
    let x = 80 + Int(((1 - arm.table.specificity.estimate!) * 540).rounded())
    let y = 30 + 540 - Int((arm.table.sensitivity.estimate! * 540).rounded())
    let offset = (y * 720 + x) * 3
    #expect(Array(pixels.samples[offset..<(offset + 3)]) == [230, 120, 20])
    let text = ROCPlot.text(analysis)
    #expect(text.contains("A R1: sensitivity"))
    #expect(text.contains("* model (AUC "))
  }
}

@Suite struct RankAreaTests {
  /// The rank formula must give the Mann-Whitney area of the DeLong code,
  /// ties included, on every arm of the reference study.
  @Test func rankAreaMatchesKernelArea() throws {
    let ratings = try StudyAnalysisTests.ratings(try ReferenceVectors.fixture())
    for reader in ["model", "R1", "R2", "R3"] {
      let rows = ratings.filter { $0.reader == reader }
      let scores = rows.map(\.score)
      let truth = rows.map(\.truth)
      let kernel = try DeLong.auc(scores: scores, truth: truth).area
      #expect(close(DeLong.area(scores: scores, truth: truth), kernel), "\(reader)")
    }
    #expect(DeLong.area(scores: [1, 2], truth: [true, true]) == nil)
  }
}
