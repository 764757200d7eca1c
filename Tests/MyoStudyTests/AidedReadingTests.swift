import Foundation
import MyoNeural
import MyoTerminal
import Testing

@testable import MyoStudy

/// The aided arm in the sequential design: the model output stays hidden
/// until the unaided answer is stored, that answer is locked, and the
/// report compares the two modalities of each reader.
@Suite struct AidedReadingTests {
  /// Stores a model output for every case and slice of `study`: case
  /// probabilities from `probabilities` (by position, cycling) and a 2 x 2
  /// map over the whole 16 x 16 slice that rises to the bottom right.
  static func storeOutputs(_ study: StudyStore, probabilities: [Double] = [0.91, 0.12])
    throws
  {
    var outputs: [ModelOutput] = []
    for (index, pseudonym) in try study.pseudonyms().enumerated() {
      let probability = probabilities[index % probabilities.count]
      outputs.append(
        ModelOutput(
          pseudonym: pseudonym, slice: nil, probability: probability, bundleHash: "test-bundle"))
      for slice in try study.slices(of: pseudonym).indices {
        outputs.append(
          ModelOutput(
            pseudonym: pseudonym, slice: slice, probability: probability,
            bundleHash: "test-bundle",
            cam: CAMMap(
              values: [0, 1, 2, 3], width: 2, height: 2,
              crop: CropBox(x: 0, y: 0, width: 16, height: 16))))
      }
    }
    try study.storeModelOutputs(outputs)
  }

  /// Creates an aided synthetic study with model output and a reading state on it.
  static func aidedState() throws -> (ReadingState, StudyLayout) {
    let root = try SyntheticStudy.folder("aided")
    let layout = try SyntheticStudy.create(in: root, aided: true)
    try storeOutputs(try StudyStore(path: layout.studyStore, writable: true))
    return (try state(layout), layout)
  }

  /// Opens the current user's reading state on `layout`, resuming.
  static func state(_ layout: StudyLayout) throws -> ReadingState {
    let study = try StudyStore(path: layout.studyStore)
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(
      path: layout.readerStore(user: me.user), identity: me)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: study.settings.readingKind, alias: nil,
      startNew: false, washoutOverride: nil)
    return try ReadingState(kind: plan.session.kind, study: study, store: store, plan: plan)
  }

  static func grid(_ state: ReadingState) -> CellGrid {
    var grid = CellGrid(
      width: 120, height: 40, fill: Cell(" ", foreground: .white, background: .black))
    ReadingLayout.draw(state, into: &grid)
    return grid
  }

  static func text(_ grid: CellGrid) -> String {
    (0..<grid.height).map { grid.text(row: $0) }.joined(separator: "\n")
  }

  /// Returns the cells of the image area, left of the form panel.
  static func imageCells(_ grid: CellGrid) -> [Cell] {
    var cells: [Cell] = []
    for row in 1..<(grid.height - 1) {
      for column in 0..<(grid.width - ReadingLayout.panelWidth - 1) {
        cells.append(grid[column, row])
      }
    }
    return cells
  }

  @Test func modelHiddenUntilUnaidedLocked() throws {
    let (state, _) = try Self.aidedState()
    let first = try #require(state.pseudonym)
    var before: [String] = [Self.text(Self.grid(state))]
    for key in ["y", "d", "4", "g", "1", "g"] {
      try ReadingStateTests.press(state, key)
      before.append(Self.text(Self.grid(state)))
    }
    for (index, screen) in before.enumerated() {
      for text in ["probability", "Model", "heatmap", "0.91", "aided"] {
        #expect(!screen.contains(text), "screen \(index) before the lock shows '\(text)'")
      }
    }
    #expect(state.phase == .unaided)

    try ReadingStateTests.press(state, "\n")
    #expect(state.phase == .aided)
    #expect(state.pseudonym == first)
    #expect(state.call == nil)
    #expect(state.confidence == nil)
    let after = Self.text(Self.grid(state))
    #expect(after.contains("Model probability: 0.91 (case)"))
    #expect(after.contains("Unaided (locked): yes DMD, conf. 4"))
    #expect(after.contains("read (aided: model shown)"))

    let reads = try state.store.reads()
    #expect(reads.count == 1)
    #expect(reads.first?.modality == "unaided")
    #expect(reads.first?.pseudonym == first)
  }

  @Test func aidedAnswerStoredThenNextCase() throws {
    let (state, _) = try Self.aidedState()
    let first = try #require(state.pseudonym)
    try ReadingStateTests.press(state, "n2\n")
    #expect(state.plan.progress.done == 0)
    try ReadingStateTests.press(state, "y5\n")
    #expect(state.phase == .unaided)
    #expect(state.pseudonym != first)
    #expect(state.plan.progress.done == 1)
    let reads = try state.store.reads()
    #expect(reads.map(\.modality) == ["unaided", "aided"])
    #expect(reads.map(\.call) == [false, true])
    #expect(reads.map(\.confidence) == [2, 5])
    #expect(Set(reads.map(\.pseudonym)) == [first])
    let session = try #require(try state.store.sessions().first)
    #expect(session.kind == "aided")
    #expect(StudyData.chainProblems(reads, user: state.store.user).isEmpty)
  }

  @Test func heatmapDrawnOnlyOnceModelShown() throws {
    let (state, _) = try Self.aidedState()
    let plain = Self.imageCells(Self.grid(state))
    try ReadingStateTests.press(state, "y3\n")
    let withMap = Self.imageCells(Self.grid(state))
    #expect(withMap != plain, "the class activation map changes the slice's cells")
    #expect(Self.text(Self.grid(state)).contains("heatmap on (CAM)"))
    try ReadingStateTests.press(state, "h")
    #expect(Self.imageCells(Self.grid(state)) == plain)
    #expect(Self.text(Self.grid(state)).contains("heatmap off (CAM)"))
  }

  @Test func resumeAfterLockShowsAidedForm() throws {
    let (state, layout) = try Self.aidedState()
    let first = try #require(state.pseudonym)
    try ReadingStateTests.press(state, "y4\n")
    // A new process resumes: the locked answer stays, the aided one is asked.
    let resumed = try Self.state(layout)
    #expect(resumed.pseudonym == first)
    #expect(resumed.phase == .aided)
    #expect(resumed.lockedRead?.confidence == 4)
    #expect(Self.text(Self.grid(resumed)).contains("Model probability"))
    try ReadingStateTests.press(resumed, "y5\n")
    #expect(try resumed.store.reads().map(\.modality) == ["unaided", "aided"])
  }

  @Test func unaidedReadLockedInStore() throws {
    let (state, _) = try Self.aidedState()
    let first = try #require(state.pseudonym)
    let second = state.plan.session.order[1]
    try ReadingStateTests.press(state, "y4\n")
    let locked = try #require(try state.store.reads().first)
    var amendment = locked
    amendment.confidence = 1
    amendment.amends = locked.id
    let lockedMessage = "the unaided read is locked: the model output was shown after it"
    #expect {
      try state.store.append(amendment)
    } throws: { error in
      "\(error)".contains(lockedMessage)
    }
    var early = locked
    early.pseudonym = second
    early.modality = "aided"
    #expect {
      try state.store.append(early)
    } throws: { error in
      "\(error)".contains("an aided read needs an aided session and the unaided read of its case")
    }
    #expect(try state.store.reads().count == 1)
    #expect(first != second)
  }

  @Test func reportComparesUnaidedWithAided() throws {
    let (state, layout) = try Self.aidedState()
    let truth = try CoordinatorStore(layout: layout).truth()
    // Answers by the case's rank among the diseased (three) or the
    // healthy (three) in reading order: unaided first, then aided.
    // Scores on the 5-point scale are 5 + confidence for yes and
    // 6 - confidence for no.
    let diseasedAnswers = [("y3\n", "y5\n"), ("n2\n", "y4\n"), ("n2\n", "n1\n")]
    let healthyAnswers = [("n1\n", "y2\n"), ("n5\n", "n5\n"), ("n3\n", "n4\n")]
    var diseasedSeen = 0
    var healthySeen = 0
    var expectedAided: [String: Bool] = [:]
    while let pseudonym = state.pseudonym {
      let diseased = try #require(truth[pseudonym]).diseased
      let answers = diseased ? diseasedAnswers[diseasedSeen] : healthyAnswers[healthySeen]
      if diseased { diseasedSeen += 1 } else { healthySeen += 1 }
      try ReadingStateTests.press(state, answers.0)
      try ReadingStateTests.press(state, answers.1)
      expectedAided[pseudonym] = answers.1.hasPrefix("y")
    }
    let data = try StudyData.load(path: layout.studyStore)
    let ratings = data.ratings()
    let user = state.store.user
    #expect(ratings.filter { $0.reader == user && $0.modality == "unaided" }.count == 6)
    #expect(ratings.filter { $0.reader == user && $0.modality == "aided" }.count == 6)

    let analysis = try StudyAnalysis.compute(ratings: ratings)
    let comparison = try #require(analysis.modalityComparisons.first)
    #expect(analysis.modalityComparisons.count == 1)
    #expect(comparison.reader == user)
    #expect(comparison.unaided == "unaided")
    #expect(comparison.aided == "aided")
    // Sensitivity: the second diseased case is found only when aided.
    #expect(comparison.diseasedPairs == 3)
    #expect(comparison.sensitivity.b == 0)
    #expect(comparison.sensitivity.c == 1)
    // Specificity: the first healthy case loses its correct call aided.
    #expect(comparison.nonDiseasedPairs == 3)
    #expect(comparison.specificity.b == 1)
    #expect(comparison.specificity.c == 0)
    let delong = try #require(comparison.delong)
    let aidedArm = try #require(analysis.arms.first { $0.reader == user && $0.modality == "aided" })
    let unaidedArm = try #require(
      analysis.arms.first { $0.reader == user && $0.modality == "unaided" })
    #expect(delong.first.area == unaidedArm.auc?.area)
    #expect(delong.second.area == aidedArm.auc?.area)
    // Unaided: diseased 8, 4, 4 against healthy 5, 1, 3 win 7 of 9 pairs.
    // Aided: diseased 10, 9, 5 against healthy 7, 1, 2 win 8 of 9.
    #expect(abs(delong.first.area - 7.0 / 9) < 1e-12)
    #expect(abs(delong.second.area - 8.0 / 9) < 1e-12)

    let text = ReportFormatter.render(analysis, format: .text)
    #expect(text.contains("Unaided against aided, each reader, per case"))
    #expect(text.contains("\(user) (unaided / aided): sensitivity b=0 c=1 of 3"))

    let export = StudyExporter.csv(data)
    let rows = export.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    let aidedRows = rows.filter { $0.count > 2 && $0[0] == Substring(user) && $0[2] == "aided" }
    #expect(aidedRows.count == 6)
    for row in aidedRows {
      let call = row[12] == "1"
      #expect(expectedAided[String(row[1])] == call, "aided call of \(row[1])")
    }
  }

  @Test func teachingReadsNeverCount() throws {
    let root = try SyntheticStudy.folder("teach-count")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let study = try StudyStore(path: layout.studyStore)
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(
      path: layout.readerStore(user: me.user), identity: me)
    // A teaching session in a study's reads folder, as a store edited by
    // hand could hold, and one blinded read.
    let cases = try study.pseudonyms()
    let teaching = try store.startSession(
      kind: "teaching", alias: nil, seed: 1, order: cases, washoutOverride: nil)
    let blinded = try store.startSession(
      kind: "unaided", alias: nil, seed: 2, order: cases, washoutOverride: nil)
    func read(_ session: ReadingSession, _ pseudonym: String) -> ReadRecord {
      ReadRecord(
        id: 0, sessionID: session.id, pseudonym: pseudonym, position: 1, call: true,
        subtype: nil, confidence: 5, grades: nil, openedAt: "2026-01-01T00:00:00.000Z",
        submittedAt: "2026-01-01T00:00:10.000Z", durationSeconds: 10, windowCenter: nil,
        windowWidth: nil, slice: nil, amends: nil, previousHash: "", hash: "")
    }
    for pseudonym in cases { try store.append(read(teaching, pseudonym)) }
    try store.append(read(blinded, cases[0]))

    let data = try StudyData.load(path: layout.studyStore)
    let ratings = data.ratings().filter { $0.reader == me.user }
    #expect(ratings.count == 1)
    #expect(ratings.first?.caseID == cases[0])
    #expect(ratings.first?.modality == "unaided")
    let exported = StudyExporter.csv(data).split(separator: "\n")
      .filter { $0.hasPrefix("\(me.user),") }
    #expect(exported.count == 1)
  }

  @Test func readerStoreMigratesFromVersionOne() throws {
    let root = try SyntheticStudy.folder("migrate")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = root + "/alice.db"
    let alice = ReaderIdentity(user: "alice", uid: getuid())
    // A store as the first schema wrote it: one session, one read.
    do {
      let old = try SQLiteDatabase(path: path, create: true)
      try old.migrate(Array(Schema.reader.prefix(1)))
      try old.query(
        "INSERT INTO reader (id, user, uid, created_at) VALUES (1, 'alice', ?, 'then')",
        [.integer(Int64(getuid()))])
      try old.query(
        """
        INSERT INTO sessions (id, kind, alias, seed, case_order, started_at)
        VALUES (1, 'unaided', NULL, 9, 'C001 C002', 'then')
        """)
      var record = ReadRecord(
        id: 1, sessionID: 1, pseudonym: "C001", position: 1, call: true, subtype: "DMD",
        confidence: 4, grades: nil, openedAt: "a", submittedAt: "b", durationSeconds: 1.5,
        windowCenter: 100, windowWidth: 200, slice: 0, amends: nil,
        previousHash: ReadRecord.genesisHash(user: "alice"), hash: "")
      record.hash = record.expectedHash
      try old.query(
        """
        INSERT INTO reads (id, session_id, pseudonym, position, call, subtype,
          confidence, grades, opened_at, submitted_at, duration_seconds,
          window_center, window_width, slice, amends, previous_hash, hash)
        VALUES (1, 1, 'C001', 1, 1, 'DMD', 4, NULL, 'a', 'b', 1.5, 100, 200, 0,
          NULL, ?, ?)
        """, [.text(record.previousHash), .text(record.hash)])
      #expect(try old.userVersion == 1)
    }
    // The first schema's stores were made with mode 640 too.
    chmod(path, 0o640)

    let store = try ReaderStore.openForWriting(path: path, identity: alice)
    #expect(try store.database.userVersion == Schema.reader.count)
    #expect(try store.database.integrityCheck() == ["ok"])
    #expect(try store.database.query("PRAGMA foreign_key_check").isEmpty)
    let reads = try store.reads()
    #expect(reads.count == 1)
    #expect(reads.first?.modality == "unaided")
    #expect(StudyData.chainProblems(reads, user: "alice").isEmpty)
    #expect(try store.sessions().map(\.kind) == ["unaided"])
    // The new kind is accepted, and the triggers are in place.
    let aided = try store.startSession(
      kind: "aided", alias: nil, seed: 3, order: ["C001"], washoutOverride: nil)
    var unaided = try #require(reads.first)
    unaided.sessionID = aided.id
    let stored = try store.append(unaided)
    var aidedRead = stored
    aidedRead.modality = "aided"
    let second = try store.append(aidedRead)
    #expect(second.modality == "aided")
    #expect(StudyData.chainProblems(try store.reads(), user: "alice").isEmpty)
    #expect(throws: StoreError.self) { try store.append(unaided) }
  }

  @Test func hashCoversAidedModality() throws {
    var record = ReadRecord(
      id: 1, sessionID: 1, pseudonym: "C001", position: 1, call: true, subtype: nil,
      confidence: 4, grades: nil, openedAt: "a", submittedAt: "b", durationSeconds: 1,
      windowCenter: nil, windowWidth: nil, slice: nil, amends: nil, previousHash: "p",
      hash: "")
    let unaided = record.expectedHash
    record.modality = "aided"
    #expect(record.expectedHash != unaided)
    #expect(record.canonicalText.hasSuffix("\u{1F}aided"))
  }

  @Test func studyStoreMigratesFromVersionOne() throws {
    let root = try SyntheticStudy.folder("migrate-study")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = root + "/old.db"
    do {
      let old = try SQLiteDatabase(path: path, create: true)
      try old.migrate(Array(Schema.study.prefix(1)))
      try old.query(
        """
        INSERT INTO study (id, created_at, seed, confidence_scale, washout_days,
          teaching) VALUES (1, 'then', 5, 5, 28, 1)
        """)
    }
    let readOnly = try StudyStore(path: path)
    #expect(readOnly.schemaVersion == 1)
    #expect(readOnly.settings.aided == false)
    #expect(try readOnly.modelOutputs().isEmpty)
    #expect(try readOnly.teachingGrades(of: "C001").isEmpty)
    let migrated = try StudyStore(path: path, writable: true)
    #expect(migrated.schemaVersion == Schema.study.count)
    #expect(migrated.settings.teaching)
    #expect(migrated.settings.aided == false)
    #expect(try migrated.modelOutputs().isEmpty)
  }

  /// `study predict` opens the study store for writing; the -wal and
  /// -shm files must survive it, because readers open the store
  /// read-only and cannot create them.
  @Test func writableOpenKeepsWriteAheadLog() throws {
    let root = try SyntheticStudy.folder("wal")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root, aided: true)
    do {
      let study = try StudyStore(path: layout.studyStore, writable: true)
      try Self.storeOutputs(study)
    }
    for suffix in ["-wal", "-shm"] {
      #expect(FileManager.default.fileExists(atPath: layout.studyStore + suffix),
        "\(suffix) is missing after a writable open")
    }
  }

  @Test func verifierReportsBrokenLock() throws {
    let session = ReadingSession(
      id: 1, kind: "aided", alias: nil, seed: 1, order: ["C001", "C002"], startedAt: "t",
      washoutOverride: nil)
    func read(_ id: Int, _ pseudonym: String, _ modality: String, opened: String,
      submitted: String) -> ReadRecord
    {
      ReadRecord(
        id: id, sessionID: 1, pseudonym: pseudonym, position: 1, call: true, subtype: nil,
        confidence: 3, grades: nil, openedAt: opened, submittedAt: submitted,
        durationSeconds: 1, windowCenter: nil, windowWidth: nil, slice: nil, amends: nil,
        previousHash: "", hash: "", modality: modality)
    }
    let reads = [
      read(1, "C001", "unaided", opened: "2026-01-01T00:00:00.000Z",
        submitted: "2026-01-01T00:00:05.000Z"),
      read(2, "C001", "aided", opened: "2026-01-01T00:00:05.000Z",
        submitted: "2026-01-01T00:00:09.000Z"),
      read(3, "C001", "unaided", opened: "2026-01-01T00:00:10.000Z",
        submitted: "2026-01-01T00:00:11.000Z"),
      read(4, "C002", "aided", opened: "2026-01-01T00:00:12.000Z",
        submitted: "2026-01-01T00:00:13.000Z"),
    ]
    let log = ReaderLog(
      path: "alice.db", user: "alice", uid: 501, sessions: [session], reads: reads,
      chainProblems: [])
    #expect(StudyVerifier.lockProblems(log) == [
      "read 3: a second unaided read of C001 after read 1, which was locked when the"
        + " model was shown",
      "read 4: an aided read of C002 without an earlier unaided read",
    ])
    let early = ReaderLog(
      path: "alice.db", user: "alice", uid: 501, sessions: [session],
      reads: [
        read(1, "C001", "unaided", opened: "2026-01-01T00:00:00.000Z",
          submitted: "2026-01-01T00:00:05.000Z"),
        read(2, "C001", "aided", opened: "2026-01-01T00:00:04.000Z",
          submitted: "2026-01-01T00:00:09.000Z"),
      ], chainProblems: [])
    #expect(StudyVerifier.lockProblems(early) == [
      "read 2: the aided read of C001 opened before its unaided read 1 was submitted"
    ])
    // The report counts the first, locked unaided read, not the later one.
    let counted = StudyData.countedReads(log).map(\.read.id)
    #expect(counted == [1, 2, 4])
  }

  @Test func modelOutputRoundTrips() throws {
    let (state, _) = try Self.aidedState()
    let outputs = try state.study.modelOutputs()
    let pseudonym = try #require(state.pseudonym)
    let slice = try #require(outputs[pseudonym]?.first { $0.slice == 0 })
    #expect(slice.cam?.values == [0, 1, 2, 3])
    #expect(slice.cam?.crop == CropBox(x: 0, y: 0, width: 16, height: 16))
    #expect(slice.bundleHash == "test-bundle")
    #expect(outputs[pseudonym]?.first { $0.slice == nil }?.cam == nil)
  }
}
