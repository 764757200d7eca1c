import Foundation

/// Reads the reference truth: a CSV with a `case` column (the case folder
/// name), and either `truth` or `label` (1 or 0, yes or no,
/// dystrophinopathy or other) with an optional
/// `subtype`, or `diagnosis` (DMD and BMD count as dystrophinopathy, any
/// other text as another disease).
public enum TruthFile {
  /// Reads the truth by case name.
  public static func read(path: String) throws -> [String: CaseTruth] {
    let text = try CSVFile.text(path)
    let table = try CSVTable.parse(text, path: path)
    guard let caseColumn = table.header.firstIndex(of: "case") else {
      throw ReportError.missingColumn(path: path, column: "case", found: table.header)
    }
    let truthColumn = table.header.firstIndex(of: "truth")
      ?? table.header.firstIndex(of: "label")
    let diagnosisColumn = table.header.firstIndex(of: "diagnosis")
    let subtypeColumn = table.header.firstIndex(of: "subtype")
    guard truthColumn != nil || diagnosisColumn != nil else {
      throw ReportError.missingColumn(path: path, column: "truth", found: table.header)
    }
    var result: [String: CaseTruth] = [:]
    for (line, fields) in table.rows {
      func value(_ index: Int?) -> String {
        guard let index, index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
      }
      let name = value(caseColumn)
      guard !name.isEmpty else {
        throw ReportError.invalidValue(
          path: path, line: line, column: "case", value: "", expected: "a case folder name")
      }
      let subtype = RatingsFile.normalizedSubtype(value(subtypeColumn))
      if let truthColumn {
        let diseased = try RatingsFile.boolean(
          value(truthColumn), path: path, line: line, column: "truth")
        result[name] = CaseTruth(diseased: diseased, subtype: subtype)
      } else {
        let diagnosis = value(diagnosisColumn)
        guard let normalized = RatingsFile.normalizedSubtype(diagnosis) else {
          throw ReportError.invalidValue(
            path: path, line: line, column: "diagnosis", value: diagnosis,
            expected: "DMD, BMD or the name of the other disease")
        }
        result[name] = CaseTruth(
          diseased: normalized == "DMD" || normalized == "BMD", subtype: normalized)
      }
    }
    return result
  }
}
