import Foundation

extension StudyAnalysis {
  /// Reduces an arm's ratings to one unit per case, in case order.
  static func caseUnits(_ ratings: [Rating]) -> [Unit] {
    let byCase = Dictionary(grouping: ratings, by: \.caseID)
    return byCase.keys.sorted().compactMap { caseID in
      guard let rows = byCase[caseID], let first = rows.first else {
        return nil
      }
      if let whole = rows.last(where: { $0.image == nil }) {
        return Unit(
          caseID: caseID, image: nil, truth: whole.truth,
          subtype: whole.subtype, score: whole.score, call: whole.call)
      }
      let score = rows.reduce(0) { $0 + $1.score } / Double(rows.count)
      let positives = rows.filter(\.call).count
      return Unit(
        caseID: caseID, image: nil, truth: first.truth,
        subtype: first.subtype, score: score,
        call: 2 * positives >= rows.count)
    }
  }

  /// Collects the image ids named for each case, in natural order.
  static func imagesByCase(_ ratings: [Rating]) -> [String: [String]] {
    var result: [String: Set<String>] = [:]
    for rating in ratings {
      if let image = rating.image { result[rating.caseID, default: []].insert(image) }
    }
    return result.mapValues {
      $0.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    }
  }

  /// Expands an arm's ratings to one unit per image.
  static func imageUnits(_ ratings: [Rating], images: [String: [String]])
    -> [Unit]
  {
    let byCase = Dictionary(grouping: ratings, by: \.caseID)
    var units: [Unit] = []
    for caseID in byCase.keys.sorted() {
      let rows = byCase[caseID] ?? []
      let perImage = rows.filter { $0.image != nil }
      if !perImage.isEmpty {
        var latest: [String: Rating] = [:]
        for row in perImage { latest[row.image!] = row }
        for image in latest.keys.sorted() {
          let row = latest[image]!
          units.append(
            Unit(
              caseID: caseID, image: image, truth: row.truth,
              subtype: row.subtype, score: row.score, call: row.call))
        }
        continue
      }
      guard let row = rows.last else { continue }
      let names = images[caseID] ?? []
      for image in names.isEmpty ? [nil] : names.map(Optional.some) {
        units.append(
          Unit(
            caseID: caseID, image: image, truth: row.truth,
            subtype: row.subtype, score: row.score, call: row.call))
      }
    }
    return units
  }

  /// Computes one arm's statistics.
  static func arm(
    key: ArmKey, units: [Unit], unit: AnalysisUnit, level: Double,
    replicates: Int, seed: UInt64
  ) -> ArmResult {
    let truth = units.map(\.truth)
    let scores = units.map(\.score)
    let table = DiagnosticTable(truth: truth, calls: units.map(\.call))
    var auc: AreaUnderCurve?
    var aucNote: String?
    do {
      auc = try DeLong.auc(scores: scores, truth: truth)
    } catch {
      aucNote = "\(error)"
    }

    var subtypes: [(String, Proportion)] = []
    let diseased = units.filter(\.truth)
    let names = Set(diseased.compactMap(\.subtype)).sorted()
    for name in names {
      let group = diseased.filter { $0.subtype == name }
      subtypes.append(
        (name, Proportion(successes: group.filter(\.call).count, trials: group.count)))
    }

    var bootstrap: [(String, BootstrapInterval)] = []
    if unit == .image {
      bootstrap = bootstrapIntervals(
        units, level: level, replicates: replicates, seed: seed)
    }
    return ArmResult(
      reader: key.reader, modality: key.modality, units: units.count,
      cases: Set(units.map(\.caseID)).count, table: table,
      positiveLikelihoodRatio: .positive(table, level: level),
      negativeLikelihoodRatio: .negative(table, level: level),
      auc: auc, aucNote: aucNote, subtypeSensitivity: subtypes,
      bootstrap: bootstrap,
      roc: ROCCurve.points(scores: scores, truth: truth))
  }

  /// Cluster bootstrap intervals over cases for the image-level measures.
  static func bootstrapIntervals(
    _ units: [Unit], level: Double, replicates: Int, seed: UInt64
  ) -> [(String, BootstrapInterval)] {
    let byCase = Dictionary(grouping: units, by: \.caseID)
    let clusters = byCase.keys.sorted().map { byCase[$0] ?? [] }
    let statistics: [(String, ([Unit]) -> Double?)] = [
      ("sensitivity", { DiagnosticTable(truth: $0.map(\.truth), calls: $0.map(\.call)).sensitivity.estimate }),
      ("specificity", { DiagnosticTable(truth: $0.map(\.truth), calls: $0.map(\.call)).specificity.estimate }),
      ("accuracy", { DiagnosticTable(truth: $0.map(\.truth), calls: $0.map(\.call)).accuracy.estimate }),
      ("auc", { DeLong.area(scores: $0.map(\.score), truth: $0.map(\.truth)) }),
    ]
    return statistics.compactMap { name, statistic in
      ClusterBootstrap.percentileInterval(
        clusters: clusters, replicates: replicates, seed: seed, level: level,
        statistic: statistic
      ).map { (name, $0) }
    }
  }

  /// Pairs a human arm with the model on the cases both rated.
  static func compare(_ key: ArmKey, _ reader: [Unit], with model: [Unit])
    -> ModelComparison
  {
    let modelByCase = Dictionary(
      model.map { ($0.caseID, $0) }, uniquingKeysWith: { $1 })
    let pairs = reader.compactMap { unit in
      modelByCase[unit.caseID].map { (model: $0, reader: unit) }
    }
    let diseased = pairs.filter { $0.reader.truth }
    let healthy = pairs.filter { !$0.reader.truth }
    let delong = try? DeLong.pairedTest(
      pairs.map(\.model.score), pairs.map(\.reader.score),
      truth: pairs.map(\.reader.truth))
    return ModelComparison(
      reader: key.reader, modality: key.modality,
      sensitivity: McNemarTest(
        diseased.map(\.model.call), diseased.map(\.reader.call)),
      diseasedPairs: diseased.count,
      specificity: McNemarTest(
        healthy.map { !$0.model.call }, healthy.map { !$0.reader.call }),
      nonDiseasedPairs: healthy.count, delong: delong)
  }

  /// Fleiss and pairwise Cohen kappa per modality among human readers.
  static func agreement(keys: [ArmKey], units: [ArmKey: [Unit]]) -> [Agreement] {
    let human = keys.filter { $0.reader != Rating.modelReader }
    let modalities = Set(human.map(\.modality)).sorted()
    var result: [Agreement] = []
    for modality in modalities {
      let arms = human.filter { $0.modality == modality }
      guard arms.count >= 2 else { continue }
      let calls = arms.map { key in
        Dictionary((units[key] ?? []).map { ($0.caseID, $0.call) }, uniquingKeysWith: { $1 })
      }
      let cases = Set(calls.flatMap(\.keys)).sorted()
      let matrix: [[Bool?]] = cases.map { caseID in calls.map { $0[caseID] } }
      let complete = matrix.filter { !$0.contains(nil) }
      let categories = [false, true]
      var skipped: [(String, Int)] = []
      for (index, key) in arms.enumerated() {
        let missing = cases.count - calls[index].count
        if missing > 0 { skipped.append((key.reader, missing)) }
      }
      var pairwise: [(String, String, CohenKappa)] = []
      for i in arms.indices {
        for j in arms.indices where j > i {
          pairwise.append(
            (arms[i].reader, arms[j].reader,
             CohenKappa.compute(
               matrix.map { $0[i] }, matrix.map { $0[j] }, categories: categories)))
        }
      }
      result.append(
        Agreement(
          modality: modality, readers: arms.map(\.reader),
          completeCases: FleissKappa.compute(
            counts: FleissKappa.counts(ratings: complete, categories: categories)),
          availableCases: FleissKappa.compute(
            counts: FleissKappa.counts(ratings: matrix, categories: categories)),
          skipped: skipped, pairwise: pairwise))
    }
    return result
  }
}
