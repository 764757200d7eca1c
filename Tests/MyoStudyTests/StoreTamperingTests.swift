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
}
