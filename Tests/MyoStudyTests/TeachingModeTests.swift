import Foundation
import MyoTerminal
import Testing

@testable import MyoStudy

/// Teaching mode on a teaching set made from the phantom cases in
/// SampleCases: after each answer the truth, the model output with its
/// heatmap, the muscle labels and the reference grades.
@Suite struct TeachingModeTests {
  static let sampleCases = ReferenceVectors.packageRoot.appendingPathComponent("SampleCases").path

  /// Creates a teaching set of SampleCases with model output and the
  /// state of a teaching session on it.
  static func teachingState() throws -> (ReadingState, StudyLayout) {
    let root = try SyntheticStudy.folder("teaching")
    let summary = try StudyCreator.create(
      StudyCreator.Options(
        studyPath: root + "/teach.db", casesPath: sampleCases,
        truthPath: sampleCases + "/cases.csv",
        settings: StudySettings(seed: 3, teaching: true)))
    let study = try StudyStore(path: summary.layout.studyStore, writable: true)
    try AidedReadingTests.storeOutputs(study, probabilities: [0.73])
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(
      path: summary.layout.readerStore(user: me.user), identity: me)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: "teaching", alias: nil, startNew: false,
      washoutOverride: nil)
    return (try ReadingState(kind: "teaching", study: study, store: store, plan: plan),
      summary.layout)
  }

  /// Returns the text of the image area, left of the panel.
  static func imageText(_ grid: CellGrid) -> String {
    (1..<(grid.height - 1)).map { row in
      String(grid.text(row: row).prefix(grid.width - ReadingLayout.panelWidth - 1))
    }.joined(separator: "\n")
  }

  @Test func packageCarriesLabelsAndGrades() throws {
    let (state, layout) = try Self.teachingState()
    for pseudonym in try state.study.pseudonyms() {
      let folder = layout.imageFolder + "/" + pseudonym
      let files = try FileManager.default.contentsOfDirectory(atPath: folder)
      #expect(files.contains("labels.csv"), "\(pseudonym) has no legend")
      #expect(files.contains { $0.contains(".labels.") }, "\(pseudonym) has no label map")
      #expect(try state.study.teachingGrades(of: pseudonym).count == 24)
    }
  }

  @Test func revealShowsTruthModelLabelsAndGrades() throws {
    let (state, layout) = try Self.teachingState()
    let pseudonym = try #require(state.pseudonym)
    let original = try #require(try CoordinatorStore(layout: layout).key()[pseudonym]).name
    let before = AidedReadingTests.grid(state)
    let beforeText = AidedReadingTests.text(before)
    for text in ["Truth", "probability", "Mercuri grades, right", "labels on"] {
      #expect(!beforeText.contains(text), "the form shows '\(text)' before the answer")
    }

    try ReadingStateTests.press(state, "y4\n")
    let revealed = AidedReadingTests.grid(state)
    let screen = AidedReadingTests.text(revealed)
    #expect(screen.contains("Truth: "))
    #expect(screen.contains("Model probability: 0.73 (case)"))
    #expect(screen.contains("heatmap on (CAM)"))
    #expect(screen.contains("Muscle labels on"))
    #expect(screen.contains("Score: "))

    // The grades of the first two muscles of the case's own grades file.
    let gradesFile = try String(
      contentsOfFile: Self.sampleCases + "/\(original)/grades.csv", encoding: .utf8)
    let rows = gradesFile.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
    func grade(_ muscle: String, _ side: String) -> String {
      String(rows.first { $0[0] == Substring(muscle) && $0[1] == Substring(side) }?[2] ?? "?")
    }
    let first = String(rows[0][0])
    let pair = "\(grade(first, "R"))/\(grade(first, "L"))"
    #expect(screen.contains("Mercuri grades, right/left:"))
    #expect(screen.contains(first.padding(toLength: 4, withPad: " ", startingAt: 0) + " " + pair),
      "grades of \(first) in:\n\(screen)")

    // Muscle abbreviations are written over the slice, and l hides them.
    let labelled = Self.imageText(revealed)
    let abbreviations = state.labelLegend.values.map(\.abbreviation)
    let shown = abbreviations.filter { labelled.contains($0) }
    #expect(shown.count >= 4, "abbreviations on the slice: \(shown)")
    #expect(AidedReadingTests.imageCells(revealed) != AidedReadingTests.imageCells(before))
    try ReadingStateTests.press(state, "l")
    let unlabelled = Self.imageText(AidedReadingTests.grid(state))
    #expect(abbreviations.filter { unlabelled.contains($0) }.count < shown.count)
    #expect(AidedReadingTests.text(AidedReadingTests.grid(state)).contains("Muscle labels off"))

    // With both overlays off the slice is drawn as before the answer.
    try ReadingStateTests.press(state, "h")
    #expect(AidedReadingTests.imageCells(AidedReadingTests.grid(state))
      == AidedReadingTests.imageCells(before))
  }

  @Test func scoreRunsAndFormKeyAnswersNextCase() throws {
    let (state, layout) = try Self.teachingState()
    let truth = try CoordinatorStore(layout: layout).truth()
    var correct = 0
    for _ in 0..<3 {
      let pseudonym = try #require(state.pseudonym)
      if try #require(truth[pseudonym]).diseased == false { correct += 1 }
      try ReadingStateTests.press(state, "n3\n")
      #expect(state.revealed != nil)
      // Space moves on without answering.
      try ReadingStateTests.press(state, " ")
    }
    #expect(state.score.total == 3)
    #expect(state.score.correct == correct)
    #expect(AidedReadingTests.text(AidedReadingTests.grid(state))
      .contains("score \(correct)/3"))

    // A form key typed while the answer is shown answers the next case.
    try ReadingStateTests.press(state, "y4\n")
    try ReadingStateTests.press(state, "n")
    #expect(state.revealed == nil)
    #expect(state.call == false)
  }
}
