import Foundation
import MyoImaging
import MyoSupport

/// The result of `study verify`: problems that break blinding or
/// integrity, and notes that do not.
public struct VerificationReport: Sendable {
  /// Problems found; the study is sound when this is empty.
  public var problems: [String] = []
  /// The checks that ran, for the output.
  public var checked: [String] = []
}

/// Checks a study's permissions, hash chains and reading package.
public enum StudyVerifier {
  /// Runs every check; with `recordHeads`, stores each clean chain's last
  /// hash in the coordinator file so that a later rewrite of verified rows
  /// is detected even if its hashes were recomputed.
  public static func verify(path: String, recordHeads: Bool = true) throws
    -> VerificationReport
  {
    var report = VerificationReport()
    let data = try StudyData.load(path: path)
    let layout = data.study.layout
    let readerUIDs = Set(data.logs.map { uid_t(max(0, $0.uid)) })

    checkMode(layout.studyStore, &report, forbidden: 0o022, what: "study store")
    let folder = (layout.studyStore as NSString).deletingLastPathComponent
    if let info = status(folder.isEmpty ? "." : folder),
      info.st_mode & 0o002 != 0, info.st_mode & 0o1000 == 0
    {
      report.problems.append(
        "\(folder): every user can write the study's folder, so a reader could"
          + " replace the study store or the reading package; run chmod o-w on it")
    }
    checkSecret(layout.coordinatorStore, readers: readerUIDs, &report)
    for suffix in ["-wal", "-shm", "-journal"] {
      let side = layout.coordinatorStore + suffix
      if FileManager.default.fileExists(atPath: side) {
        checkSecret(side, readers: readerUIDs, &report)
      }
    }
    checkMode(layout.imageFolder, &report, forbidden: 0o022, what: "image folder")
    if let info = status(layout.readsFolder) {
      if info.st_mode & 0o7777 != 0o3733 {
        report.problems.append(
          "\(layout.readsFolder): mode \(octal(info.st_mode)), expected 3733"
            + " (others may add files but not list or remove them)")
      }
    }
    report.checked.append("permissions of the study files")

    let coordinator = try CoordinatorStore(layout: layout, writable: recordHeads)
    let heads = try coordinator.verifiedHeads()
    let stores = try readerProblems(data, heads: heads)
    report.problems += stores.problems
    // A head is recorded only for a store without any problem: a store
    // reported once stays reported, instead of its rewritten rows
    // becoming the new reference.
    if recordHeads {
      for log in data.logs where stores.sound.contains(log.path) {
        if let last = log.reads.last {
          let through = log.sessions.last?.id ?? 0
          try coordinator.recordHead(
            user: log.user,
            VerifiedHead(
              readID: last.id, hash: last.hash, sessionsThrough: through,
              sessionsHash: sessionsHash(log.sessions, through: through)))
        }
      }
    }
    report.checked.append("hash chains of \(data.logs.count) reader stores")
    if data.study.settings.aided {
      if try data.study.modelOutputs().isEmpty {
        report.problems.append(
          "\(layout.studyStore): the aided arm has no model output; run"
            + " 'myoscope study predict \(layout.studyStore)'")
      }
      report.checked.append("locked unaided reads of the aided sessions")
    }

    let key = try coordinator.key()
    let exposed = key.values.map(\.path).sorted().filter { path in
      status(path).map { $0.st_mode & 0o004 != 0 } ?? false
    }
    if let first = exposed.first {
      let more = exposed.count > 1 ? " and \(exposed.count - 1) more case folders are" : " is"
      report.problems.append(
        "\(first)\(more) readable by every user, so readers can open the"
          + " originals; run chmod -R o-rwx on the originals' folder")
    }
    report.problems += sourceProblems(coordinator.sources(), readers: readerUIDs)
    try checkPackage(data.study, key: key, &report)
    report.checked.append("names and text in the reading package")
    return report
  }

  /// Returns the SHA-256 of the session rows with ids up to `through`.
  static func sessionsHash(_ sessions: [ReadingSession], through: Int) -> String {
    let text = sessions.filter { $0.id <= through }.map { session in
      [
        "\(session.id)", session.kind, session.alias ?? "", "\(session.seed)",
        session.order.joined(separator: " "), session.startedAt,
        session.washoutOverride ?? "",
      ].joined(separator: "\u{1F}")
    }.joined(separator: "\u{1E}")
    return SHA256.hex(text)
  }

  /// Checks the rules that the triggers and the reading code keep but an
  /// edit outside myoscope, with recomputed hashes, could break. Values
  /// are in range, and each read is of a case of the study, in a session
  /// that exists and allows its modality. An amendment replaces an
  /// earlier read of the same case, session and modality. Sessions follow
  /// each other in time, and each has cases.
  static func recordProblems(_ log: ReaderLog, cases: Set<String>, scale: Int) -> [String] {
    var problems: [String] = []
    let sessions = Dictionary(log.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let confidences = scale == 100 ? 0...100 : 1...5
    var byID: [Int: ReadRecord] = [:]
    for read in log.reads {
      if !confidences.contains(read.confidence) {
        problems.append("read \(read.id): confidence \(read.confidence) is outside \(confidences)")
      }
      if let slice = read.slice, !(0..<100_000).contains(slice) {
        problems.append("read \(read.id): slice \(slice) is out of range")
      }
      if !cases.contains(read.pseudonym) {
        problems.append("read \(read.id): \(read.pseudonym) is not a case of this study")
      }
      if let session = sessions[read.sessionID] {
        if read.modality == "aided" && session.kind != "aided" {
          problems.append(
            "read \(read.id): an aided read in session \(session.id) of kind \(session.kind)")
        }
        if !session.order.contains(read.pseudonym) {
          problems.append(
            "read \(read.id): \(read.pseudonym) is not in the order of session \(session.id)")
        }
      } else {
        problems.append("read \(read.id): its session \(read.sessionID) does not exist")
      }
      if let target = read.amends {
        if let earlier = byID[target] {
          if earlier.pseudonym != read.pseudonym || earlier.sessionID != read.sessionID
            || earlier.modality != read.modality
          {
            problems.append(
              "read \(read.id): amends read \(target) of another case, session or modality")
          }
        } else {
          problems.append("read \(read.id): amends read \(target), which is not an earlier read")
        }
      }
      byID[read.id] = read
    }
    var previous: ReadingSession?
    for session in log.sessions {
      if session.order.isEmpty {
        problems.append("session \(session.id): it has no cases")
      }
      if let previous, session.startedAt < previous.startedAt {
        problems.append(
          "session \(session.id): started \(session.startedAt), before session"
            + " \(previous.id) (\(previous.startedAt))")
      }
      previous = session
    }
    return problems
  }

  /// Checks that readers can neither read the truth file nor list the
  /// originals' folder, given their recorded paths (`truth`, `cases`).
  public static func sourceProblems(
    _ sources: [String: String], readers: Set<uid_t> = []
  ) -> [String] {
    var report = VerificationReport()
    if let truth = sources["truth"], status(truth) != nil {
      checkSecret(truth, readers: readers, &report, what: "the truth")
    }
    if let root = sources["cases"], let info = status(root), info.st_mode & 0o004 != 0 {
      report.problems.append(
        "\(root): every user can list the originals' folder, which shows the"
          + " original case names; run chmod o-rwx on it")
    }
    return report.problems
  }

  /// Checks the order of the aided sessions' reads, which the triggers
  /// enforce but an edit outside myoscope could break: one unaided read
  /// per case, and each aided read after it.
  static func lockProblems(_ log: ReaderLog) -> [String] {
    let aided = Set(log.sessions.filter { $0.kind == "aided" }.map(\.id))
    var unaided: [String: ReadRecord] = [:]
    var problems: [String] = []
    for read in log.reads where aided.contains(read.sessionID) {
      let key = "\(read.sessionID) \(read.pseudonym)"
      if read.modality == "unaided" {
        if let first = unaided[key] {
          problems.append(
            "read \(read.id): a second unaided read of \(read.pseudonym) after"
              + " read \(first.id), which was locked when the model was shown")
        } else {
          unaided[key] = read
        }
      } else if let first = unaided[key] {
        if read.openedAt < first.submittedAt {
          problems.append(
            "read \(read.id): the aided read of \(read.pseudonym) opened before"
              + " its unaided read \(first.id) was submitted")
        }
      } else {
        problems.append(
          "read \(read.id): an aided read of \(read.pseudonym) without an"
            + " earlier unaided read")
      }
    }
    return problems
  }

  static func status(_ path: String) -> stat? {
    var info = stat()
    return stat(path, &info) == 0 ? info : nil
  }

  static func octal(_ mode: mode_t) -> String { String(mode & 0o7777, radix: 8) }

  static func checkMode(
    _ path: String, _ report: inout VerificationReport, forbidden: mode_t, what: String
  ) {
    guard let info = status(path) else {
      report.problems.append("\(path): the \(what) is missing")
      return
    }
    if info.st_mode & forbidden != 0 {
      report.problems.append(
        "\(path): the \(what) has mode \(octal(info.st_mode)); others can change it")
    }
  }

  /// Checks that a secret file (the coordinator file, the truth file) is
  /// not readable by others, nor by a group that a reader belongs to.
  static func checkSecret(
    _ path: String, readers: Set<uid_t>, _ report: inout VerificationReport,
    what: String = "the key and truth"
  ) {
    guard let info = status(path) else {
      report.problems.append("\(path): missing")
      return
    }
    if info.st_mode & 0o007 != 0 {
      report.problems.append(
        "\(path): mode \(octal(info.st_mode)) lets every user read \(what);"
          + " run chmod 600 on it")
    }
    if info.st_mode & 0o040 != 0 {
      for uid in readers where uid != info.st_uid && member(uid: uid, gid: info.st_gid) {
        report.problems.append(
          "\(path): group-readable and reader uid \(uid) is in its group \(info.st_gid)")
      }
    }
  }

  static func member(uid: uid_t, gid: gid_t) -> Bool {
    guard let user = getpwuid(uid) else { return false }
    if user.pointee.pw_gid == gid { return true }
    guard let group = getgrgid(gid), var members = group.pointee.gr_mem else { return false }
    let name = String(cString: user.pointee.pw_name)
    while let member = members.pointee {
      if String(cString: member) == name { return true }
      members += 1
    }
    return false
  }

  /// Checks every reader store against its hash chain, its owner, its
  /// account and the head verified earlier. Returns the problems, and the
  /// paths of the stores that have none.
  public static func readerProblems(
    _ data: StudyData, heads: [String: VerifiedHead]
  ) throws -> (problems: [String], sound: Set<String>) {
    var problems = data.strayFiles
    var sound = Set<String>()
    let cases = Set(try data.study.pseudonyms())
    let byUID = Dictionary(grouping: data.logs, by: \.uid)
    for log in data.logs {
      var found: [String] = []
      let uid = uid_t(clamping: max(0, log.uid))
      found += ReaderStoreFiles.problems(store: log.path, uid: uid)
      if let expected = ReaderIdentity.uid(of: log.user) {
        if Int(expected) != log.uid {
          found.append("\(log.path): records uid \(log.uid) for '\(log.user)', whose uid is \(expected)")
        }
      } else {
        found.append(
          "\(log.path): records reader '\(log.user)', but no account has that name")
      }
      let name = ((log.path as NSString).lastPathComponent as NSString).deletingPathExtension
      if name != log.user {
        found.append("\(log.path): the file name does not match its reader '\(log.user)'")
      }
      if let twins = byUID[log.uid], twins.count > 1 {
        let others = twins.filter { $0.path != log.path }.map(\.path).joined(separator: ", ")
        found.append(
          "\(log.path): uid \(log.uid) also has \(others); each account has one store")
      }
      for problem in log.chainProblems + lockProblems(log) {
        found.append("\(log.path): \(problem)")
      }
      if let head = heads[log.user] {
        let read = log.reads.first { $0.id == head.readID }
        if read?.hash != head.hash {
          found.append(
            "\(log.path): read \(head.readID) was deleted or differs from the one"
              + " verified earlier; verified rows were rewritten")
        }
        if let through = head.sessionsThrough, let hash = head.sessionsHash,
          sessionsHash(log.sessions, through: through) != hash
        {
          found.append(
            "\(log.path): sessions up to \(through) differ from the ones verified"
              + " earlier; verified session rows were changed or deleted")
        }
      }
      if log.integrity != ["ok"] {
        found.append("\(log.path): integrity_check: \(log.integrity.joined(separator: "; "))")
      }
      found += recordProblems(log, cases: cases, scale: data.study.settings.confidenceScale)
        .map { "\(log.path): \($0)" }
      if found.isEmpty { sound.insert(log.path) }
      problems += found
    }
    let present = Set(data.logs.map(\.user))
    for (user, head) in heads.sorted(by: { $0.key < $1.key }) where !present.contains(user) {
      let path = data.study.layout.readerStore(user: user)
      let reads = "\(head.readID) read\(head.readID == 1 ? "" : "s") of '\(user)'"
      if data.strayFiles.contains(where: { $0.hasPrefix(path + ":") }) {
        problems.append("\(path): not read (above), so the \(reads) verified earlier were not checked")
      } else {
        problems.append(
          "\(path): missing, but study verify saw \(reads) in it earlier;"
            + " the store was moved or deleted")
      }
    }
    return (problems, sound)
  }

  /// Searches every file name and the bytes of every package file and of
  /// the study store for the original case names, folder names and the
  /// identifying DICOM text of the originals.
  static func checkPackage(
    _ study: StudyStore, key: [String: (name: String, path: String)],
    _ report: inout VerificationReport
  ) throws {
    var forbidden = Set<String>()
    for (_, original) in key {
      forbidden.insert(original.name)
      if let files = try? CaseLibrary.imageFiles(in: original.path) {
        for file in files {
          forbidden.insert(((file as NSString).lastPathComponent as NSString).deletingPathExtension)
          forbidden.formUnion(identifyingText(file))
        }
      }
    }
    // Short strings match by chance, so only those of 4 characters or
    // more are searched.
    let needles = forbidden.filter { $0.count >= 4 }.map { (text: $0, bytes: Array($0.utf8)) }

    // A teaching set also contains each slice file's label map and the
    // label legend of each case.
    let pattern = try NSRegularExpression(
      pattern: study.settings.teaching
        ? "^C[0-9]+(/[0-9]{3}\\.(dcm|nii|png)|/[0-9]{3}\\.labels\\.(nii|png)|/labels\\.csv)?$"
        : "^C[0-9]+(/[0-9]{3}\\.(dcm|nii|png))?$")
    let root = study.layout.imageFolder
    let enumerator = FileManager.default.enumerator(atPath: root)
    var files: [String] = []
    while let relative = enumerator?.nextObject() as? String {
      let range = NSRange(relative.startIndex..., in: relative)
      if pattern.firstMatch(in: relative, range: range) == nil {
        report.problems.append("\(root)/\(relative): unexpected name in the reading package")
      }
      files.append((root as NSString).appendingPathComponent(relative))
    }
    let tables = ["study", "cases", "slices", "teaching_answers"]
      + (study.schemaVersion >= 2 ? ["model_outputs", "teaching_grades"] : [])
    for table in tables {
      for row in try study.database.query("SELECT * FROM \(table)") {
        for case .text(let value) in row.values.values {
          for needle in needles where value.contains(needle.text) {
            report.problems.append(
              "\(study.layout.studyStore): table \(table) contains the original"
                + " identifier '\(needle.text)'")
          }
        }
      }
    }
    for file in files {
      var isFolder: ObjCBool = false
      let exists = FileManager.default.fileExists(
        atPath: file, isDirectory: &isFolder)
      if !exists || isFolder.boolValue { continue }
      guard let bytes = FileManager.default.contents(atPath: file).map(Array.init) else { continue }
      for needle in needles where contains(bytes, needle.bytes) {
        report.problems.append("\(file): contains the original identifier '\(needle.text)'")
      }
    }
  }

  /// Names, ids, dates of birth and descriptions in an original DICOM file.
  static func identifyingText(_ path: String) -> Set<String> {
    guard let bytes = FileManager.default.contents(atPath: path).map(Array.init),
      let file = try? DICOMParser(headerOnly: true).parse(bytes, path: path)
    else { return [] }
    let tags: [DICOMTag] = [
      DICOMTag(0x0010, 0x0010), DICOMTag(0x0010, 0x0020), DICOMTag(0x0010, 0x0030),
      DICOMTag(0x0008, 0x0050), DICOMTag(0x0008, 0x0080), DICOMTag(0x0008, 0x0090),
      DICOMTag(0x0008, 0x1030), DICOMTag(0x0008, 0x103E), DICOMTag(0x0020, 0x000D),
      DICOMTag(0x0020, 0x000E), DICOMTag(0x0008, 0x0018), DICOMTag(0x0020, 0x0010),
    ]
    return Set(tags.compactMap { file.dataSet.string($0) }.filter { !$0.isEmpty })
  }

  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
        return true
      }
      index += 1
    }
    return false
  }
}
