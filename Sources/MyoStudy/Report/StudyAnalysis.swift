import Foundation

/// The statistics of one arm: one reader, or the model, in one modality.
public struct ArmResult: Sendable {
  /// The reader name, or `Rating.modelReader`.
  public var reader: String
  /// The modality: unaided, aided or model.
  public var modality: String
  /// The units counted: cases, or images at image level.
  public var units: Int
  /// The distinct cases behind the units.
  public var cases: Int
  /// The 2x2 table.
  public var table: DiagnosticTable
  /// LR+ with its log-method interval.
  public var positiveLikelihoodRatio: LikelihoodRatio
  /// LR- with its log-method interval.
  public var negativeLikelihoodRatio: LikelihoodRatio
  /// The AUC of the scores, or nil when a class has no units.
  public var auc: AreaUnderCurve?
  /// The reason the AUC is missing, or nil.
  public var aucNote: String?
  /// Sensitivity within each subtype of the diseased (DMD, BMD).
  public var subtypeSensitivity: [(subtype: String, proportion: Proportion)]
  /// Cluster bootstrap intervals (image level only), keyed by statistic:
  /// sensitivity, specificity, accuracy, auc.
  public var bootstrap: [(statistic: String, interval: BootstrapInterval)]
  /// The ROC curve of the scores.
  public var roc: [ROCCurve.Point]

  /// Whether this arm is the model.
  public var isModel: Bool { reader == Rating.modelReader }
}

/// A human arm compared with the model on the cases both rated.
public struct ModelComparison: Sendable {
  /// The reader.
  public var reader: String
  /// The reader's modality.
  public var modality: String
  /// McNemar on diseased cases, "positive" meaning a correct call, first
  /// the model and second the reader.
  public var sensitivity: McNemarTest
  /// Diseased cases both rated.
  public var diseasedPairs: Int
  /// McNemar on non-diseased cases.
  public var specificity: McNemarTest
  /// Non-diseased cases both rated.
  public var nonDiseasedPairs: Int
  /// The paired DeLong test, model first, or nil when not computable.
  public var delong: PairedDeLongTest?
}

/// Agreement among the human readers of one modality on the binary call.
public struct Agreement: Sendable {
  /// The modality.
  public var modality: String
  /// The readers, in name order.
  public var readers: [String]
  /// Fleiss' kappa on the cases every reader rated, with SE0 and z.
  public var completeCases: FleissKappa
  /// Fleiss' kappa on every case with at least two ratings.
  public var availableCases: FleissKappa
  /// Cases each reader skipped, by reader; only readers who skipped some.
  public var skipped: [(reader: String, cases: Int)]
  /// Cohen's kappa for each pair of readers, on the cases both rated.
  public var pairwise: [(first: String, second: String, kappa: CohenKappa)]
}

/// Errors of the study analysis.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
  /// No rating was given.
  case noRatings
  /// One case carries two different truths.
  case conflictingTruth(caseID: String)

  public var description: String {
    switch self {
    case .noRatings:
      return "no ratings to analyse: the study has no reads or predictions"
    case .conflictingTruth(let caseID):
      return "case '\(caseID)' has two different truth values;"
        + " fix the truth column so every row of a case agrees"
    }
  }
}

/// The full statistical analysis of a reader study.
public struct StudyAnalysis: Sendable {
  /// Case or image level.
  public var unit: AnalysisUnit
  /// The confidence level of every interval.
  public var level: Double
  /// Per-arm statistics, the model first, then readers by name.
  public var arms: [ArmResult]
  /// Each human arm against the model, at case level.
  public var comparisons: [ModelComparison]
  /// Agreement among readers per modality, at case level.
  public var agreements: [Agreement]
  /// Each reader's unaided arm against the same reader's aided arm, at
  /// case level; empty without an aided arm.
  public var modalityComparisons: [ModalityComparison] = []
  /// The model bundle's name and demo label, when the caller knows them.
  public var modelLabel: String?
  /// Whether the model bundle is a demo, when the caller knows it.
  public var modelIsDemo = false
  /// The bootstrap replicates and seed used at image level.
  public var bootstrapReplicates: Int
  /// The bootstrap seed.
  public var bootstrapSeed: UInt64

  /// Analyses `ratings`.
  ///
  /// At case level a case-level rating (image nil) is used as is; an arm
  /// with only per-image rows for a case is reduced to their mean score
  /// and their majority call (a tie counts as positive). At image level a
  /// case-level rating stands for every image of its case that any row
  /// names. Comparisons with the model and agreement are always per case.
  public static func compute(
    ratings: [Rating], unit: AnalysisUnit = .case, level: Double = 0.95,
    bootstrapReplicates: Int = 2000, bootstrapSeed: UInt64 = 1
  ) throws -> StudyAnalysis {
    guard !ratings.isEmpty else { throw AnalysisError.noRatings }
    var truth: [String: Bool] = [:]
    for rating in ratings {
      if let known = truth[rating.caseID], known != rating.truth {
        throw AnalysisError.conflictingTruth(caseID: rating.caseID)
      }
      truth[rating.caseID] = rating.truth
    }

    let groups = Dictionary(grouping: ratings) {
      ArmKey(reader: $0.reader, modality: $0.modality)
    }
    let keys = groups.keys.sorted()
    var caseLevel: [ArmKey: [Unit]] = [:]
    for key in keys { caseLevel[key] = caseUnits(groups[key] ?? []) }

    let images = imagesByCase(ratings)
    var arms: [ArmResult] = []
    for key in keys {
      let units: [Unit]
      if unit == .case {
        units = caseLevel[key] ?? []
      } else {
        units = imageUnits(groups[key] ?? [], images: images)
      }
      arms.append(
        arm(
          key: key, units: units, unit: unit, level: level,
          replicates: bootstrapReplicates, seed: bootstrapSeed))
    }

    let model = keys.first { $0.reader == Rating.modelReader }
    var comparisons: [ModelComparison] = []
    if let model, let modelUnits = caseLevel[model] {
      for key in keys where key != model {
        comparisons.append(
          compare(key, caseLevel[key] ?? [], with: modelUnits))
      }
    }
    let agreements = agreement(keys: keys, units: caseLevel)
    return StudyAnalysis(
      unit: unit, level: level, arms: arms, comparisons: comparisons,
      agreements: agreements,
      modalityComparisons: modalityComparisons(keys: keys, units: caseLevel),
      bootstrapReplicates: bootstrapReplicates, bootstrapSeed: bootstrapSeed)
  }
}

/// A reader and modality, ordered with the model first.
struct ArmKey: Hashable, Comparable {
  var reader: String
  var modality: String

  /// Orders the modalities by session, and within a session the unaided
  /// arm before the aided one: "unaided", "aided", "unaided session 2".
  var modalityOrder: (String, Int, String) {
    for (rank, prefix) in ["unaided", "aided"].enumerated() where modality.hasPrefix(prefix) {
      return (String(modality.dropFirst(prefix.count)), rank, "")
    }
    return ("\u{10FFFF}", 2, modality)
  }

  static func < (a: ArmKey, b: ArmKey) -> Bool {
    let aModel = a.reader == Rating.modelReader
    let bModel = b.reader == Rating.modelReader
    if aModel != bModel { return aModel }
    if a.modality != b.modality { return a.modalityOrder < b.modalityOrder }
    return a.reader.localizedStandardCompare(b.reader) == .orderedAscending
  }
}

/// One unit of analysis: a case, or an image of a case.
struct Unit: Sendable {
  var caseID: String
  var image: String?
  var truth: Bool
  var subtype: String?
  var score: Double
  var call: Bool
}
