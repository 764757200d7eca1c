import Foundation

/// One reader's store, as read by the coordinator.
public struct ReaderLog: Sendable {
  /// The store's file.
  public var path: String
  /// The login name recorded in the store.
  public var user: String
  /// The user id recorded in the store.
  public var uid: Int
  /// The sessions.
  public var sessions: [ReadingSession]
  /// Every read, amendments included.
  public var reads: [ReadRecord]
  /// Problems with the hash chain; empty when it is intact.
  public var chainProblems: [String]
  /// The result of SQLite's integrity_check, `["ok"]` for a sound file.
  public var integrity: [String] = ["ok"]
}

/// Everything the coordinator's commands join: the study, the key, the
/// truth, the predictions and the reader stores.
public struct StudyData {
  /// The study store.
  public var study: StudyStore
  /// The truth by pseudonym.
  public var truth: [String: CaseTruth]
  /// The latest model predictions.
  public var predictions: [StoredPrediction]
  /// The name and demo label of the bundle that made them, if recorded.
  public var modelLabel: ModelBundleLabel? = nil
  /// The reader stores, by user name.
  public var logs: [ReaderLog]
  /// Files in the reads folder that are not sound reader stores: links,
  /// files that are not stores, and files that belong to no store.
  public var strayFiles: [String] = []

  /// Loads a study as its coordinator.
  public static func load(path: String) throws -> StudyData {
    let study = try StudyStore(path: path)
    let coordinator = try CoordinatorStore(layout: study.layout)
    let predictions = try coordinator.predictions()
    let (logs, stray) = try readerLogs(study.layout)
    var data = StudyData(
      study: study, truth: try coordinator.truth(),
      predictions: predictions, logs: logs)
    data.strayFiles = stray
    data.modelLabel = predictions.first.flatMap {
      coordinator.bundleLabel(hash: $0.bundleHash)
    }
    return data
  }

  /// The largest reader store read: a reading of a case adds about 1 KB,
  /// so 64 MiB is tens of thousands of reads.
  static let maximumStoreBytes: off_t = 64 << 20

  /// Opens every reader store in the reads folder and lists the other
  /// files there. Every reader may create files in that folder, so only
  /// regular `.db` files are opened, and a link is never followed.
  static func readerLogs(_ layout: StudyLayout) throws -> ([ReaderLog], [String]) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: layout.readsFolder)
    } catch {
      throw StudyError.fileFailed(
        path: layout.readsFolder, operation: "listing the reader stores",
        reason: "permission denied or missing; run as the study coordinator")
    }
    var logs: [ReaderLog] = []
    var stray: [String] = []
    let stores = Set(names.filter { $0.hasSuffix(".db") })
    for name in names.sorted() {
      let path = (layout.readsFolder as NSString).appendingPathComponent(name)
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      let owner = ReaderStoreFiles.account(info.st_uid)
      let side = ReaderStoreFiles.sideSuffixes.first { name.hasSuffix(".db" + $0) }
      if let side, stores.contains(String(name.dropLast(side.count))) {
        // Checked with its store.
        continue
      }
      guard name.hasSuffix(".db") else {
        stray.append("\(path): an unexpected file in the reads folder, made by \(owner)")
        continue
      }
      guard info.st_mode & S_IFMT == S_IFREG else {
        let kind = info.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : "not a regular file"
        stray.append("\(path): \(kind), made by \(owner); not read")
        continue
      }
      var log = stat()
      let logBytes = lstat(path + "-wal", &log) == 0 ? log.st_size : 0
      guard info.st_size <= maximumStoreBytes, logBytes <= maximumStoreBytes else {
        stray.append(
          "\(path): \(info.st_size) bytes and \(logBytes) in its -wal file, more"
            + " than a reader store can reach (\(maximumStoreBytes) each), made by"
            + " \(owner); not read")
        continue
      }
      let store: ReaderStore
      let uid: Int
      let reads: [ReadRecord]
      let sessions: [ReadingSession]
      let integrity: [String]
      do {
        // Opened once: a second open by path could find another file.
        store = try ReaderStore.openForReading(path: path)
        uid = try store.database.query("SELECT uid FROM reader").first?["uid"].int ?? -1
        reads = try store.reads()
        sessions = try store.sessions()
        integrity = try store.database.integrityCheck()
      } catch {
        stray.append("\(path): not a reader store (\(error)), made by \(owner); not read")
        continue
      }
      logs.append(
        ReaderLog(
          path: path, user: store.user, uid: uid, sessions: sessions,
          reads: reads, chainProblems: chainProblems(reads, user: store.user),
          integrity: integrity))
    }
    return (logs, stray)
  }

  /// Checks that each read's hash matches its fields and links to the
  /// previous read, and that ids run without gaps.
  public static func chainProblems(_ reads: [ReadRecord], user: String) -> [String] {
    var problems: [String] = []
    var previous = ReadRecord.genesisHash(user: user)
    for (index, read) in reads.enumerated() {
      if read.id != index + 1 {
        problems.append("read \(read.id): expected id \(index + 1); a row was deleted or inserted")
      }
      if read.previousHash != previous {
        problems.append("read \(read.id): its previous hash does not match read \(read.id - 1)")
      }
      if read.hash != read.expectedHash {
        problems.append("read \(read.id): the hash does not match its fields; the row was edited")
      }
      previous = read.hash
    }
    return problems
  }

  /// Returns the modality name of a read: in the reader's first session
  /// "unaided" or "aided", in later ones "unaided session N" or "aided
  /// session N".
  static func modality(_ read: String, sessionNumber: Int) -> String {
    sessionNumber == 1 ? read : "\(read) session \(sessionNumber)"
  }

  /// The session kinds whose reads count in the statistics. Teaching
  /// sessions never do.
  static let studyKinds: Set<String> = ["unaided", "aided"]

  /// Returns the reads of `log` that count, with the number of their
  /// session among the reader's study sessions and the session itself.
  static func countedReads(_ log: ReaderLog)
    -> [(read: ReadRecord, number: Int, session: ReadingSession)]
  {
    let counted = log.sessions.filter { studyKinds.contains($0.kind) }
    let sessions = Dictionary(
      uniqueKeysWithValues: counted.enumerated().map { ($1.id, ($0 + 1, $1)) })
    let aided = Set(counted.filter { $0.kind == "aided" }.map(\.id))
    return ReaderStore.effectiveReads(log.reads, aidedSessions: aided).compactMap { read in
      sessions[read.sessionID].map { (read, $0.0, $0.1) }
    }
  }

  /// Builds the ratings for the statistics: effective reads of blinded sessions
  /// and the model's predictions, joined with the truth.
  public func ratings() -> [Rating] {
    var ratings: [Rating] = []
    let scale = study.settings.confidenceScale
    for log in logs {
      for (read, number, _) in Self.countedReads(log) {
        guard let truth = truth[read.pseudonym] else { continue }
        ratings.append(
          Rating(
            reader: log.user, caseID: read.pseudonym,
            modality: Self.modality(read.modality, sessionNumber: number),
            truth: truth.diseased,
            subtype: truth.diseased ? truth.subtype : nil,
            score: ReaderScore.score(call: read.call, confidence: read.confidence, scale: scale),
            call: read.call))
      }
    }
    for p in predictions {
      guard let truth = truth[p.pseudonym] else { continue }
      ratings.append(
        Rating(
          reader: Rating.modelReader, caseID: p.pseudonym, modality: "model",
          truth: truth.diseased, subtype: truth.diseased ? truth.subtype : nil,
          score: p.probability, call: p.probability >= 0.5,
          image: p.slice.map { "\($0 + 1)" }))
    }
    return ratings
  }
}
