import Foundation

/// Reads ratings in long format, one row per reader and case (or image):
/// the columns reader, case, truth and score are required; modality
/// (default "unaided"), call, subtype and image are optional, and other
/// columns are ignored.
public enum RatingsFile {
  /// Parses the long-format text. A row with an empty score is a skipped
  /// read and is left out. Without a call column, `threshold` gives the
  /// call as score >= threshold.
  public static func parse(_ text: String, path: String, threshold: Double?)
    throws -> [Rating]
  {
    let table = try CSVTable.parse(text, path: path)
    func column(_ name: String, required: Bool) throws -> Int? {
      if let index = table.header.firstIndex(of: name) { return index }
      if required {
        throw ReportError.missingColumn(
          path: path, column: name, found: table.header)
      }
      return nil
    }
    let readerColumn = try column("reader", required: true)!
    let caseColumn = try column("case", required: true)!
    let truthColumn = try column("truth", required: true)!
    let scoreColumn = try column("score", required: true)!
    let modalityColumn = try column("modality", required: false)
    let callColumn = try column("call", required: false)
    let subtypeColumn = try column("subtype", required: false)
    let imageColumn = try column("image", required: false)
    if callColumn == nil && threshold == nil {
      throw ReportError.noCallRule(path: path)
    }

    var ratings: [Rating] = []
    for (line, fields) in table.rows {
      func value(_ index: Int?) -> String {
        guard let index, index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
      }
      let scoreText = value(scoreColumn)
      if scoreText.isEmpty { continue }
      guard let score = Double(scoreText), score.isFinite else {
        throw ReportError.invalidValue(
          path: path, line: line, column: "score", value: scoreText,
          expected: "a finite number")
      }
      let reader = value(readerColumn)
      let caseID = value(caseColumn)
      for (name, text) in [("reader", reader), ("case", caseID)]
      where text.isEmpty {
        throw ReportError.invalidValue(
          path: path, line: line, column: name, value: text,
          expected: "a non-empty name")
      }
      let truth = try boolean(
        value(truthColumn), path: path, line: line, column: "truth")
      let call: Bool
      if let callColumn {
        call = try boolean(
          value(callColumn), path: path, line: line, column: "call")
      } else {
        call = score >= threshold!
      }
      let modality = value(modalityColumn)
      let subtype = value(subtypeColumn)
      let image = value(imageColumn)
      ratings.append(
        Rating(
          reader: reader, caseID: caseID,
          modality: modality.isEmpty
            ? (reader == Rating.modelReader ? "model" : "unaided") : modality,
          truth: truth, subtype: normalizedSubtype(subtype),
          score: score, call: call, image: image.isEmpty ? nil : image))
    }
    return ratings
  }

  /// Spells DMD and BMD in capitals and keeps any other subtype as given.
  static func normalizedSubtype(_ text: String) -> String? {
    if text.isEmpty { return nil }
    let upper = text.uppercased()
    return upper == "DMD" || upper == "BMD" ? upper : text
  }

  /// Reads 1/0, yes/no, true/false, positive/negative and
  /// dystrophinopathy/other.
  static func boolean(_ text: String, path: String, line: Int, column: String)
    throws -> Bool
  {
    switch text.lowercased() {
    case "1", "yes", "y", "true", "positive", "dystrophinopathy": return true
    case "0", "no", "n", "false", "negative", "other": return false
    default:
      throw ReportError.invalidValue(
        path: path, line: line, column: column, value: text,
        expected: "1 or 0 (also yes/no, true/false, positive/negative,"
          + " dystrophinopathy/other)")
    }
  }
}
