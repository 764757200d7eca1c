import Foundation

/// The settings of a study.
public struct StudySettings: Sendable, Equatable {
  /// The seed from which each reader's session orders derive.
  public var seed: UInt64
  /// 5 for a 5-point confidence scale, 100 for 0 to 100.
  public var confidenceScale: Int
  /// Days between two sessions of one reader on the same cases.
  public var washoutDays: Int
  /// A teaching set: truth is in the study store and shown after answers.
  public var teaching: Bool
  /// An aided arm in the sequential design: each case is read unaided,
  /// and once that answer is stored, again with the model output shown.
  public var aided: Bool

  /// Creates settings.
  public init(seed: UInt64, confidenceScale: Int = 5, washoutDays: Int = 28,
    teaching: Bool = false, aided: Bool = false)
  {
    self.seed = seed
    self.confidenceScale = confidenceScale
    self.washoutDays = washoutDays
    self.teaching = teaching
    self.aided = aided
  }

  /// The session kind that `myoscope read` starts on such a study.
  public var readingKind: String { aided ? "aided" : "unaided" }
}

/// One slice of a case in the reading package.
public struct PackageSlice: Sendable, Equatable {
  /// The file, relative to the image folder.
  public var file: String
  /// The frame or z index within the file.
  public var frame: Int
}

/// The answer a teaching set reveals after each read.
public struct TeachingAnswer: Sendable, Equatable {
  /// Dystrophinopathy or not.
  public var diseased: Bool
  /// DMD, BMD or the other disease, when known.
  public var subtype: String?
  /// The model's probability, once `study predict` has run.
  public var probability: Double?
}

/// The study store: settings and pseudonymous cases, readable by readers.
public final class StudyStore {
  /// The layout of the study's files.
  public let layout: StudyLayout
  /// The connection.
  public let database: SQLiteDatabase
  /// The settings.
  public let settings: StudySettings
  /// The schema version of the file (PRAGMA user_version).
  public let schemaVersion: Int

  /// Opens an existing study read-only.
  public init(path: String, writable: Bool = false) throws {
    layout = StudyLayout(studyStore: path)
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreError.invalidStudy(
        path: path,
        reason: "no such study; create it with 'myoscope study create'")
    }
    database = try SQLiteDatabase(path: path, readOnly: !writable)
    let version = try database.userVersion
    guard version <= Schema.study.count else {
      throw StoreError.newerSchema(
        path: path, found: version, supported: Schema.study.count)
    }
    if writable {
      // Keep the -wal and -shm files when this connection closes, as
      // `study create` does: readers open the store read-only and cannot
      // create them in the study's folder.
      try database.enableWriteAheadLog()
      try database.migrate(Schema.study)
    }
    schemaVersion = try database.userVersion
    guard let row = try database.query("SELECT * FROM study").first else {
      throw StoreError.invalidStudy(path: path, reason: "the study row is missing")
    }
    settings = StudySettings(
      seed: UInt64(bitPattern: Int64(row["seed"].int ?? 0)),
      confidenceScale: row["confidence_scale"].int ?? 5,
      washoutDays: row["washout_days"].int ?? 28,
      teaching: row["teaching"].int == 1,
      // A study of schema version 1 has no aided column and no aided arm.
      aided: row["aided"].int == 1)
  }

  /// Reads the pseudonyms in study order.
  public func pseudonyms() throws -> [String] {
    try database.query("SELECT pseudonym FROM cases ORDER BY position")
      .compactMap { $0["pseudonym"].string }
  }

  /// Reads the slices of one case, in display order.
  public func slices(of pseudonym: String) throws -> [PackageSlice] {
    try database.query(
      "SELECT file, frame FROM slices WHERE pseudonym = ? ORDER BY slice",
      [.text(pseudonym)]
    ).map { PackageSlice(file: $0["file"].string ?? "", frame: $0["frame"].int ?? 0) }
  }

  /// Returns the absolute path of a package file.
  public func path(of slice: PackageSlice) -> String {
    (layout.imageFolder as NSString).appendingPathComponent(slice.file)
  }

  /// Reads the teaching answers by pseudonym (empty for a blinded study).
  public func teachingAnswers() throws -> [String: TeachingAnswer] {
    var result: [String: TeachingAnswer] = [:]
    for row in try database.query("SELECT * FROM teaching_answers") {
      guard let pseudonym = row["pseudonym"].string else { continue }
      result[pseudonym] = TeachingAnswer(
        diseased: row["diseased"].int == 1, subtype: row["subtype"].string,
        probability: row["probability"].double)
    }
    return result
  }
}
