import Foundation

/// The reference truth of one case.
public struct CaseTruth: Sendable, Equatable {
  /// Dystrophinopathy or not.
  public var diseased: Bool
  /// DMD, BMD or the other disease.
  public var subtype: String?

  /// Creates a truth.
  public init(diseased: Bool, subtype: String?) {
    self.diseased = diseased
    self.subtype = subtype
  }
}

/// A model prediction for a case (slice nil) or one of its slices.
public struct StoredPrediction: Sendable, Equatable {
  /// The case pseudonym.
  public var pseudonym: String
  /// The slice index, or nil for the case probability.
  public var slice: Int?
  /// The probability of dystrophinopathy.
  public var probability: Double
  /// The hash of the model bundle.
  public var bundleHash: String

  /// Creates a prediction.
  public init(pseudonym: String, slice: Int?, probability: Double, bundleHash: String) {
    self.pseudonym = pseudonym
    self.slice = slice
    self.probability = probability
    self.bundleHash = bundleHash
  }
}

/// The state of a reader store that `study verify` last found sound: the
/// last read and its hash, and a hash of the session rows up to an id.
public struct VerifiedHead: Sendable, Equatable {
  public var readID: Int
  public var hash: String
  /// The last session id covered by `sessionsHash`; nil for heads
  /// recorded before schema version 4.
  public var sessionsThrough: Int?
  public var sessionsHash: String?

  public init(readID: Int, hash: String, sessionsThrough: Int?, sessionsHash: String?) {
    self.readID = readID
    self.hash = hash
    self.sessionsThrough = sessionsThrough
    self.sessionsHash = sessionsHash
  }
}

/// The coordinator file: the key, the truth, model predictions and the
/// chain heads seen by `study verify`. Readers must not be able to read it.
public final class CoordinatorStore {
  /// The connection.
  public let database: SQLiteDatabase

  /// Opens the coordinator file of `layout`.
  public init(layout: StudyLayout, writable: Bool = false) throws {
    let path = layout.coordinatorStore
    guard access(path, R_OK) == 0 else {
      throw StoreError.invalidStudy(
        path: path,
        reason: "cannot read the coordinator file (\(String(cString: strerror(errno))));"
          + " only the study coordinator can run this command")
    }
    database = try SQLiteDatabase(path: path, readOnly: !writable)
    if writable { try database.migrate(Schema.coordinator) }
  }

  /// Reads the truth by pseudonym.
  public func truth() throws -> [String: CaseTruth] {
    var result: [String: CaseTruth] = [:]
    for row in try database.query("SELECT * FROM truth") {
      guard let pseudonym = row["pseudonym"].string else { continue }
      result[pseudonym] = CaseTruth(
        diseased: row["diseased"].int == 1, subtype: row["subtype"].string)
    }
    return result
  }

  /// Reads the key: original case name and path by pseudonym.
  public func key() throws -> [String: (name: String, path: String)] {
    var result: [String: (name: String, path: String)] = [:]
    for row in try database.query("SELECT * FROM key") {
      guard let pseudonym = row["pseudonym"].string else { continue }
      result[pseudonym] = (row["original_name"].string ?? "", row["original_path"].string ?? "")
    }
    return result
  }

  /// Reads the predictions of the most recent bundle.
  public func predictions() throws -> [StoredPrediction] {
    guard let latest = try database.query(
      "SELECT bundle_hash FROM predictions ORDER BY id DESC LIMIT 1"
    ).first?["bundle_hash"].string else { return [] }
    return try database.query(
      "SELECT * FROM predictions WHERE bundle_hash = ? ORDER BY id",
      [.text(latest)]
    ).map {
      StoredPrediction(
        pseudonym: $0["pseudonym"].string ?? "", slice: $0["slice"].int,
        probability: $0["probability"].double ?? 0, bundleHash: latest)
    }
  }

  /// Replaces the predictions of `bundleHash` with `predictions`.
  public func store(_ predictions: [StoredPrediction], bundleHash: String) throws {
    let now = Clock.now()
    try database.transaction {
      try database.query(
        "DELETE FROM predictions WHERE bundle_hash = ?", [.text(bundleHash)])
      for p in predictions {
        try database.query(
          """
          INSERT INTO predictions (pseudonym, slice, probability, bundle_hash,
            created_at) VALUES (?, ?, ?, ?, ?)
          """,
          [
            .text(p.pseudonym), p.slice.map { .integer(Int64($0)) } ?? .null,
            .real(p.probability), .text(bundleHash), .text(now),
          ])
      }
    }
  }

  /// Reads the recorded paths of the originals' root folder (`cases`) and
  /// of the truth file (`truth`). A file of schema version 2 or older did
  /// not record them, so the result is then empty.
  public func sources() -> [String: String] {
    guard let rows = try? database.query("SELECT role, path FROM sources") else { return [:] }
    var result: [String: String] = [:]
    for row in rows {
      if let role = row["role"].string, let path = row["path"].string { result[role] = path }
    }
    return result
  }

  /// Reads the chain heads recorded by earlier verifications, by user.
  public func verifiedHeads() throws -> [String: VerifiedHead] {
    var result: [String: VerifiedHead] = [:]
    for row in try database.query("SELECT * FROM verified_heads") {
      if let user = row["user"].string {
        result[user] = VerifiedHead(
          readID: row["read_id"].int ?? 0, hash: row["hash"].string ?? "",
          sessionsThrough: row["sessions_through"].int,
          sessionsHash: row["sessions_hash"].string)
      }
    }
    return result
  }

  /// Records the chain head of `user` after a clean verification.
  public func recordHead(user: String, _ head: VerifiedHead) throws {
    try database.query(
      """
      INSERT INTO verified_heads (user, read_id, hash, verified_at,
        sessions_through, sessions_hash)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET
        read_id = excluded.read_id, hash = excluded.hash,
        verified_at = excluded.verified_at,
        sessions_through = excluded.sessions_through,
        sessions_hash = excluded.sessions_hash
      """,
      [
        .text(user), .integer(Int64(head.readID)), .text(head.hash), .text(Clock.now()),
        head.sessionsThrough.map { .integer(Int64($0)) } ?? .null,
        head.sessionsHash.map { .text($0) } ?? .null,
      ])
  }
}
