import Foundation
import MyoImaging

/// The next step of the run loop after a key press.
public enum ReadingAction: Equatable, Sendable {
  /// Nothing changed.
  case none
  /// Draw again.
  case redraw
  /// Leave the interface.
  case quit
}

/// The thigh muscles graded on the Mercuri scale, in form order.
public let gradedMuscles = [
  "vastus lateralis", "vastus intermedius", "vastus medialis", "rectus femoris",
  "sartorius", "gracilis", "adductor longus", "adductor magnus",
  "biceps femoris", "semitendinosus", "semimembranosus",
]

/// The state of the blinded reading (or teaching) interface: the current
/// case, slice, window and answer form. Drawing and key handling are
/// separate from the terminal, so tests drive this type directly.
public final class ReadingState {
  /// blinded reading or teaching.
  public let kind: String
  /// The study.
  public let study: StudyStore
  /// The reader's store.
  public let store: ReaderStore
  /// The session being read.
  public internal(set) var plan: ReadingPlan
  /// The answers revealed in teaching mode, by pseudonym.
  public let answers: [String: TeachingAnswer]

  /// 0-based index of the shown case in the session order.
  public internal(set) var index: Int?
  /// The slices of the shown case.
  public internal(set) var slices: [PackageSlice] = []
  /// The shown slice.
  public internal(set) var sliceIndex = 0
  /// The shown image.
  public internal(set) var image: ScalarImage?
  /// An error loading the image, shown in its place.
  public internal(set) var imageError: String?
  /// The window in use.
  public internal(set) var window = Window(center: 0.5, width: 1)
  /// When the case was opened.
  public internal(set) var openedAt = Date()

  /// The call: nil until y or n.
  public internal(set) var call: Bool?
  /// DMD or BMD, optional.
  public internal(set) var subtype: String?
  /// The confidence, nil until given.
  public internal(set) var confidence: Int?
  /// Digits typed for a 0 to 100 confidence.
  public internal(set) var confidenceDigits = ""
  /// Mercuri grades by muscle name.
  public internal(set) var grades: [String: String] = [:]
  /// Whether the grade form has the keyboard.
  public internal(set) var grading = false
  /// The muscle selected in the grade form.
  public internal(set) var muscleIndex = 0
  /// A one-line message for the status bar.
  public internal(set) var message: String?
  /// In teaching mode, the read just submitted while its answer is shown.
  public internal(set) var revealed: ReadRecord?
  /// Teaching score: correct calls and reads so far.
  public internal(set) var score = (correct: 0, total: 0)

  private var cache: (file: String, images: [ScalarImage])?

  /// Creates the state and opens the next unread case.
  public init(kind: String, study: StudyStore, store: ReaderStore, plan: ReadingPlan) throws {
    self.kind = kind
    self.study = study
    self.store = store
    self.plan = plan
    answers = kind == "teaching" ? try study.teachingAnswers() : [:]
    if kind == "teaching" {
      for read in try store.reads() where read.sessionID == plan.session.id {
        score.total += 1
        if answers[read.pseudonym]?.diseased == read.call { score.correct += 1 }
      }
    }
    try open(plan.nextIndex)
  }

  /// The pseudonym of the shown case.
  public var pseudonym: String? { index.map { plan.session.order[$0] } }

  /// Whether every case of the session has been answered.
  public var finished: Bool { index == nil }

  /// The confidence scale: 5 or 100.
  public var scale: Int { study.settings.confidenceScale }

  /// Whether the form is complete enough to submit.
  public var canSubmit: Bool { call != nil && confidence != nil }

  func open(_ next: Int?) throws {
    index = next
    call = nil
    subtype = nil
    confidence = nil
    confidenceDigits = ""
    grades = [:]
    grading = false
    muscleIndex = 0
    guard let next else {
      slices = []
      image = nil
      return
    }
    slices = try study.slices(of: plan.session.order[next])
    sliceIndex = slices.count / 2
    openedAt = Date()
    loadSlice(resetWindow: true)
  }

  func loadSlice(resetWindow: Bool) {
    guard sliceIndex < slices.count else {
      image = nil
      imageError = "this case has no slices"
      return
    }
    let slice = slices[sliceIndex]
    let path = study.path(of: slice)
    do {
      if cache?.file != path {
        cache = (path, try ImageFile.readAll(path: path))
      }
      let images = cache?.images ?? []
      guard slice.frame < images.count else {
        image = nil
        imageError = "slice \(sliceIndex + 1) is missing from the package"
        return
      }
      image = images[slice.frame]
      imageError = nil
      if resetWindow, let image { window = image.defaultWindow }
    } catch {
      image = nil
      // The package file names are pseudonymous, so the message reveals
      // nothing about the case.
      imageError = "cannot show slice \(sliceIndex + 1): \(error)"
    }
  }
}
