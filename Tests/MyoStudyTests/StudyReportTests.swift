import Foundation
import Testing

@testable import MyoStudy

@Suite struct StudyReportTests {
  /// Two readers' stores written straight into the reads folder, joined
  /// with the truth by `StudyData`, must give the 2x2 tables counted here
  /// from the truth file and the calls.
  @Test func reportJoinsTruthAndReads() throws {
    let root = try SyntheticStudy.folder("report")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let layout = try SyntheticStudy.create(in: root)
    let study = try StudyStore(path: layout.studyStore)
    let key = try CoordinatorStore(layout: layout).key()
    let truthByName = Dictionary(
      uniqueKeysWithValues: SyntheticStudy.cases.map { ($0.name, $0.diseased) })

    // Reader a calls every case positive; reader b calls the cases whose
    // original name contains "DMD" positive.
    var expected: [String: DiagnosticTable] = [:]
    for (user, rule) in [("reader_a", { (_: String) in true }), ("reader_b", { $0.contains("DMD") })] {
      let identity = ReaderIdentity(user: user, uid: getuid())
      let store = try ReaderStore.openForWriting(path: layout.readerStore(user: user), identity: identity)
      let plan = try SessionPlanner.plan(
        store: store, study: study, kind: "unaided", alias: nil, startNew: false,
        washoutOverride: nil)
      var truth: [Bool] = []
      var calls: [Bool] = []
      for (index, pseudonym) in plan.session.order.enumerated() {
        let name = try #require(key[pseudonym]?.name)
        var read = StoreTests.draft(plan.session.id, pseudonym, position: index + 1, call: rule(name))
        read.confidence = 1 + index % 5
        try store.append(read)
        truth.append(try #require(truthByName[name]))
        calls.append(rule(name))
      }
      expected[user] = DiagnosticTable(truth: truth, calls: calls)
    }

    let data = try StudyData.load(path: layout.studyStore)
    let analysis = try StudyAnalysis.compute(ratings: data.ratings())
    #expect(analysis.arms.map(\.reader) == ["reader_a", "reader_b"])
    for arm in analysis.arms {
      #expect(arm.table == expected[arm.reader], "\(arm.reader)")
    }
    let b = try #require(analysis.arms.last)
    #expect(b.table == DiagnosticTable(
      truePositives: 2, falseNegatives: 1, falsePositives: 0, trueNegatives: 3))
    let dmd = try #require(b.subtypeSensitivity.first { $0.subtype == "DMD" })
    #expect(dmd.proportion == Proportion(successes: 2, trials: 2))

    let export = StudyExporter.csv(data)
    let lines = export.split(separator: "\n")
    #expect(lines.first?.hasPrefix("reader,case,modality,truth,score,") == true)
    #expect(lines.count == 1 + 12)
    for name in SyntheticStudy.cases.map(\.name) {
      #expect(!export.contains(name))
    }
  }
}
