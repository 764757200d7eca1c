/// Errors in reading ratings and writing reports.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// The CSV text could not be parsed.
  case invalidCSV(path: String, line: Int, reason: String)
  /// A required column is absent.
  case missingColumn(path: String, column: String, found: [String])
  /// A field has a value that cannot be used.
  case invalidValue(
    path: String, line: Int, column: String, value: String, expected: String)
  /// Neither a call column nor a threshold was given.
  case noCallRule(path: String)
  /// The table file could not be read: a folder, a FIFO, a missing file.
  case unreadableTable(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidCSV(let path, let line, let reason):
      return "\(path): line \(line): invalid CSV: \(reason)"
    case .unreadableTable(let path, let reason):
      return "\(path): cannot read the table: \(reason);"
        + " give the path of a CSV file"
    case .missingColumn(let path, let column, let found):
      return "\(path): missing column '\(column)'; found columns "
        + found.map { "'\($0)'" }.joined(separator: ", ")
        + "; the long format needs reader, case, truth and score"
    case .invalidValue(let path, let line, let column, let value, let expected):
      return "\(path): line \(line): invalid \(column) '\(value)':"
        + " expected \(expected)"
    case .noCallRule(let path):
      return "\(path): no 'call' column; add one, or give --threshold T to"
        + " call a case positive when its score >= T"
    }
  }
}
