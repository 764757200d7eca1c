import Foundation

/// One record of a CSV file: its fields and the 1-based line it starts on.
public struct CSVRecord: Sendable, Equatable {
  /// The line of the file on which the record starts.
  public var line: Int
  /// The fields, unquoted.
  public var fields: [String]

  /// Creates a record.
  public init(line: Int, fields: [String]) {
    self.line = line
    self.fields = fields
  }
}

/// Splits CSV text into records with RFC 4180 quoting: fields in double
/// quotes may contain commas, line breaks and doubled quotes. Carriage
/// returns outside quotes are dropped, so CRLF files read as LF files.
public enum CSVParser {
  /// Splits `text` into records. Returns them with the line of a quoted
  /// field that the text leaves open, if any; the records then end with
  /// that field's record.
  public static func records(_ text: String) -> (
    records: [CSVRecord], unclosedQuoteLine: Int?
  ) {
    var records: [CSVRecord] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var line = 1
    var recordLine = 1
    var scalars = Array(text.unicodeScalars)[...]
    while let scalar = scalars.popFirst() {
      if inQuotes {
        if scalar == "\"" {
          if scalars.first == "\"" {
            scalars.removeFirst()
            field.unicodeScalars.append("\"")
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
        break
      case "\n":
        fields.append(field)
        records.append(CSVRecord(line: recordLine, fields: fields))
        fields = []
        field = ""
        line += 1
        recordLine = line
      default:
        field.unicodeScalars.append(scalar)
      }
    }
    if !field.isEmpty || !fields.isEmpty || inQuotes {
      fields.append(field)
      records.append(CSVRecord(line: recordLine, fields: fields))
    }
    return (records, inQuotes ? recordLine : nil)
  }

  /// Quotes a field when it contains a comma, a quote or a line break.
  public static func escape(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
    else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
