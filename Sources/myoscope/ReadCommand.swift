import Foundation
import MyoStudy
import MyoTerminal

/// Starts the blinded reading interface for the current user.
enum ReadCommand: Command {
  static let name = "read"
  static let summary = "read a study's cases blinded, as the logged-in user"
  static let usage = """
    usage: myoscope read STUDY.db [--reader ALIAS] [--new-session]
                         [--override-washout REASON]
                         [--color auto|truecolor|256|none]

    Shows the study's cases one at a time in a seeded random order, with
    only the case pseudonym and the pixels on screen. The reader is the
    logged-in user (from the real user id); --reader records an alias
    beside it. Answers are saved when submitted: after a disconnect, run
    the command again to resume at the next unread case.

    In a study created with --aided, Enter stores and locks the unaided
    answer; then the model's probability and class activation map are
    shown (h toggles the map) and the same form takes the aided answer.
    The coordinator must run 'myoscope study predict' first.

      --new-session        start another session once all cases are read;
                           refused within the study's washout period
      --override-washout   start it anyway; REASON is recorded

    keys: y/n call, d/b subtype, 1-5 (or 0-100) confidence, g Mercuri
    grades, up/down slice, left/right window width, [ ] level, r reset,
    Enter submit, q quit
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    // The session kind (unaided or aided) follows the study's settings.
    try start(&arguments, kind: "unaided", command: name)
  }

  /// Opens the study and the reader's store, plans the session and runs
  /// the interface; shared by `read` and `teach`.
  static func start(_ arguments: inout Arguments, kind: String, command: String) throws -> Int32 {
    let alias = try arguments.option("--reader")
    let startNew = arguments.flag("--new-session")
    let override = try arguments.option("--override-washout")
    let color = try arguments.option("--color")
    var preference: ColorMode?
    if let color, color != "auto" {
      let modes: [String: ColorMode] = ["truecolor": .truecolor, "256": .palette256, "none": .none]
      guard let mode = modes[color] else {
        throw UsageError.invalidValue(color, option: "--color", expected: "auto, truecolor, 256 or none")
      }
      preference = mode
    }
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a study file (STUDY.db)", command: command)
    }
    if paths.count > 1 { throw UsageError.unexpectedArgument(paths[1], command: command) }

    let study = try StudyStore(path: path)
    if kind == "teaching" && !study.settings.teaching {
      throw StudyError.wrongKind(
        path: path, expected: "a blinded study; use 'myoscope read' (teaching needs a study made with --teaching)")
    }
    if kind == "unaided" && study.settings.teaching {
      throw StudyError.wrongKind(path: path, expected: "a teaching set; use 'myoscope teach'")
    }
    let kind = kind == "unaided" ? study.settings.readingKind : kind
    if kind == "aided", try study.modelOutputs().isEmpty {
      throw StudyError.noModelOutput(path: path)
    }
    let identity = try ReaderIdentity.current()
    let store = try ReaderStore.openForWriting(
      path: study.layout.readerStore(user: identity.user), identity: identity)
    let plan = try SessionPlanner.plan(
      store: store, study: study, kind: kind, alias: alias, startNew: startNew,
      washoutOverride: override)
    if plan.nextIndex == nil && !startNew {
      throw StudyError.finished(user: identity.user, cases: plan.session.order.count)
    }
    let state = try ReadingState(kind: kind, study: study, store: store, plan: plan)
    let status = try ReadingApp.run(state, colorPreference: preference)
    let (done, total) = state.plan.progress
    print("\(identity.user): \(done)/\(total) cases read; answers are saved in"
      + " \(study.layout.readerStore(user: identity.user))")
    return status
  }
}
