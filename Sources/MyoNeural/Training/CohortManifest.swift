import Foundation
import MyoSupport

/// One labelled case of a cohort manifest.
public struct CohortCase: Sendable, Equatable {
  /// The case name, unique in the manifest.
  public var name: String
  /// The folder (or single file) that holds the case's images.
  public var folder: String
  /// The reference truth: dystrophinopathy (true) or another disease.
  public var isPositive: Bool
  /// The diagnosis as written in the manifest.
  public var diagnosis: String
  /// DMD, BMD or another subtype; empty when the manifest has none.
  public var subtype: String
  /// The split named by the manifest's split column, if any.
  public var split: SplitPart?
}

/// A cohort manifest: a CSV file with one row per case.
///
/// Columns (header names are case-insensitive, extra columns are ignored):
///
/// | column    | required | meaning                                      |
/// |-----------|----------|----------------------------------------------|
/// | case      | yes      | case name; the folder of that name beside    |
/// |           |          | the manifest holds its images                |
/// | diagnosis | yes      | dystrophinopathy, DMD or BMD (positive), or  |
/// |           |          | any other diagnosis (negative); `label` with |
/// |           |          | 1 or 0 may replace it                        |
/// | subtype   | no       | DMD, BMD or another subtype                  |
/// | split     | no       | train, validation or test                    |
/// | path      | no       | the case folder, relative to the manifest    |
public struct CohortManifest: Sendable {
  /// The manifest file.
  public var path: String
  /// The cases in file order.
  public var cases: [CohortCase]
  /// SHA-256 of the manifest file, recorded in trained bundles.
  public var sha256: String

  /// Diagnoses and subtypes that mean dystrophinopathy, lowercased.
  static let positiveNames: Set<String> = [
    "dystrophinopathy", "dmd", "bmd", "duchenne", "becker", "positive",
    "1", "true", "yes",
  ]
  /// Subtypes that mean dystrophinopathy, lowercased.
  static let positiveSubtypes: Set<String> = ["dmd", "bmd", "duchenne", "becker"]
  /// Labels that mean another disease, lowercased.
  static let negativeLabels: Set<String> = ["0", "false", "no", "negative"]

  /// Reads a manifest file.
  public static func read(path: String) throws -> CohortManifest {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TrainingError.invalidManifest(
        path: path, line: 0, reason: "the file does not exist or is unreadable")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw TrainingError.invalidManifest(
        path: path, line: 0, reason: "the file is not UTF-8 text")
    }
    var hasher = SHA256()
    hasher.update(data)
    let folder = (path as NSString).deletingLastPathComponent
    var manifest = try parse(text, path: path, folder: folder.isEmpty ? "." : folder)
    manifest.sha256 = hasher.finish()
    return manifest
  }

  /// Parses manifest text; case folders resolve against `folder`.
  public static func parse(
    _ text: String, path: String, folder: String
  ) throws -> CohortManifest {
    let (rows, unclosedQuoteLine) = CSVParser.records(text)
    if let unclosedQuoteLine {
      throw TrainingError.invalidManifest(
        path: path, line: unclosedQuoteLine,
        reason: "a quoted field is not closed; add the closing double quote")
    }
    guard let header = rows.first else {
      throw TrainingError.invalidManifest(path: path, line: 1, reason: "the file is empty")
    }
    let names = header.fields.map {
      $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
    func column(_ name: String) -> Int? { names.firstIndex(of: name) }
    guard let caseColumn = column("case") else {
      throw TrainingError.missingColumn(path: path, column: "case", found: names)
    }
    guard let labelColumn = column("diagnosis") ?? column("label") else {
      throw TrainingError.missingColumn(path: path, column: "diagnosis", found: names)
    }
    let subtypeColumn = column("subtype")
    let splitColumn = column("split")
    let pathColumn = column("path")

    var cases: [CohortCase] = []
    var seen = Set<String>()
    for row in rows.dropFirst() {
      if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
        continue
      }
      func field(_ index: Int?) -> String {
        guard let index, index < row.fields.count else { return "" }
        return row.fields[index].trimmingCharacters(in: .whitespaces)
      }
      let name = field(caseColumn)
      guard !name.isEmpty else {
        throw TrainingError.invalidManifest(
          path: path, line: row.line, reason: "the case column is empty")
      }
      guard seen.insert(name).inserted else {
        throw TrainingError.invalidManifest(
          path: path, line: row.line,
          reason: "case '\(name)' appears twice; case names must be unique")
      }
      let diagnosis = field(labelColumn)
      let subtype = field(subtypeColumn)
      guard !diagnosis.isEmpty else {
        throw TrainingError.invalidManifest(
          path: path, line: row.line, reason: "case '\(name)' has no diagnosis")
      }
      let lowered = diagnosis.lowercased()
      // A DMD or BMD subtype marks a positive case even under a broader
      // diagnosis name, unless the label says 0 or negative outright.
      let isPositive =
        positiveNames.contains(lowered)
        || (!negativeLabels.contains(lowered)
          && positiveSubtypes.contains(subtype.lowercased()))
      var split: SplitPart?
      let splitText = field(splitColumn)
      if !splitText.isEmpty {
        guard let part = SplitPart(parsing: splitText) else {
          throw TrainingError.invalidManifest(
            path: path, line: row.line,
            reason: "split '\(splitText)' of case '\(name)' is not train,"
              + " validation or test")
        }
        split = part
      }
      let relative = field(pathColumn).isEmpty ? name : field(pathColumn)
      let caseFolder =
        relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative)
      cases.append(
        CohortCase(
          name: name, folder: caseFolder, isPositive: isPositive,
          diagnosis: diagnosis, subtype: subtype, split: split))
    }
    guard !cases.isEmpty else {
      throw TrainingError.invalidManifest(
        path: path, line: 2, reason: "the manifest lists no cases")
    }
    return CohortManifest(path: path, cases: cases, sha256: "")
  }
}
