import Foundation
import MyoSupport

/// A parsed CSV file: a header row and data rows (RFC 4180 quoting).
public struct CSVTable: Sendable {
  /// The column names, trimmed and lowercased.
  public var header: [String]
  /// The data rows with their 1-based line numbers.
  public var rows: [(line: Int, fields: [String])]

  /// Parses CSV text; `path` names the file in errors.
  public static func parse(_ text: String, path: String) throws -> CSVTable {
    let (parsed, unclosedQuoteLine) = CSVParser.records(text)
    if let unclosedQuoteLine {
      throw ReportError.invalidCSV(
        path: path, line: unclosedQuoteLine,
        reason: "a quoted field is not closed")
    }
    let records = parsed.filter {
      !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
    guard let first = records.first else {
      throw ReportError.invalidCSV(path: path, line: 1, reason: "the file is empty")
    }
    return CSVTable(
      header: first.fields.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      },
      rows: records.dropFirst().map { ($0.line, $0.fields) })
  }

  /// Quotes a field when it contains a comma, a quote or a line break.
  public static func escape(_ field: String) -> String {
    CSVParser.escape(field)
  }
}
