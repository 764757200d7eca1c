import Foundation
import MyoImaging
import MyoTerminal

extension StudyCreator {
  /// Copies what a teaching set shows after each answer beside the case's
  /// de-identified slices: the label map of each slice file, as
  /// `NNN.labels.png` or `NNN.labels.nii` beside `NNN.ext` and written
  /// through the same de-identification, and the legend `labels.csv`
  /// with its id, name and abbreviation columns only.
  static func copyTeachingExtras(
    of entry: CaseEntry, copies: [String: String], into folder: String
  ) throws {
    for (source, copy) in copies {
      guard let map = LabelMaps.candidates(for: source).first(where: {
        FileManager.default.fileExists(atPath: $0)
      }) else { continue }
      let (bytes, fileExtension) = try ImageDeidentifier.deidentify(
        path: map, pseudonym: "", salt: "", index: 0)
      let base = ((copy as NSString).lastPathComponent as NSString)
        .deletingPathExtension
      let target = (folder as NSString).appendingPathComponent(
        base + ".labels." + fileExtension)
      try write(bytes, to: target, what: "the label map copy")
    }

    let legendPath = (entry.path as NSString).appendingPathComponent("labels.csv")
    guard let data = FileManager.default.contents(atPath: legendPath) else { return }
    let legend = LabelMaps.parseLegend(String(decoding: data, as: UTF8.self))
    var text = "id,name,abbreviation\n"
    for id in legend.keys.sorted() {
      guard let label = legend[id] else { continue }
      text += [String(id), label.name, label.abbreviation]
        .map(CSVTable.escape).joined(separator: ",") + "\n"
    }
    try write(
      Array(text.utf8), to: (folder as NSString).appendingPathComponent("labels.csv"),
      what: "the label legend")
  }

  static func write(_ bytes: [UInt8], to path: String, what: String) throws {
    guard FileManager.default.createFile(
      atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o644])
    else {
      throw StudyError.fileFailed(
        path: path, operation: "writing \(what)",
        reason: String(cString: strerror(errno)))
    }
  }

  /// Reads the reference Mercuri grades of a case from `grades.csv` in its
  /// folder (columns muscle, side and grade); empty when there is none.
  static func gradesFile(of entry: CaseEntry) throws -> [MuscleGrade] {
    let path = (entry.path as NSString).appendingPathComponent("grades.csv")
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let table = try CSVTable.parse(String(decoding: data, as: UTF8.self), path: path)
    for column in ["muscle", "grade"] where !table.header.contains(column) {
      throw ReportError.missingColumn(path: path, column: column, found: table.header)
    }
    let muscle = table.header.firstIndex(of: "muscle")!
    let grade = table.header.firstIndex(of: "grade")!
    let side = table.header.firstIndex(of: "side")
    let valid: Set<String> = ["0", "1", "2a", "2b", "3", "4"]
    var result: [MuscleGrade] = []
    for (line, fields) in table.rows {
      func value(_ index: Int?) -> String {
        guard let index, index < fields.count else { return "" }
        return fields[index].trimmingCharacters(in: .whitespaces)
      }
      let text = value(grade).lowercased()
      guard valid.contains(text) else {
        throw ReportError.invalidValue(
          path: path, line: line, column: "grade", value: value(grade),
          expected: "a Mercuri grade: 0, 1, 2a, 2b, 3 or 4")
      }
      result.append(
        MuscleGrade(muscle: value(muscle), side: value(side).uppercased(), grade: text))
    }
    return result
  }
}
