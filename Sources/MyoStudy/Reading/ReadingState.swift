import Foundation
import MyoImaging
import MyoTerminal

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

/// Which answer the form collects for the shown case.
public enum ReadingPhase: Equatable, Sendable {
  /// The unaided answer: no model output on screen.
  case unaided
  /// In an aided session, the second answer, with the model output shown
  /// after the unaided answer was stored and locked.
  case aided
}

/// The state of the blinded reading (or teaching) interface: the current
/// case, slice, window and answer form. Drawing and key handling are
/// separate from the terminal, so tests drive this type directly.
public final class ReadingState {
  /// The session kind: unaided, aided or teaching.
  public let kind: String
  /// The study.
  public let study: StudyStore
  /// The reader's store.
  public let store: ReaderStore
  /// The session being read.
  public internal(set) var plan: ReadingPlan
  /// The answers revealed in teaching mode, by pseudonym.
  public let answers: [String: TeachingAnswer]
  /// The model output by pseudonym, loaded for aided and teaching
  /// sessions only and shown only after an answer is stored.
  public let modelOutputs: [String: [ModelOutput]]

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
  /// The answer the form collects.
  public internal(set) var phase = ReadingPhase.unaided
  /// In the aided phase, the stored unaided read of the shown case.
  public internal(set) var lockedRead: ReadRecord?
  /// Whether the class activation map is drawn when the model is shown.
  public internal(set) var showHeatmap = true
  /// Whether the muscle labels are drawn when a teaching answer is shown.
  public internal(set) var showLabels = true
  /// The label ids of the shown slice in a teaching set, when its package
  /// has a label map for the slice.
  public internal(set) var labelIDs: [UInt16]?
  /// The label legend of the shown case in a teaching set.
  public internal(set) var labelLegend: [UInt16: LabelName] = [:]
  /// The reference grades of the revealed teaching case.
  public internal(set) var revealedGrades: [MuscleGrade] = []

  private var cache: (file: String, images: [ScalarImage])?

  /// Creates the state and opens the next unread case.
  public init(kind: String, study: StudyStore, store: ReaderStore, plan: ReadingPlan) throws {
    self.kind = kind
    self.study = study
    self.store = store
    self.plan = plan
    answers = kind == "teaching" ? try study.teachingAnswers() : [:]
    modelOutputs = kind == "unaided" ? [:] : try study.modelOutputs()
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

  /// Whether the model output of the shown case may be on screen: after
  /// the unaided answer in an aided session, after the answer in teaching.
  public var modelShown: Bool {
    (kind == "aided" && phase == .aided) || (kind == "teaching" && revealed != nil)
  }

  /// The case-level model output of the shown case.
  public var caseOutput: ModelOutput? {
    pseudonym.flatMap { name in modelOutputs[name]?.first { $0.slice == nil } }
  }

  /// The name and demo label of the bundle of the shown case's output.
  public var caseBundleLabel: ModelBundleLabel? {
    caseOutput.flatMap { study.bundleLabel(hash: $0.bundleHash) }
  }

  /// The model output of the shown slice.
  public var sliceOutput: ModelOutput? {
    pseudonym.flatMap { name in modelOutputs[name]?.first { $0.slice == sliceIndex } }
  }

  func open(_ next: Int?) throws {
    index = next
    clearForm()
    phase = .unaided
    lockedRead = nil
    guard let next else {
      slices = []
      image = nil
      return
    }
    let pseudonym = plan.session.order[next]
    slices = try study.slices(of: pseudonym)
    sliceIndex = slices.count / 2
    openedAt = Date()
    if kind == "aided" && plan.awaitingAided.contains(pseudonym) {
      // Resumed after the unaided answer was stored: that answer stays
      // locked, and the model output is shown again for the aided one.
      phase = .aided
      lockedRead = try store.reads().first {
        $0.sessionID == plan.session.id && $0.pseudonym == pseudonym
          && $0.modality == "unaided"
      }
    }
    loadSlice(resetWindow: true)
  }

  /// Clears the answer form, for the next case or for the aided answer
  /// of the same case.
  func clearForm() {
    call = nil
    subtype = nil
    confidence = nil
    confidenceDigits = ""
    grades = [:]
    grading = false
    muscleIndex = 0
  }

  func loadSlice(resetWindow: Bool) {
    labelIDs = nil
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
      if kind == "teaching", let image {
        let source = SliceSource(path: path, index: slice.frame)
        labelIDs = LabelMaps.ids(for: source, size: (image.width, image.height))
        labelLegend = LabelMaps.legend(for: source)
      }
    } catch {
      image = nil
      // The package file names are pseudonymous, so the message reveals
      // nothing about the case.
      imageError = "cannot show slice \(sliceIndex + 1): \(error)"
    }
  }
}
