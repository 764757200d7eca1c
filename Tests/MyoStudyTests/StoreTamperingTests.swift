import Foundation
import Testing

@testable import MyoStudy

/// Files that another account can plant in the reads folder, where every
/// reader may create files, and changes a reader can make to their own
/// store. `myoscope read` must reject each, or `study verify` report it.
/// Making a file owned by another account needs root.
@Suite struct StoreTamperingTests {
  /// A uid that is not the test's own: nobody's, when it exists.
  static let otherUID: uid_t = getpwnam("nobody")?.pointee.pw_uid ?? 65534

  /// Appends one read to the current account's store and returns its path.
  static func readOnce(_ layout: StudyLayout) throws -> String {
    let me = try ReaderIdentity.current()
    let path = layout.readerStore(user: me.user)
    let store = try ReaderStore.openForWriting(path: path, identity: me)
    let study = try StudyStore(path: layout.studyStore)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: "unaided", alias: nil, startNew: false,
      washoutOverride: nil)
    try store.append(StoreTests.draft(plan.session.id, plan.session.order[0], position: 1))
    return path
  }

  @Test func plantedStoreIsRefused() throws {
    let root = try SyntheticStudy.folder("planted")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let me = try ReaderIdentity.current()
    let path = layout.readerStore(user: me.user)

    // A store file made in advance by another account.
    #expect(FileManager.default.createFile(atPath: path, contents: Data()))
    chmod(path, 0o666)
    if getuid() == 0 {
      chown(path, Self.otherUID, getgid())
    }
    #expect {
      try ReaderStore.openForWriting(path: path, identity: me)
    } throws: { error in
      "\(error)".contains("not opened, because \(path)")
    }
    unlink(path)

    // A link in its place, to a folder the other account controls.
    let elsewhere = root + "/elsewhere.db"
    symlink(elsewhere, path)
    #expect(throws: StoreError.self) {
      try ReaderStore.openForWriting(path: path, identity: me)
    }
    #expect(!FileManager.default.fileExists(atPath: elsewhere))
    unlink(path)

    // A write-ahead log made in advance, which SQLite would adopt.
    #expect(FileManager.default.createFile(atPath: path + "-wal", contents: Data()))
    chmod(path + "-wal", 0o666)
    #expect {
      try ReaderStore.openForWriting(path: path, identity: me)
    } throws: { error in
      "\(error)".contains("\(path)-wal has mode 666")
    }
    #expect(!FileManager.default.fileExists(atPath: path))
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains { $0.hasPrefix("\(path)-wal: an unexpected file") })
    unlink(path + "-wal")

    // Without any planted file the store is made, with mode 640.
    _ = try ReaderStore.openForWriting(path: path, identity: me)
    var info = stat()
    #expect(lstat(path, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o640)
  }

  @Test func fakeReaderIsReported() throws {
    let root = try SyntheticStudy.folder("ghost")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])

    // A copy of the store under another reader's name, with the name in
    // the reader row and the chain recomputed for it.
    let ghost = layout.readerStore(user: "ghost")
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
      try FileManager.default.copyItem(atPath: path + suffix, toPath: ghost + suffix)
      chmod(ghost + suffix, 0o640)
    }
    let database = try SQLiteDatabase(path: ghost)
    try database.execute(
      "DROP TRIGGER reads_append_only_update; UPDATE reader SET user = 'ghost';")
    var reads = try ReaderStore(user: "ghost", database: database).reads()
    reads[0].previousHash = ReadRecord.genesisHash(user: "ghost")
    reads[0].hash = reads[0].expectedHash
    try database.query(
      "UPDATE reads SET previous_hash = ?, hash = ? WHERE id = 1",
      [.text(reads[0].previousHash), .text(reads[0].hash)])
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains("\(ghost): records reader 'ghost', but no account has that name"))
    #expect(problems.contains { $0.hasPrefix("\(ghost): uid \(getuid()) also has \(path)") })
  }

  @Test func missingStoreIsReported() throws {
    let root = try SyntheticStudy.folder("moved")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.moveItem(atPath: path + suffix, toPath: root + "/away.db" + suffix)
    }
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("\(path): missing, but study verify saw 1 read") == true)
  }

  @Test func strayFilesAreReported() throws {
    let root = try SyntheticStudy.folder("stray")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    symlink(layout.studyStore, layout.readsFolder + "/someone.db.link")
    symlink(layout.studyStore, layout.readsFolder + "/linked.db")
    #expect(FileManager.default.createFile(
      atPath: layout.readsFolder + "/junk.db", contents: Data("not sqlite".utf8)))
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains { $0.hasPrefix("\(layout.readsFolder)/someone.db.link: an unexpected file") })
    #expect(problems.contains { $0.hasPrefix("\(layout.readsFolder)/linked.db: a symbolic link") })
    #expect(problems.contains { $0.hasPrefix("\(layout.readsFolder)/junk.db: not a reader store") })
    #expect(problems.count == 3)
  }

  @Test func readableTruthIsReported() throws {
    let root = try SyntheticStudy.folder("truthmode")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    chmod(root + "/truth.csv", 0o644)
    chmod(root + "/Originals_StElsewhere", 0o755)
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains(
      "\(root)/truth.csv: mode 644 lets every user read the truth; run chmod 600 on it"))
    #expect(problems.contains { $0.hasPrefix("\(root)/Originals_StElsewhere: every user can list") })
  }

  @Test func pseudonymsDoNotFollowTheSeed() throws {
    // Two studies with the same seed: a shuffle by the seed, which every
    // reader can read in the study store, would give the same key twice.
    var keys: Set<[String]> = []
    for attempt in 0..<4 {
      let root = try SyntheticStudy.folder("key\(attempt)")
      defer { try? FileManager.default.removeItem(atPath: root) }
      let layout = try SyntheticStudy.create(in: root, seed: 5)
      let key = try CoordinatorStore(layout: layout).key()
      keys.insert(key.keys.sorted().map { key[$0]!.name })
    }
    // Six cases have 720 orders, so four equal draws happen with
    // probability 1 in 720^3.
    #expect(keys.count > 1)
  }

  @Test func forgedAmendmentIsReported() throws {
    let root = try SyntheticStudy.folder("amend")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])

    // Rows that only an edit outside myoscope writes, with valid hashes:
    // an amendment of the first read under another case, a case that is
    // not in the study and a confidence far outside the scale.
    let store = try ReaderStore.openForWriting(path: path, identity: try ReaderIdentity.current())
    let first = try #require(try store.reads().first)
    let other = try #require(try store.sessions().first?.order.first { $0 != first.pseudonym })
    var swapped = StoreTests.draft(first.sessionID, other, position: 2)
    swapped.amends = first.id
    try store.append(swapped)
    try store.append(StoreTests.draft(first.sessionID, "C999", position: 3))
    var huge = StoreTests.draft(first.sessionID, first.pseudonym, position: 1)
    huge.confidence = Int.max
    try store.append(huge)

    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains("\(path): read 2: amends read 1 of another case, session or modality"))
    #expect(problems.contains("\(path): read 3: C999 is not a case of this study"))
    #expect(problems.contains("\(path): read 4: confidence \(Int.max) is outside 1...5"))
    // The report and the export read the rows without a crash.
    let data = try StudyData.load(path: layout.studyStore)
    #expect(!data.ratings().isEmpty)
    #expect(StudyExporter.csv(data).contains(first.pseudonym))
  }

  @Test func changedSessionIsReported() throws {
    let root = try SyntheticStudy.folder("session")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])

    // Session rows are not in the reads' hash chain: a verified session
    // moved to teaching would drop its reads from the statistics.
    let database = try SQLiteDatabase(path: path)
    try database.execute("UPDATE sessions SET kind = 'teaching' WHERE id = 1")
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems == [
      "\(path): sessions up to 1 differ from the ones verified earlier;"
        + " verified session rows were changed or deleted"
    ])

    // A session without cases, dated before the first, as a way around
    // the washout.
    try database.execute(
      "INSERT INTO sessions (kind, alias, seed, case_order, started_at)"
        + " VALUES ('unaided', NULL, 0, '', '2000-01-01T00:00:00.000Z')")
    let later = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(later.contains("\(path): session 2: it has no cases"))
    #expect(later.contains { $0.hasPrefix("\(path): session 2: started 2000-01-01") })
  }

  @Test func storeWithViewsIsNotRead() throws {
    let root = try SyntheticStudy.folder("view")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    // A view that would count to 10^11 if it were queried.
    let slow = layout.readsFolder + "/slow.db"
    let database = try SQLiteDatabase(path: slow, create: true)
    try database.execute(
      """
      CREATE TABLE sessions (id INTEGER); CREATE TABLE reads (id INTEGER);
      CREATE VIEW reader AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL
        SELECT x + 1 FROM c WHERE x < 100000000000) SELECT 'x' AS user, max(x) AS uid FROM c;
      """)
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems == [
      "\(slow): not a reader store (\(slow): not a reader store: reader, sessions"
        + " and reads must be tables), made by \(ReaderStoreFiles.account(getuid())); not read"
    ])
  }

  @Test func generatedColumnIsNotRead() throws {
    let root = try SyntheticStudy.folder("generated")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    // A column that would build a string of a gigabyte for every row read.
    let database = try SQLiteDatabase(path: path)
    try database.execute(
      "ALTER TABLE reads ADD COLUMN g GENERATED ALWAYS AS"
        + " (length(printf('%.*c', 1000000000 + id - id, 'x'))) VIRTUAL")
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains {
      $0.hasPrefix("\(path): not a reader store (\(path): not a reader store: its tables have generated columns)")
    })
  }

  @Test func oversizedValueIsNotRead() throws {
    let root = try SyntheticStudy.folder("oversized")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let path = try Self.readOnce(layout)
    let store = try ReaderStore.openForWriting(path: path, identity: try ReaderIdentity.current())
    var read = try #require(try store.reads().first)
    read.grades = String(repeating: "x", count: 2 << 20)
    try store.append(read)
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems.contains { $0.hasPrefix("\(path): not a reader store (") })
  }
}
