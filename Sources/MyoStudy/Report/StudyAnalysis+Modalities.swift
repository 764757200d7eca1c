import Foundation

/// One reader's unaided reads compared with the same reader's aided reads
/// of the same session, on the cases read both ways.
public struct ModalityComparison: Sendable {
  /// The reader.
  public var reader: String
  /// The unaided modality, such as "unaided" or "unaided session 2".
  public var unaided: String
  /// The aided modality of the same session.
  public var aided: String
  /// McNemar on diseased cases, "positive" meaning a correct call, first
  /// unaided and second aided.
  public var sensitivity: McNemarTest
  /// Diseased cases read both ways.
  public var diseasedPairs: Int
  /// McNemar on non-diseased cases.
  public var specificity: McNemarTest
  /// Non-diseased cases read both ways.
  public var nonDiseasedPairs: Int
  /// The paired DeLong test on the confidence scores, unaided first, or
  /// nil when a class has no cases.
  public var delong: PairedDeLongTest?
}

extension StudyAnalysis {
  /// Pairs each reader's unaided arm with the aided arm of the same
  /// session ("unaided" with "aided", "unaided session N" with "aided
  /// session N"), at case level.
  static func modalityComparisons(keys: [ArmKey], units: [ArmKey: [Unit]])
    -> [ModalityComparison]
  {
    var result: [ModalityComparison] = []
    for key in keys where key.modality.hasPrefix("aided") {
      let unaided = ArmKey(reader: key.reader, modality: "un" + key.modality)
      guard let before = units[unaided], let after = units[key] else { continue }
      let afterByCase = Dictionary(after.map { ($0.caseID, $0) }, uniquingKeysWith: { $1 })
      let pairs = before.compactMap { unit in
        afterByCase[unit.caseID].map { (unaided: unit, aided: $0) }
      }
      let diseased = pairs.filter { $0.unaided.truth }
      let healthy = pairs.filter { !$0.unaided.truth }
      let delong = try? DeLong.pairedTest(
        pairs.map(\.unaided.score), pairs.map(\.aided.score),
        truth: pairs.map(\.unaided.truth))
      result.append(
        ModalityComparison(
          reader: key.reader, unaided: unaided.modality, aided: key.modality,
          sensitivity: McNemarTest(
            diseased.map(\.unaided.call), diseased.map(\.aided.call)),
          diseasedPairs: diseased.count,
          specificity: McNemarTest(
            healthy.map { !$0.unaided.call }, healthy.map { !$0.aided.call }),
          nonDiseasedPairs: healthy.count, delong: delong))
    }
    return result.sorted {
      ($0.aided, $0.reader) < ($1.aided, $1.reader)
    }
  }
}
