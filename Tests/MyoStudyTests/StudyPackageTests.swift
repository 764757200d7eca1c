import Foundation
import MyoImaging
import Testing

@testable import MyoStudy

@Suite struct StudyPackageTests {
  static func mode(_ path: String) -> mode_t {
    var info = stat()
    stat(path, &info)
    return info.st_mode & 0o7777
  }

  @Test func createWritesPrivateKeyAndCleanPackage() throws {
    let root = try SyntheticStudy.folder("package")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    #expect(Self.mode(layout.coordinatorStore) == 0o600)
    #expect(Self.mode(layout.studyStore) == 0o644)
    #expect(Self.mode(layout.readsFolder) == 0o3733)

    let files = SyntheticStudy.packageFiles(layout)
    #expect(files.count == 1 + 6 + 12)
    let forbidden = SyntheticStudy.cases.flatMap { SyntheticStudy.identifyingText($0.name) }
      + SyntheticStudy.cases.map(\.subtype) + ["20140310", "20010203", "Originals_StElsewhere"]
    for file in files {
      let relative = file.replacingOccurrences(of: root + "/", with: "")
      for text in forbidden {
        #expect(!relative.contains(text), "\(relative) names '\(text)'")
      }
      guard let data = FileManager.default.contents(atPath: file), file.hasSuffix(".dcm")
      else { continue }
      let bytes = Array(data)
      for text in forbidden {
        #expect(!StudyVerifier.contains(bytes, Array(text.utf8)), "\(relative) holds '\(text)'")
      }
    }
  }

  @Test func dicomCopiesKeepPixelsAndDropText() throws {
    let root = try SyntheticStudy.folder("dicom")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let study = try StudyStore(path: layout.studyStore)
    let key = try CoordinatorStore(layout: layout).key()
    for pseudonym in try study.pseudonyms() {
      let original = try #require(key[pseudonym])
      let originals = try CaseLibrary.imageFiles(in: original.path).sorted()
      let slices = try study.slices(of: pseudonym)
      #expect(slices.count == 2)
      for (slice, source) in zip(slices, originals) {
        let copy = try DICOMParser(strict: true).parse(
          Array(try Data(contentsOf: URL(fileURLWithPath: study.path(of: slice)))), path: "copy")
        let first = try DICOMParser().parse(
          Array(try Data(contentsOf: URL(fileURLWithPath: source))), path: source)
        let tag = DICOMTag(0x7FE0, 0x0010)
        #expect(copy.dataSet.bytes(tag).map(Array.init) == first.dataSet.bytes(tag).map(Array.init))
        #expect(copy.dataSet.string(.patientName) == pseudonym)
        #expect(copy.dataSet.string(.patientID) == pseudonym)
        #expect(copy.dataSet.string(DICOMTag(0x0012, 0x0062)) == "YES")
        #expect(copy.dataSet.string(.studyDescription) == nil)
        #expect(copy.dataSet[DICOMTag(0x0008, 0x1110)] == nil)
        #expect(copy.dataSet.order.allSatisfy { !$0.isPrivate })
        #expect(copy.dataSet.string(DICOMTag(0x0018, 0x0080)) == "450")
        #expect(copy.dataSet.string(DICOMTag(0x0008, 0x0018))?.hasPrefix("2.25.") == true)
        let image = try DICOMImageReader.image(copy)
        let reference = try DICOMImageReader.image(first)
        #expect(image.values == reference.values)
      }
    }
  }

  @Test func verifyPassesOnFreshStudy() throws {
    let root = try SyntheticStudy.folder("verify")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let report = try StudyVerifier.verify(path: layout.studyStore)
    #expect(report.problems == [])
  }

  @Test func verifyReportsSqliteEdit() throws {
    let root = try SyntheticStudy.folder("tamper")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let me = try ReaderIdentity.current()
    let study = try StudyStore(path: layout.studyStore)
    let store = try ReaderStore.openForWriting(path: layout.readerStore(user: me.user), identity: me)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: "unaided", alias: nil, startNew: false,
      washoutOverride: nil)
    for (index, pseudonym) in plan.session.order.prefix(3).enumerated() {
      try store.append(StoreTests.draft(plan.session.id, pseudonym, position: index + 1))
    }
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])

    // An edit made outside myoscope: the triggers are dropped and a
    // confidence changed, with the sqlite3 shell when it is installed.
    let sql = "DROP TRIGGER reads_append_only_update; UPDATE reads SET confidence = 1 WHERE id = 2;"
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
      let result = try runProcess(["/usr/bin/sqlite3", layout.readerStore(user: me.user), sql])
      #expect(result.status == 0, "\(result.output)")
    } else {
      try SQLiteDatabase(path: layout.readerStore(user: me.user)).execute(sql)
    }
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    let path = layout.readerStore(user: me.user)
    #expect(problems.contains("\(path): read 2: the hash does not match its fields; the row was edited"))
    #expect(problems.contains("\(path): read 3: its previous hash does not match read 2") == false)
  }

  @Test func verifyDetectsRewrittenChain() throws {
    let root = try SyntheticStudy.folder("rewrite")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let me = try ReaderIdentity.current()
    let path = layout.readerStore(user: me.user)
    let store = try ReaderStore.openForWriting(path: path, identity: me)
    let first = try #require(try StudyStore(path: layout.studyStore).pseudonyms().first)
    let session = try store.startSession(
      kind: "unaided", alias: nil, seed: 1, order: [first], washoutOverride: nil)
    try store.append(StoreTests.draft(session.id, first, position: 1))
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems == [])

    // Rewriting the row and recomputing its hash passes the chain check,
    // but not the head recorded by the earlier verification.
    var rows = try store.reads()
    rows[0].confidence = 2
    rows[0].hash = rows[0].expectedHash
    try store.database.execute(
      "DROP TRIGGER reads_append_only_update; UPDATE reads SET confidence = 2,"
        + " hash = '\(rows[0].hash)' WHERE id = 1;")
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems == [
      "\(path): read 1 was deleted or differs from the one verified earlier;"
        + " verified rows were rewritten"
    ])
    // The store stays reported: the rewritten rows do not become the new
    // reference.
    #expect(try StudyVerifier.verify(path: layout.studyStore).problems.count == 1)
  }

  @Test func worldReadableKeyIsReported() throws {
    let root = try SyntheticStudy.folder("modes")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    chmod(layout.coordinatorStore, 0o644)
    let problems = try StudyVerifier.verify(path: layout.studyStore).problems
    #expect(problems == [
      "\(layout.coordinatorStore): mode 644 lets every user read the key and truth;"
        + " run chmod 600 on it"
    ])
  }

  @Test func truthMismatchIsRejected() throws {
    let root = try SyntheticStudy.folder("truth")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let (cases, truth) = try SyntheticStudy.writeCases(in: root)
    let text = try String(contentsOfFile: truth, encoding: .utf8)
      .replacingOccurrences(of: "Evans_Lucy_DMD", with: "Evans_Lucy")
    try text.write(toFile: truth, atomically: true, encoding: .utf8)
    #expect {
      try StudyCreator.create(
        StudyCreator.Options(
          studyPath: root + "/trial.db", casesPath: cases, truthPath: truth,
          settings: StudySettings(seed: 1)))
    } throws: {
      "\($0)" == "\(truth): the truth file does not match the cases: no truth for"
        + " 'Evans_Lucy_DMD'; no case folder for 'Evans_Lucy'; add one row per case"
        + " folder (columns case, truth, subtype)"
    }
  }
}
