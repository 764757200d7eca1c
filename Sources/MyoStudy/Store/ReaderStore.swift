import Foundation

/// A reading session: one pass of one reader over the cases in a seeded
/// order.
public struct ReadingSession: Sendable, Equatable {
  /// The row id.
  public var id: Int
  /// unaided, aided (each case read unaided, then with the model output)
  /// or teaching.
  public var kind: String
  /// The --reader alias given at the start, if any.
  public var alias: String?
  /// The seed of the order.
  public var seed: UInt64
  /// The pseudonyms in reading order.
  public var order: [String]
  /// When the session started.
  public var startedAt: String
  /// The reason given for starting inside the washout period, if any.
  public var washoutOverride: String?
}

/// One reader's store: who the reader is, the sessions and the
/// append-only, hash-chained reads.
public final class ReaderStore {
  /// The login name of the store's reader.
  public let user: String
  /// The connection.
  public let database: SQLiteDatabase

  /// Opens the store at `path` read-only, as `study report` and `study
  /// verify` do.
  ///
  /// Any account can put a file in the reads folder, so the store is
  /// opened without following a link, and `reader`, `sessions` and
  /// `reads` must be tables: a view could run an endless query.
  public static func openForReading(path: String) throws -> ReaderStore {
    let database = try SQLiteDatabase(path: path, readOnly: true, noFollow: true)
    try database.execute("PRAGMA trusted_schema = OFF")
    // A read row is well under a kilobyte; a text of a megabyte is hostile.
    database.limitValueLength(1 << 20)
    let objects = try database.query(
      "SELECT name, type FROM sqlite_master WHERE name IN ('reader', 'sessions', 'reads')")
    let tables = Set(objects.filter { $0["type"].string == "table" }.compactMap { $0["name"].string })
    guard tables == ["reader", "sessions", "reads"] else {
      throw StoreError.invalidStudy(
        path: path,
        reason: "not a reader store: reader, sessions and reads must be tables")
    }
    // A generated column is evaluated for every row read, and its
    // expression could run for days; myoscope's schema has none.
    let generated = try database.query(
      """
      SELECT count(*) AS n FROM (
        SELECT hidden FROM pragma_table_xinfo('reader') UNION ALL
        SELECT hidden FROM pragma_table_xinfo('sessions') UNION ALL
        SELECT hidden FROM pragma_table_xinfo('reads')) WHERE hidden != 0
      """
    ).first?["n"].int ?? 0
    guard generated == 0 else {
      throw StoreError.invalidStudy(
        path: path, reason: "not a reader store: its tables have generated columns")
    }
    guard let row = try database.query("SELECT user FROM reader").first,
      let user = row["user"].string
    else {
      throw StoreError.invalidStudy(
        path: path, reason: "not a reader store: the reader row is missing")
    }
    return ReaderStore(user: user, database: database)
  }

  /// Opens or creates the store of `identity` at `path` for writing. A new
  /// file is made with mode 0640 so that only the reader writes it and
  /// only the folder's group (the coordinator) can read it.
  public static func openForWriting(path: String, identity: ReaderIdentity)
    throws -> ReaderStore
  {
    try ReaderStoreFiles.requireTrusted(store: path, uid: identity.uid)
    var info = stat()
    if lstat(path, &info) != 0 {
      try ReaderStoreFiles.createExclusively(path)
    }
    let previous = umask(0o027)
    defer { umask(previous) }
    let database = try SQLiteDatabase(path: path, create: true)
    try database.enableWriteAheadLog()
    // NOTE: a file planted between the check above and SQLite's open of
    // a side file is caught here, after the first statements ran.
    try ReaderStoreFiles.requireTrusted(store: path, uid: identity.uid)
    try database.migrate(Schema.reader)
    try database.transaction {
      let rows = try database.query("SELECT user, uid FROM reader")
      if let row = rows.first {
        guard row["user"].string == identity.user,
          row["uid"].int == Int(identity.uid)
        else {
          throw StoreError.invalidStudy(
            path: path,
            reason: "this store belongs to '\(row["user"].string ?? "?")',"
              + " not to '\(identity.user)'")
        }
      } else {
        try database.query(
          "INSERT INTO reader (id, user, uid, created_at) VALUES (1, ?, ?, ?)",
          [.text(identity.user), .integer(Int64(identity.uid)), .text(Clock.now())])
      }
    }
    return ReaderStore(user: identity.user, database: database)
  }

  init(user: String, database: SQLiteDatabase) {
    self.user = user
    self.database = database
  }

  /// Reads the sessions, oldest first.
  public func sessions() throws -> [ReadingSession] {
    try database.query("SELECT * FROM sessions ORDER BY id").map { row in
      let orderText = row["case_order"].string ?? ""
      return ReadingSession(
        id: row["id"].int ?? 0, kind: row["kind"].string ?? "",
        alias: row["alias"].string,
        seed: UInt64(bitPattern: Int64(row["seed"].int ?? 0)),
        order: orderText.isEmpty ? [] : orderText.split(separator: " ").map(String.init),
        startedAt: row["started_at"].string ?? "",
        washoutOverride: row["washout_override"].string)
    }
  }

  /// Records a new session and returns it.
  public func startSession(
    kind: String, alias: String?, seed: UInt64, order: [String],
    washoutOverride: String?
  ) throws -> ReadingSession {
    let startedAt = Clock.now()
    try database.query(
      """
      INSERT INTO sessions (kind, alias, seed, case_order, started_at,
        washout_override) VALUES (?, ?, ?, ?, ?, ?)
      """,
      [
        .text(kind), alias.map { .text($0) } ?? .null,
        .integer(Int64(bitPattern: seed)), .text(order.joined(separator: " ")),
        .text(startedAt), washoutOverride.map { .text($0) } ?? .null,
      ])
    return ReadingSession(
      id: database.lastInsertRowID, kind: kind, alias: alias, seed: seed,
      order: order, startedAt: startedAt, washoutOverride: washoutOverride)
  }

  /// Reads every read row, in insertion order.
  public func reads() throws -> [ReadRecord] {
    try database.query("SELECT * FROM reads ORDER BY id").map(Self.record)
  }

  static func record(_ row: SQLRow) -> ReadRecord {
    ReadRecord(
      id: row["id"].int ?? 0, sessionID: row["session_id"].int ?? 0,
      pseudonym: row["pseudonym"].string ?? "", position: row["position"].int ?? 0,
      call: row["call"].int == 1, subtype: row["subtype"].string,
      confidence: row["confidence"].int ?? 0, grades: row["grades"].string,
      openedAt: row["opened_at"].string ?? "",
      submittedAt: row["submitted_at"].string ?? "",
      durationSeconds: row["duration_seconds"].double ?? 0,
      windowCenter: row["window_center"].double,
      windowWidth: row["window_width"].double, slice: row["slice"].int,
      amends: row["amends"].int, previousHash: row["previous_hash"].string ?? "",
      hash: row["hash"].string ?? "",
      // A store of schema version 1 has no modality column.
      modality: row["modality"].string ?? "unaided")
  }

  /// Appends a read, chaining its hash to the last read, in one
  /// transaction; returns the stored record with its id and hash.
  @discardableResult
  public func append(_ draft: ReadRecord) throws -> ReadRecord {
    try database.transaction {
      let last = try database.query(
        "SELECT id, hash FROM reads ORDER BY id DESC LIMIT 1"
      ).first
      var record = draft
      record.id = (last?["id"].int ?? 0) + 1
      record.previousHash = last?["hash"].string ?? ReadRecord.genesisHash(user: user)
      record.hash = record.expectedHash
      func optional(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
      try database.query(
        """
        INSERT INTO reads (id, session_id, pseudonym, position, call, subtype,
          confidence, grades, opened_at, submitted_at, duration_seconds,
          window_center, window_width, slice, amends, previous_hash, hash,
          modality)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .integer(Int64(record.id)), .integer(Int64(record.sessionID)),
          .text(record.pseudonym), .integer(Int64(record.position)),
          .integer(record.call ? 1 : 0), record.subtype.map { .text($0) } ?? .null,
          .integer(Int64(record.confidence)), record.grades.map { .text($0) } ?? .null,
          .text(record.openedAt), .text(record.submittedAt),
          .real(record.durationSeconds), optional(record.windowCenter),
          optional(record.windowWidth),
          record.slice.map { .integer(Int64($0)) } ?? .null,
          record.amends.map { .integer(Int64($0)) } ?? .null,
          .text(record.previousHash), .text(record.hash), .text(record.modality),
        ])
      return record
    }
  }

  /// Selects the reads that count: for each case of a session and each
  /// modality the latest amendment, following `amends` links. In an aided
  /// session the first unaided read of a case counts, whatever follows
  /// it: the model was shown after it, so a later unaided row (which the
  /// triggers reject, and only an edit outside myoscope can add) cannot
  /// replace it.
  public static func effectiveReads(
    _ reads: [ReadRecord], aidedSessions: Set<Int> = []
  ) -> [ReadRecord] {
    let replaced = Set(reads.compactMap(\.amends))
    var lockedSeen = Set<String>()
    return reads.filter { read in
      if aidedSessions.contains(read.sessionID) && read.modality == "unaided" {
        return lockedSeen.insert("\(read.sessionID) \(read.pseudonym)").inserted
      }
      return !replaced.contains(read.id)
    }
  }
}
