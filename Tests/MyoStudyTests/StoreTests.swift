import Foundation
import MyoSupport
import Testing

@testable import MyoStudy

@Suite struct StoreTests {
  static let alice = ReaderIdentity(user: "alice", uid: getuid())

  static func draft(_ session: Int, _ pseudonym: String, position: Int, call: Bool = true)
    -> ReadRecord
  {
    ReadRecord(
      id: 0, sessionID: session, pseudonym: pseudonym, position: position, call: call,
      subtype: nil, confidence: 4, grades: "gracilis=1", openedAt: "2026-01-01T10:00:00.000Z",
      submittedAt: "2026-01-01T10:00:05.500Z", durationSeconds: 5.5, windowCenter: 300,
      windowWidth: 600, slice: 1, amends: nil, previousHash: "", hash: "")
  }

  @Test func sha256KnownDigests() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // Digests from Python's hashlib.
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  @Test func readsChainAndResist() throws {
    let root = try SyntheticStudy.folder("store")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let store = try ReaderStore.openForWriting(path: root + "/alice.db", identity: Self.alice)
    let session = try store.startSession(
      kind: "unaided", alias: "Dr A", seed: 5, order: ["C1", "C2"], washoutOverride: nil)
    let first = try store.append(Self.draft(session.id, "C1", position: 1))
    let second = try store.append(Self.draft(session.id, "C2", position: 2, call: false))
    #expect(first.previousHash == ReadRecord.genesisHash(user: "alice"))
    #expect(second.previousHash == first.hash)
    let reads = try store.reads()
    #expect(reads == [first, second])
    #expect(StudyData.chainProblems(reads, user: "alice").isEmpty)

    #expect {
      try store.database.query("UPDATE reads SET call = 1 WHERE id = 2")
    } throws: { "\($0)".contains("reads are append-only: add an amendment") }
    #expect {
      try store.database.query("DELETE FROM reads WHERE id = 1")
    } throws: { "\($0)".contains("reads are append-only") }

    var amendment = Self.draft(session.id, "C2", position: 2, call: true)
    amendment.amends = second.id
    let third = try store.append(amendment)
    let effective = ReaderStore.effectiveReads(try store.reads())
    #expect(effective.map(\.id) == [first.id, third.id])
  }

  @Test func storeOfAnotherReaderIsRejected() throws {
    let root = try SyntheticStudy.folder("owner")
    defer { try? FileManager.default.removeItem(atPath: root) }
    _ = try ReaderStore.openForWriting(path: root + "/alice.db", identity: Self.alice)
    #expect {
      _ = try ReaderStore.openForWriting(
        path: root + "/alice.db", identity: ReaderIdentity(user: "bob", uid: getuid()))
    } throws: {
      "\($0)" == "\(root)/alice.db: this store belongs to 'alice', not to 'bob'"
    }
  }

  @Test func newerSchemaIsRejected() throws {
    let root = try SyntheticStudy.folder("schema")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let database = try SQLiteDatabase(path: root + "/x.db", create: true)
    try database.setUserVersion(7)
    #expect(throws: StoreError.newerSchema(path: root + "/x.db", found: 7, supported: Schema.reader.count)) {
      try database.migrate(Schema.reader)
    }
  }

  /// Eight connections append to one store at once: the busy timeout and
  /// BEGIN IMMEDIATE must serialise them without a failed or lost write.
  @Test func concurrentWritersLoseNothing() throws {
    let root = try SyntheticStudy.folder("threads")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = root + "/alice.db"
    let setup = try ReaderStore.openForWriting(path: path, identity: Self.alice)
    let session = try setup.startSession(
      kind: "unaided", alias: nil, seed: 1, order: [], washoutOverride: nil)
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: 8) { writer in
      do {
        let store = try ReaderStore.openForWriting(path: path, identity: Self.alice)
        for n in 0..<25 {
          try store.append(Self.draft(session.id, "W\(writer)-\(n)", position: n + 1))
        }
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.all.isEmpty)
    let reads = try setup.reads()
    #expect(reads.count == 200)
    #expect(Set(reads.map(\.pseudonym)).count == 200)
    #expect(StudyData.chainProblems(reads, user: "alice").isEmpty)
    #expect(try setup.database.integrityCheck() == ["ok"])
  }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ item: String) {
    lock.lock()
    items.append(item)
    lock.unlock()
  }
  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
