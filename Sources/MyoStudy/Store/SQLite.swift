import CSQLite
import Foundation

/// Errors from SQLite, with the database path and the statement.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  /// SQLite returned an error code.
  case sqlite(path: String, code: Int32, message: String, statement: String)
  /// The file's schema version is newer than this program supports.
  case newerSchema(path: String, found: Int, supported: Int)
  /// A file is not what the study expects.
  case invalidStudy(path: String, reason: String)

  public var description: String {
    switch self {
    case .sqlite(let path, let code, let message, let statement):
      let shown = statement.count > 80 ? String(statement.prefix(77)) + "..." : statement
      return "\(path): SQLite error \(code): \(message)"
        + (shown.isEmpty ? "" : " (in '\(shown)')")
    case .newerSchema(let path, let found, let supported):
      return "\(path): schema version \(found) is newer than version"
        + " \(supported) that this myoscope supports; upgrade myoscope"
    case .invalidStudy(let path, let reason):
      return "\(path): \(reason)"
    }
  }
}

/// A value bound to or read from an SQL statement.
public enum SQLValue: Sendable, Equatable {
  /// SQL NULL.
  case null
  /// A 64-bit integer.
  case integer(Int64)
  /// A double.
  case real(Double)
  /// UTF-8 text.
  case text(String)

  /// The integer, or nil.
  public var int: Int? {
    if case .integer(let v) = self { return Int(v) }
    return nil
  }
  /// The number as a double, or nil.
  public var double: Double? {
    switch self {
    case .integer(let v): return Double(v)
    case .real(let v): return v
    default: return nil
    }
  }
  /// The text, or nil.
  public var string: String? {
    if case .text(let v) = self { return v }
    return nil
  }
}

/// One row of a query result, by column name.
public struct SQLRow: Sendable {
  /// Column values by name.
  public var values: [String: SQLValue]

  /// The value of a column, or null.
  public subscript(_ column: String) -> SQLValue { values[column] ?? .null }
}

/// A connection to one SQLite database file; the only place in myoscope
/// that calls the SQLite C API.
///
/// Every connection uses a busy timeout and foreign keys. Not thread-safe:
/// use one connection per thread.
public final class SQLiteDatabase {
  /// The database file path.
  public let path: String
  private var handle: OpaquePointer?

  /// Opens (and with `create`, creates) the database at `path`.
  public init(path: String, readOnly: Bool = false, create: Bool = false,
    noFollow: Bool = false, busyTimeoutMilliseconds: Int32 = 10_000) throws
  {
    self.path = path
    var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
    if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
    if noFollow { flags |= SQLITE_OPEN_NOFOLLOW }
    flags |= SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &handle, flags, nil)
    guard code == SQLITE_OK else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) }
        ?? "cannot open"
      sqlite3_close_v2(handle)
      handle = nil
      throw StoreError.sqlite(
        path: path, code: code, message: message, statement: "")
    }
    sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    try execute("PRAGMA foreign_keys = ON")
  }

  deinit {
    sqlite3_close_v2(handle)
  }

  /// Caps the length of any string or blob this connection reads or
  /// makes, so that a hostile file cannot make it allocate without bound.
  public func limitValueLength(_ bytes: Int32) {
    sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, bytes)
  }

  /// Switches to write-ahead logging and keeps the -wal and -shm files
  /// after the last connection closes, so that another user with read
  /// permission only can open the file read-only.
  public func enableWriteAheadLog() throws {
    _ = try query("PRAGMA journal_mode = WAL")
    var persist: Int32 = 1
    sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
    try execute("PRAGMA synchronous = FULL")
  }

  /// The schema version stored in PRAGMA user_version.
  public var userVersion: Int {
    get throws { try query("PRAGMA user_version").first?["user_version"].int ?? 0 }
  }

  /// Sets PRAGMA user_version.
  public func setUserVersion(_ version: Int) throws {
    try execute("PRAGMA user_version = \(version)")
  }

  private func failure(_ code: Int32, _ statement: String) -> StoreError {
    .sqlite(
      path: path, code: code, message: String(cString: sqlite3_errmsg(handle)),
      statement: statement)
  }

  /// Runs one or more statements without parameters.
  public func execute(_ sql: String) throws {
    var message: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(handle, sql, nil, nil, &message)
    if code != SQLITE_OK {
      let text = message.map { String(cString: $0) } ?? "unknown error"
      sqlite3_free(message)
      throw StoreError.sqlite(path: path, code: code, message: text, statement: sql)
    }
  }

  /// Runs one statement with parameters and returns its rows.
  @discardableResult
  public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
    var statement: OpaquePointer?
    var code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK else { throw failure(code, sql) }
    defer { sqlite3_finalize(statement) }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (index, value) in parameters.enumerated() {
      let position = Int32(index + 1)
      switch value {
      case .null: code = sqlite3_bind_null(statement, position)
      case .integer(let v): code = sqlite3_bind_int64(statement, position, v)
      case .real(let v): code = sqlite3_bind_double(statement, position, v)
      case .text(let v): code = sqlite3_bind_text(statement, position, v, -1, transient)
      }
      guard code == SQLITE_OK else { throw failure(code, sql) }
    }
    var rows: [SQLRow] = []
    while true {
      code = sqlite3_step(statement)
      if code == SQLITE_DONE { break }
      guard code == SQLITE_ROW else { throw failure(code, sql) }
      var values: [String: SQLValue] = [:]
      for column in 0..<sqlite3_column_count(statement) {
        let name = String(cString: sqlite3_column_name(statement, column))
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
          values[name] = .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
          values[name] = .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
          values[name] = .text(String(cString: sqlite3_column_text(statement, column)))
        default:
          values[name] = .null
        }
      }
      rows.append(SQLRow(values: values))
    }
    return rows
  }

  /// The rowid of the last insert on this connection.
  public var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

  /// Runs `body` in a transaction that takes the write lock at once
  /// (BEGIN IMMEDIATE), committing on return and rolling back on error.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Runs PRAGMA integrity_check and returns its lines ("ok" when sound).
  public func integrityCheck() throws -> [String] {
    try query("PRAGMA integrity_check").compactMap { $0["integrity_check"].string }
  }

  /// Applies the migrations above the stored user_version in order, each
  /// in its own transaction, and rejects a file newer than `migrations`.
  public func migrate(_ migrations: [String]) throws {
    let current = try userVersion
    guard current <= migrations.count else {
      throw StoreError.newerSchema(
        path: path, found: current, supported: migrations.count)
    }
    guard current < migrations.count else { return }
    // Foreign keys are off while migrating, so that a migration can
    // rebuild a table that others reference (create the new table, copy,
    // drop the old, rename), as SQLite's ALTER TABLE documentation
    // describes. The pragma is a no-op inside a transaction, so it is set
    // around them, and each migration checks the keys before it commits.
    try execute("PRAGMA foreign_keys = OFF")
    defer { try? execute("PRAGMA foreign_keys = ON") }
    for version in current..<migrations.count {
      try transaction {
        try execute(migrations[version])
        let violations = try query("PRAGMA foreign_key_check")
        if let first = violations.first {
          throw StoreError.invalidStudy(
            path: path,
            reason: "migration to schema version \(version + 1) left"
              + " \(violations.count) foreign key violations (first in table"
              + " '\(first["table"].string ?? "?")'); the file is unchanged")
        }
        try setUserVersion(version + 1)
      }
    }
  }
}
