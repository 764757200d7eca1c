import Foundation
import Testing

@testable import MyoStudy

/// Test accounts made with useradd (root only) and removed afterwards.
final class TestAccounts {
  private(set) var names: [String] = []

  static var possible: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
      && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
  }

  /// A user name unique to this test process, so that two test runs on
  /// one machine never add or remove each other's accounts.
  static func uniqueName(_ base: String) -> String {
    "\(base)p\(getpid())"
  }

  func add(_ name: String) throws {
    if ReaderIdentity.uid(of: name) == nil {
      let result = try runProcess(["/usr/sbin/useradd", "-M", "-s", "/bin/sh", name])
      #expect(result.status == 0, "useradd \(name): \(result.output)")
    }
    names.append(name)
  }

  /// Runs a shell command as `user` and returns its status and output.
  func run(_ user: String, _ command: String) throws -> (status: Int32, output: String) {
    try runProcess(["/usr/sbin/runuser", "-u", user, "--", "/bin/sh", "-c", command])
  }

  deinit {
    for name in names { _ = try? runProcess(["/usr/sbin/userdel", name]) }
  }
}

/// Blinding and integrity across real Unix accounts: what a reader can
/// and cannot do with ordinary tools.
@Suite(.serialized) struct UnixUserTests {
  static func ready() -> String? {
    guard TestAccounts.possible else {
      print("skipped: creating test users needs root, useradd and runuser")
      return nil
    }
    guard TmuxServer.available, let binary = Binary.path else {
      print("skipped: needs tmux and the myoscope binary")
      return nil
    }
    return binary
  }

  /// Tells whether `user` can run the binary and open the study: a
  /// checkout or a temporary folder inside a private folder (mode 0700)
  /// is out of the test accounts' reach.
  static func canRun(
    _ binary: String, study: String, as user: String, _ accounts: TestAccounts
  ) throws -> Bool {
    let check = try accounts.run(user, "test -x '\(binary)' && test -r '\(study)'")
    if check.status != 0 {
      print("skipped: user \(user) cannot run \(binary) on \(study); a folder is private")
    }
    return check.status == 0
  }

  /// Reads every case of the study in window `name` with call `key`.
  static func readAll(_ tmux: TmuxServer, _ name: String, key: String, cases: Int) throws {
    try tmux.wait(name, for: "case 1/\(cases)")
    for number in 1...cases {
      try tmux.send(name, key, "4", "Enter")
      try tmux.wait(name, for: number == cases ? "\(cases)/\(cases) read" : "case \(number + 1)/")
    }
    try tmux.send(name, "q")
  }

  @Test func readerCannotUnblindOrTouchOthers() throws {
    guard let binary = Self.ready() else { return }
    let accounts = TestAccounts()
    let readerA = TestAccounts.uniqueName("myoreadera")
    let readerB = TestAccounts.uniqueName("myoreaderb")
    try accounts.add(readerA)
    try accounts.add(readerB)
    let root = try SyntheticStudy.folder("users")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    guard try Self.canRun(binary, study: layout.studyStore, as: readerA, accounts)
    else { return }
    let tmux = TmuxServer()
    for (user, key) in [(readerA, "y"), (readerB, "n")] {
      try tmux.start(user, "/usr/sbin/runuser -u \(user) -- \(binary) read \(layout.studyStore)")
      try Self.readAll(tmux, user, key: key, cases: 6)
    }
    usleep(300_000)
    let storeA = layout.readerStore(user: readerA)
    let storeB = layout.readerStore(user: readerB)

    // The key and the truth are out of reach.
    for command in [
      "cat \(layout.coordinatorStore)",
      "sqlite3 \(layout.coordinatorStore) 'SELECT * FROM truth'",
      "ls \(layout.readsFolder)",
      "sqlite3 \(storeB) 'SELECT call FROM reads'",
      "cat \(storeB)",
      "echo x >> \(storeB)",
      "rm -f \(storeB)",
      "mv \(storeB) \(root)/stolen.db",
      "sqlite3 \(storeB) 'DROP TRIGGER reads_append_only_update; UPDATE reads SET call = 1'",
      "ls \(root)/Originals_StElsewhere",
    ] {
      let result = try accounts.run(readerA, command)
      #expect(result.status != 0, "reader a could run: \(command)\n\(result.output)")
    }
    #expect(FileManager.default.fileExists(atPath: storeB))

    // No original name anywhere in the package, in file names or bytes.
    for name in SyntheticStudy.cases.map(\.name) {
      for text in SyntheticStudy.identifyingText(name) {
        let grep = try accounts.run(
          readerA, "grep -r -l -F '\(text)' \(layout.imageFolder) \(layout.studyStore)")
        #expect(grep.status == 1, "'\(text)' found: \(grep.output)")
        let find = try accounts.run(readerA, "find \(layout.imageFolder) -name '*\(text)*'")
        #expect(find.output.isEmpty, "'\(text)' names a file: \(find.output)")
      }
    }

    // The coordinator's report joins the truth with both readers.
    let report = try runProcess([binary, "study", "report", layout.studyStore, "--format", "csv"])
    #expect(report.status == 0, "\(report.output)")
    let data = try StudyData.load(path: layout.studyStore)
    let analysis = try StudyAnalysis.compute(ratings: data.ratings())
    let diseased = SyntheticStudy.cases.filter(\.diseased).count
    let healthy = SyntheticStudy.cases.count - diseased
    let a = try #require(analysis.arms.first { $0.reader == readerA })
    let b = try #require(analysis.arms.first { $0.reader == readerB })
    #expect(a.table == DiagnosticTable(
      truePositives: diseased, falseNegatives: 0, falsePositives: healthy, trueNegatives: 0))
    #expect(b.table == DiagnosticTable(
      truePositives: 0, falseNegatives: diseased, falsePositives: 0, trueNegatives: healthy))
    var verify = try runProcess([binary, "study", "verify", layout.studyStore])
    #expect(verify.status == 0, "\(verify.output)")

    // Reader a edits an own answer with sqlite3: verify reports it.
    let edit = try accounts.run(
      readerA,
      "sqlite3 \(storeA) 'DROP TRIGGER reads_append_only_update; UPDATE reads SET call = 0 WHERE id = 1'")
    #expect(edit.status == 0, "\(edit.output)")
    verify = try runProcess([binary, "study", "verify", layout.studyStore])
    #expect(verify.status == 1)
    #expect(verify.output.contains(
      "PROBLEM: \(storeA): read 1: the hash does not match its fields; the row was edited"))
  }

  /// Three readers read an aided study at once as their own accounts; one
  /// terminal is closed (SIGHUP) after an unaided answer is locked, and
  /// that reader resumes at the aided answer of the same case.
  @Test func threeReadersAidedWithHangup() throws {
    guard let binary = Self.ready() else { return }
    let accounts = TestAccounts()
    let users = (1...3).map { TestAccounts.uniqueName("myaided\($0)") }
    for user in users { try accounts.add(user) }
    let root = try SyntheticStudy.folder("aided-users")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root, aided: true)
    try AidedReadingTests.storeOutputs(try StudyStore(path: layout.studyStore, writable: true))
    guard try Self.canRun(binary, study: layout.studyStore, as: users[0], accounts)
    else { return }
    let tmux = TmuxServer()
    func start(_ user: String) throws {
      try tmux.start(user, "/usr/sbin/runuser -u \(user) -- \(binary) read \(layout.studyStore)")
    }
    for user in users { try start(user) }
    for user in users { try tmux.wait(user, for: "case 1/6") }
    for number in 1...6 {
      for user in users { try tmux.send(user, "y", "3", "Enter") }
      for user in users {
        let shown = try tmux.wait(user, for: "Unaided (locked): yes, conf. 3")
        #expect(shown.contains("Model probability"), "\(user) case \(number)")
      }
      if number == 3 {
        // The terminal of the second reader closes with the model shown.
        try tmux.run(["kill-session", "-t", users[1]])
        // The hung-up process ends: a second one must not read beside it.
        var running = true
        for _ in 0..<50 where running {
          usleep(100_000)
          running = try runProcess(["/usr/bin/pgrep", "-u", users[1], "myoscope"]).status == 0
        }
        #expect(!running, "the hung-up myoscope of \(users[1]) is still running")
        try start(users[1])
        let resumed = try tmux.wait(users[1], for: "Unaided (locked): yes, conf. 3")
        #expect(resumed.contains("case 3/6"), "resumed screen:\n\(resumed)")
      }
      for user in users { try tmux.send(user, "n", "4", "Enter") }
      for user in users {
        try tmux.wait(user, for: number == 6 ? "6/6 read" : "case \(number + 1)/6")
      }
    }
    for user in users { try tmux.send(user, "q") }
    usleep(300_000)

    let data = try StudyData.load(path: layout.studyStore)
    #expect(data.logs.map(\.user).sorted() == users)
    for log in data.logs {
      #expect(log.reads.count == 12, "\(log.user)")
      #expect(log.reads.filter { $0.modality == "aided" }.count == 6, "\(log.user)")
      #expect(log.chainProblems.isEmpty, "\(log.user)")
      #expect(log.sessions.map(\.kind) == ["aided"], "\(log.user)")
    }
    let analysis = try StudyAnalysis.compute(ratings: data.ratings())
    #expect(analysis.modalityComparisons.map(\.reader) == users)
    let verify = try runProcess([binary, "study", "verify", layout.studyStore])
    #expect(verify.status == 0, "\(verify.output)")
  }

  /// Eight readers read the same study at once, in eight terminals.
  @Test func eightConcurrentReaders() throws {
    guard let binary = Self.ready() else { return }
    let accounts = TestAccounts()
    let users = (1...8).map { TestAccounts.uniqueName("myoreader\($0)") }
    for user in users { try accounts.add(user) }
    let root = try SyntheticStudy.folder("eight")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    guard try Self.canRun(binary, study: layout.studyStore, as: users[0], accounts)
    else { return }
    let tmux = TmuxServer()
    for user in users {
      try tmux.start(user, "/usr/sbin/runuser -u \(user) -- \(binary) read \(layout.studyStore)")
    }
    for user in users { try tmux.wait(user, for: "case 1/6") }
    // Interleave the answers so that the eight processes write together.
    for number in 1...6 {
      for user in users { try tmux.send(user, "y", "2", "Enter") }
      for user in users {
        try tmux.wait(user, for: number == 6 ? "6/6 read" : "case \(number + 1)/6")
      }
    }
    for user in users { try tmux.send(user, "q") }
    usleep(300_000)
    let data = try StudyData.load(path: layout.studyStore)
    #expect(data.logs.map(\.user).sorted() == users.sorted())
    for log in data.logs {
      #expect(log.reads.count == 6, "\(log.user)")
      #expect(log.chainProblems.isEmpty, "\(log.user)")
      #expect(Set(log.reads.map(\.pseudonym)).count == 6, "\(log.user)")
    }
    let verify = try runProcess([binary, "study", "verify", layout.studyStore])
    #expect(verify.status == 0, "\(verify.output)")
  }
}
