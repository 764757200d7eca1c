import Foundation
import MyoTerminal
import Testing

@testable import MyoStudy

@Suite struct ReadingStateTests {
  /// Opens a reading state for the current user on a fresh synthetic study.
  static func state(kind: String = "unaided", teaching: Bool = false, scale: Int = 5)
    throws -> (ReadingState, StudyLayout)
  {
    // NOTE: the study stays in the temporary folder after the test,
    // because the state returned here still reads it.
    let root = try SyntheticStudy.folder("reading")
    let layout = try SyntheticStudy.create(in: root, teaching: teaching, scale: scale)
    let study = try StudyStore(path: layout.studyStore)
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(path: layout.readerStore(user: me.user), identity: me)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: kind, alias: "Dr Test", startNew: false,
      washoutOverride: nil)
    return (try ReadingState(kind: kind, study: study, store: store, plan: plan), layout)
  }

  static func screen(_ state: ReadingState) -> String {
    var grid = CellGrid(width: 120, height: 40, fill: Cell(" ", foreground: .white, background: .black))
    ReadingLayout.draw(state, into: &grid)
    return (0..<grid.height).map { grid.text(row: $0) }.joined(separator: "\n")
  }

  static func press(_ state: ReadingState, _ keys: String) throws {
    for scalar in keys.unicodeScalars {
      _ = try state.handle(scalar == "\n" ? .enter : .character(scalar))
    }
  }

  @Test func blindedScreensRevealNothing() throws {
    let (state, layout) = try Self.state()
    let forbidden = SyntheticStudy.cases.flatMap { SyntheticStudy.identifyingText($0.name) }
      + ["FSHD", "myositis", "LGMD", "Truth", "truth", "probability", "Model", "model",
        "Originals_StElsewhere", "trial", layout.imageFolder]
    var screens: [String] = []
    for _ in SyntheticStudy.cases {
      screens.append(Self.screen(state))
      try Self.press(state, "y")
      screens.append(Self.screen(state))
      try Self.press(state, "4\n")
    }
    screens.append(Self.screen(state))
    #expect(state.finished)
    for (index, screen) in screens.enumerated() {
      for text in forbidden {
        #expect(!screen.contains(text), "screen \(index) shows '\(text)'")
      }
    }
    #expect(screens.last?.contains("All 6 cases of this session are read") == true)
  }

  @Test func submitStoresAnswerAndAdvances() throws {
    let (state, _) = try Self.state()
    let first = try #require(state.pseudonym)
    try Self.press(state, "\n")
    #expect(state.message == "answer y or n and give a confidence before Enter")
    #expect(state.pseudonym == first)
    try Self.press(state, "db3g1ab")
    #expect(state.grading)
    _ = try state.handle(.escape)
    _ = try state.handle(.right)
    try Self.press(state, "\n")
    let reads = try state.store.reads()
    #expect(reads.count == 1)
    let read = try #require(reads.first)
    #expect(read.pseudonym == first)
    #expect(read.call == true)
    #expect(read.subtype == "BMD")
    #expect(read.confidence == 3)
    #expect(read.grades == "vastus lateralis=1;vastus intermedius=2a;vastus medialis=2b")
    #expect(read.position == 1)
    #expect(read.windowWidth != nil)
    #expect(state.plan.progress.done == 1)
    #expect(state.pseudonym != first)
  }

  @Test func resumeOpensNextUnreadCase() throws {
    let (state, layout) = try Self.state()
    try Self.press(state, "y5\nn2\n")
    let third = state.plan.session.order[2]
    let study = try StudyStore(path: layout.studyStore)
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(path: layout.readerStore(user: me.user), identity: me)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: "unaided", alias: nil, startNew: false,
      washoutOverride: nil)
    #expect(plan.session.id == state.plan.session.id)
    #expect(plan.nextIndex == 2)
    let resumed = try ReadingState(kind: "unaided", study: study, store: store, plan: plan)
    #expect(resumed.pseudonym == third)
    #expect(Self.screen(resumed).contains("case 3/6"))
  }

  @Test func washoutBlocksSecondSession() throws {
    let (state, layout) = try Self.state()
    for _ in 0..<6 { try Self.press(state, "n1\n") }
    #expect(state.finished)
    let study = try StudyStore(path: layout.studyStore)
    let me = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(path: layout.readerStore(user: me.user), identity: me)
    #expect {
      _ = try SessionPlanner.plan(
        store: store, study: study, kind: "unaided", alias: nil, startNew: true,
        washoutOverride: nil)
    } throws: { "\($0)".contains("finished a session less than 28 days ago") }
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: "unaided", alias: nil, startNew: true,
      washoutOverride: "protocol amendment 2")
    #expect(plan.session.washoutOverride == "protocol amendment 2")
    #expect(plan.session.order != state.plan.session.order)
    #expect(Set(plan.session.order) == Set(state.plan.session.order))
  }

  @Test func sessionOrderIsSeededAndRecorded() {
    let seed = SessionPlanner.seed(studySeed: 11, user: "alice", kind: "unaided", number: 1)
    let cases = (1...20).map { "C\($0)" }
    let order = SessionPlanner.order(cases: cases, seed: seed)
    #expect(order == SessionPlanner.order(cases: cases, seed: seed))
    #expect(order != cases)
    let other = SessionPlanner.seed(studySeed: 11, user: "bob", kind: "unaided", number: 1)
    #expect(other != seed)
  }

  @Test func teachingRevealsAnswerAndScores() throws {
    let (state, _) = try Self.state(kind: "teaching", teaching: true)
    let pseudonym = try #require(state.pseudonym)
    try Self.press(state, "y4\n")
    let screen = Self.screen(state)
    #expect(screen.contains("Answer for \(pseudonym)"))
    #expect(screen.contains("Truth: "))
    #expect(screen.contains("Model: not run yet (study predict)"))
    #expect(screen.contains("Score: \(state.score.correct)/1"))
    _ = try state.handle(.character(" "))
    #expect(state.revealed == nil)
    #expect(state.pseudonym != pseudonym)
  }

  @Test func hundredPointConfidence() throws {
    let (state, _) = try Self.state(scale: 100)
    try Self.press(state, "y85")
    #expect(state.confidence == 85)
    try Self.press(state, "0")
    #expect(state.confidence == 85)
    #expect(state.message == "confidence is 0 to 100")
    _ = try state.handle(.backspace)
    #expect(state.confidence == 8)
  }
}

@Suite struct ReportPageTests {
  @Test func pageScrollsAndStops() {
    let text = (1...50).map { "line \($0)" }.joined(separator: "\n")
    let page = ReportPage(text: text)
    var grid = CellGrid(width: 60, height: 12, fill: Cell(" ", foreground: .white, background: .black))
    page.draw(into: &grid, title: "report")
    #expect(grid.text(row: 1).hasPrefix(" line 1 "))
    #expect(grid.text(row: 11).contains("lines 1-10 of 50"))
    #expect(page.handle(.pageDown, height: 12) == .redraw)
    #expect(page.top == 10)
    #expect(page.handle(.end, height: 12) == .redraw)
    #expect(page.top == 40)
    #expect(page.handle(.down, height: 12) == .none)
    #expect(page.handle(.character("q"), height: 12) == .quit)
  }
}
