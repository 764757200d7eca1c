import Foundation
import MyoSupport
import MyoImaging

/// Errors in setting up a study.
public enum StudyError: Error, Equatable, CustomStringConvertible {
  /// The study files already exist.
  case exists(path: String)
  /// A case has no truth row, or a truth row names no case.
  case truthMismatch(path: String, missing: [String], unknown: [String])
  /// No cases were found.
  case noCases(path: String)
  /// A group name is unknown.
  case unknownGroup(name: String)
  /// A file operation failed.
  case fileFailed(path: String, operation: String, reason: String)
  /// The reader must wait for the washout period.
  case washout(user: String, until: String, days: Int)
  /// Every case of the current session has been read.
  case finished(user: String, cases: Int)
  /// The command needs another kind of study.
  case wrongKind(path: String, expected: String)
  /// An aided study has no model output to show yet.
  case noModelOutput(path: String)

  public var description: String {
    switch self {
    case .exists(let path):
      return "\(path): the study already exists; choose another name or"
        + " remove the old study's files"
    case .truthMismatch(let path, let missing, let unknown):
      var text = "\(path): the truth file does not match the cases:"
      if !missing.isEmpty {
        text += " no truth for " + missing.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
        if missing.count > 5 { text += " and \(missing.count - 5) more" }
        text += ";"
      }
      if !unknown.isEmpty {
        text += " no case folder for " + unknown.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
        text += ";"
      }
      return text + " add one row per case folder (columns case, truth, subtype)"
    case .noCases(let path):
      return "\(path): no cases found; expected one folder per case"
    case .unknownGroup(let name):
      return "unknown group '\(name)'; create it with groupadd or choose an existing one"
    case .fileFailed(let path, let operation, let reason):
      return "\(path): \(operation) failed: \(reason)"
    case .washout(let user, let until, let days):
      return "reader '\(user)' finished a session less than \(days) days ago;"
        + " the washout ends \(until). To start anyway, give"
        + " --override-washout REASON (the reason is recorded)"
    case .finished(let user, let cases):
      return "reader '\(user)' has read all \(cases) cases of the current"
        + " session; start another with --new-session after the washout"
    case .wrongKind(let path, let expected):
      return "\(path): \(expected)"
    case .noModelOutput(let path):
      return "\(path): this study has an aided arm but no model output yet;"
        + " the coordinator must run 'myoscope study predict \(path)' before"
        + " anyone reads"
    }
  }
}

/// Sets up a study: the reading package, the study store, the coordinator
/// file and the reads folder.
public enum StudyCreator {
  /// The options of `study create`.
  public struct Options: Sendable {
    /// The study store path (STUDY.db).
    public var studyPath: String
    /// The folder of case folders.
    public var casesPath: String
    /// The truth CSV.
    public var truthPath: String
    /// Settings (seed, scale, washout, teaching, aided).
    public var settings: StudySettings
    /// The group allowed to read the coordinator file and the reader
    /// stores; nil for the coordinator's primary group (and the
    /// coordinator file then 0600).
    public var group: String?

    /// Creates options.
    public init(studyPath: String, casesPath: String, truthPath: String,
      settings: StudySettings, group: String? = nil)
    {
      self.studyPath = studyPath
      self.casesPath = casesPath
      self.truthPath = truthPath
      self.settings = settings
      self.group = group
    }
  }

  /// The summary of a created study.
  public struct Summary: Sendable {
    /// Cases in the study.
    public var cases: Int
    /// Slices in the reading package.
    public var slices: Int
    /// The layout.
    public var layout: StudyLayout
  }

  /// Creates the study.
  public static func create(_ options: Options) throws -> Summary {
    let layout = StudyLayout(studyStore: options.studyPath)
    for path in [layout.studyStore, layout.coordinatorStore, layout.imageFolder, layout.readsFolder]
    where FileManager.default.fileExists(atPath: path) {
      throw StudyError.exists(path: path)
    }
    // The key keeps absolute paths, so that `study verify` finds the
    // originals from any working directory.
    let casesRoot = URL(fileURLWithPath: options.casesPath).standardizedFileURL.path
    let cases = try CaseLibrary.cases(at: casesRoot)
    guard !cases.isEmpty else { throw StudyError.noCases(path: options.casesPath) }
    let truth = try TruthFile.read(path: options.truthPath)
    let names = Set(cases.map(\.name))
    let missing = cases.map(\.name).filter { truth[$0] == nil }
    let unknown = truth.keys.filter { !names.contains($0) }.sorted()
    guard missing.isEmpty, unknown.isEmpty else {
      throw StudyError.truthMismatch(
        path: options.truthPath, missing: missing, unknown: unknown)
    }
    var groupID: gid_t = getgid()
    if let group = options.group {
      guard let entry = getgrnam(group) else { throw StudyError.unknownGroup(name: group) }
      groupID = entry.pointee.gr_gid
    }

    // Pseudonyms follow a shuffle by the system's random generator, not
    // by the study seed. The seed is in the study store, which every
    // reader can open, so a seeded shuffle could be repeated to map each
    // pseudonym back to its place among the original names. Only the key
    // in the coordinator file records the mapping. The salt of the new
    // DICOM UIDs is random for the same reason.
    var system = SystemRandomNumberGenerator()
    let shuffled = cases.shuffled(using: &system)
    let width = max(3, String(cases.count).count)
    let salt = (0..<4).map { _ in String(format: "%016llx", system.next()) }.joined()

    let previous = umask(0o022)
    defer { umask(previous) }
    try makeFolder(layout.imageFolder, mode: 0o755)
    var sliceCount = 0
    var rows: [(pseudonym: String, entry: CaseEntry, slices: [PackageSlice])] = []
    for (index, entry) in shuffled.enumerated() {
      let number = String(index + 1)
      let pseudonym = "C" + String(repeating: "0", count: width - number.count) + number
      let folder = (layout.imageFolder as NSString).appendingPathComponent(pseudonym)
      try makeFolder(folder, mode: 0o755)
      var slices: [PackageSlice] = []
      var written: [String: String] = [:]
      for source in CaseLibrary.slices(of: entry) {
        if written[source.path] == nil {
          let fileNumber = written.count + 1
          let copy = try ImageDeidentifier.deidentify(
            path: source.path, pseudonym: pseudonym, salt: salt, index: fileNumber)
          let name = String(format: "%03d.", fileNumber) + copy.fileExtension
          let target = (folder as NSString).appendingPathComponent(name)
          guard FileManager.default.createFile(
            atPath: target, contents: Data(copy.bytes),
            attributes: [.posixPermissions: 0o644])
          else {
            throw StudyError.fileFailed(
              path: target, operation: "writing the de-identified copy",
              reason: String(cString: strerror(errno)))
          }
          written[source.path] = pseudonym + "/" + name
        }
        slices.append(PackageSlice(file: written[source.path]!, frame: source.index))
      }
      if options.settings.teaching {
        try copyTeachingExtras(of: entry, copies: written, into: folder)
      }
      sliceCount += slices.count
      rows.append((pseudonym, entry, slices))
    }

    try writeStudyStore(layout: layout, options: options, rows: rows, truth: truth)
    let truthPath = URL(fileURLWithPath: options.truthPath).standardizedFileURL.path
    try writeCoordinator(
      layout: layout, rows: rows, truth: truth,
      sources: ["cases": casesRoot, "truth": truthPath], group: options.group, gid: groupID)
    try makeFolder(layout.readsFolder, mode: 0o3733)
    if chown(layout.readsFolder, getuid(), groupID) != 0 {
      throw StudyError.fileFailed(
        path: layout.readsFolder, operation: "setting the group",
        reason: String(cString: strerror(errno)))
    }
    chmod(layout.readsFolder, 0o3733)
    return Summary(cases: rows.count, slices: sliceCount, layout: layout)
  }

  static func makeFolder(_ path: String, mode: mode_t) throws {
    guard mkdir(path, mode) == 0 else {
      throw StudyError.fileFailed(
        path: path, operation: "creating the folder",
        reason: String(cString: strerror(errno)))
    }
    chmod(path, mode)
  }

  static func writeStudyStore(
    layout: StudyLayout, options: Options,
    rows: [(pseudonym: String, entry: CaseEntry, slices: [PackageSlice])],
    truth: [String: CaseTruth]
  ) throws {
    let database = try SQLiteDatabase(path: layout.studyStore, create: true)
    chmod(layout.studyStore, 0o644)
    try database.enableWriteAheadLog()
    try database.migrate(Schema.study)
    let s = options.settings
    try database.transaction {
      try database.query(
        """
        INSERT INTO study (id, created_at, seed, confidence_scale,
          washout_days, teaching, aided) VALUES (1, ?, ?, ?, ?, ?, ?)
        """,
        [
          .text(Clock.now()), .integer(Int64(bitPattern: s.seed)),
          .integer(Int64(s.confidenceScale)), .integer(Int64(s.washoutDays)),
          .integer(s.teaching ? 1 : 0), .integer(s.aided ? 1 : 0),
        ])
      for (position, row) in rows.enumerated() {
        try database.query(
          "INSERT INTO cases (pseudonym, position) VALUES (?, ?)",
          [.text(row.pseudonym), .integer(Int64(position + 1))])
        for (index, slice) in row.slices.enumerated() {
          try database.query(
            "INSERT INTO slices (pseudonym, slice, file, frame) VALUES (?, ?, ?, ?)",
            [.text(row.pseudonym), .integer(Int64(index)), .text(slice.file),
             .integer(Int64(slice.frame))])
        }
        if s.teaching, let answer = truth[row.entry.name] {
          try database.query(
            "INSERT INTO teaching_answers (pseudonym, diseased, subtype) VALUES (?, ?, ?)",
            [.text(row.pseudonym), .integer(answer.diseased ? 1 : 0),
             answer.subtype.map { .text($0) } ?? .null])
        }
        if s.teaching {
          for grade in try gradesFile(of: row.entry) {
            try database.query(
              """
              INSERT OR REPLACE INTO teaching_grades (pseudonym, muscle, side,
                grade) VALUES (?, ?, ?, ?)
              """,
              [.text(row.pseudonym), .text(grade.muscle), .text(grade.side),
               .text(grade.grade)])
          }
        }
      }
    }
  }

  static func writeCoordinator(
    layout: StudyLayout,
    rows: [(pseudonym: String, entry: CaseEntry, slices: [PackageSlice])],
    truth: [String: CaseTruth], sources: [String: String], group: String?, gid: gid_t
  ) throws {
    let path = layout.coordinatorStore
    let previous = umask(0o077)
    defer { umask(previous) }
    let database = try SQLiteDatabase(path: path, create: true)
    // The coordinator file stays in rollback-journal mode: it has one
    // writer, and no -wal or -shm file can then widen its permissions.
    try database.migrate(Schema.coordinator)
    try database.transaction {
      for row in rows {
        let answer = truth[row.entry.name]!
        try database.query(
          "INSERT INTO key (pseudonym, original_name, original_path) VALUES (?, ?, ?)",
          [.text(row.pseudonym), .text(row.entry.name), .text(row.entry.path)])
        try database.query(
          "INSERT INTO truth (pseudonym, diseased, subtype) VALUES (?, ?, ?)",
          [.text(row.pseudonym), .integer(answer.diseased ? 1 : 0),
           answer.subtype.map { .text($0) } ?? .null])
      }
      for (role, source) in sources.sorted(by: { $0.key < $1.key }) {
        try database.query(
          "INSERT INTO sources (role, path) VALUES (?, ?)", [.text(role), .text(source)])
      }
    }
    if group != nil {
      chown(path, getuid(), gid)
      chmod(path, 0o640)
    } else {
      chmod(path, 0o600)
    }
  }
}
