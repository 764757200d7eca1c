import Foundation

/// Writes the long-format export: one row per reader and case, with the
/// columns the multi-reader multi-case tools expect first.
public enum StudyExporter {
  /// The header of the export.
  public static let columns = [
    "reader", "case", "modality", "truth", "score", "reader_uid", "alias",
    "session", "order", "opened_at", "submitted_at", "duration_seconds", "call",
    "subtype", "confidence", "grades", "window_center", "window_width", "slice",
    "image", "truth_subtype", "amended", "bundle_hash",
  ]

  /// Renders the export as CSV.
  public static func csv(_ data: StudyData) -> String {
    var out = columns.joined(separator: ",") + "\n"
    let scale = data.study.settings.confidenceScale
    func add(_ fields: [String]) {
      out += fields.map(CSVTable.escape).joined(separator: ",") + "\n"
    }
    func decimal(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
    for log in data.logs {
      let amended = Set(log.reads.compactMap(\.amends))
      for (read, number, session) in StudyData.countedReads(log) {
        guard let truth = data.truth[read.pseudonym] else { continue }
        add([
          log.user, read.pseudonym, StudyData.modality(read.modality, sessionNumber: number),
          truth.diseased ? "1" : "0",
          "\(ReaderScore.score(call: read.call, confidence: read.confidence, scale: scale))",
          "\(log.uid)", session.alias ?? "", "\(number)", "\(read.position)",
          read.openedAt, read.submittedAt, "\(read.durationSeconds)",
          read.call ? "1" : "0", read.subtype ?? "", "\(read.confidence)",
          read.grades ?? "", decimal(read.windowCenter), decimal(read.windowWidth),
          read.slice.map { $0 < Int.max ? "\($0 + 1)" : "\($0)" } ?? "", "", truth.subtype ?? "",
          read.amends != nil || amended.contains(read.id) ? "1" : "0", "",
        ])
      }
    }
    for p in data.predictions {
      guard let truth = data.truth[p.pseudonym] else { continue }
      add([
        Rating.modelReader, p.pseudonym, "model", truth.diseased ? "1" : "0",
        "\(p.probability)", "", "", "", "", "", "", "", p.probability >= 0.5 ? "1" : "0",
        "", "", "", "", "", "", p.slice.map { "\($0 + 1)" } ?? "", truth.subtype ?? "",
        "0", p.bundleHash,
      ])
    }
    return out
  }
}
