import Foundation

/// A parsed CSV file: a header row and data rows (RFC 4180 quoting).
public struct CSVTable: Sendable {
  /// The column names, trimmed and lowercased.
  public var header: [String]
  /// The data rows with their 1-based line numbers.
  public var rows: [(line: Int, fields: [String])]

  /// Parses CSV text; `path` names the file in errors.
  public static func parse(_ text: String, path: String) throws -> CSVTable {
    var records: [(Int, [String])] = []
    var field = ""
    var fields: [String] = []
    var inQuotes = false
    var line = 1
    var recordLine = 1
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil

    func next() -> Unicode.Scalar? {
      if let scalar = pending {
        pending = nil
        return scalar
      }
      return iterator.next()
    }

    while let scalar = next() {
      if inQuotes {
        if scalar == "\"" {
          if let following = next() {
            if following == "\"" {
              field.unicodeScalars.append("\"")
            } else {
              inQuotes = false
              pending = following
            }
          } else {
            inQuotes = false
          }
        } else {
          if scalar == "\n" { line += 1 }
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"":
        inQuotes = true
      case ",":
        fields.append(field)
        field = ""
      case "\r":
        continue
      case "\n":
        fields.append(field)
        records.append((recordLine, fields))
        fields = []
        field = ""
        line += 1
        recordLine = line
      default:
        field.unicodeScalars.append(scalar)
      }
    }
    if inQuotes {
      throw ReportError.invalidCSV(
        path: path, line: recordLine, reason: "a quoted field is not closed")
    }
    if !field.isEmpty || !fields.isEmpty {
      fields.append(field)
      records.append((recordLine, fields))
    }
    records.removeAll { $0.1.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    guard let first = records.first else {
      throw ReportError.invalidCSV(path: path, line: 1, reason: "the file is empty")
    }
    return CSVTable(
      header: first.1.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      },
      rows: Array(records.dropFirst()))
  }

  /// Quotes a field when it contains a comma, a quote or a line break.
  public static func escape(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
    else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
