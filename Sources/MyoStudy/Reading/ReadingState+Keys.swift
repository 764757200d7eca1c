import Foundation
import MyoImaging
import MyoTerminal

extension ReadingState {
  /// Handles one key and returns what the run loop should do.
  public func handle(_ key: Key) throws -> ReadingAction {
    message = nil
    if revealed != nil {
      // Teaching: the slice and overlay keys look at the answer, any
      // other key moves on.
      switch key {
      case .character("q"): return .quit
      case .resize: return .redraw
      case .up, .pageUp: return moveSlice(by: key == .up ? -1 : -5)
      case .down, .pageDown: return moveSlice(by: key == .down ? 1 : 5)
      case .character("h"):
        showHeatmap.toggle()
        return .redraw
      case .character("l"):
        showLabels.toggle()
        return .redraw
      default:
        revealed = nil
        revealedGrades = []
        try open(
          plan.session.order.indices.first { !plan.answered.contains(plan.session.order[$0]) })
        // A form key typed at once (y, a digit) also answers the next case,
        // so a fast trainee loses no keystroke.
        if key == .enter || key == .character(" ") { return .redraw }
        _ = try handle(key)
        return .redraw
      }
    }
    if key == .resize { return .redraw }
    if finished {
      return key == .character("q") || key == .enter ? .quit : .none
    }
    if grading { return handleGrade(key) }

    switch key {
    case .character("q"), .character("\u{3}"):
      return .quit
    case .up, .pageUp:
      return moveSlice(by: key == .up ? -1 : -5)
    case .down, .pageDown:
      return moveSlice(by: key == .down ? 1 : 5)
    case .left, .right:
      window.width = max(1, window.width * (key == .right ? 1.15 : 1 / 1.15))
      return .redraw
    case .character("["), .character("]"):
      window.center += (key == .character("]") ? 1 : -1) * window.width * 0.05
      return .redraw
    case .character("r"):
      if let image { window = image.defaultWindow }
      return .redraw
    case .character("y"):
      call = true
      return .redraw
    case .character("n"):
      call = false
      subtype = nil
      return .redraw
    case .character("d"), .character("b"):
      let chosen = key == .character("d") ? "DMD" : "BMD"
      subtype = subtype == chosen ? nil : chosen
      if subtype != nil { call = true }
      return .redraw
    case .character("g"):
      grading = true
      return .redraw
    case .character("h") where modelShown:
      showHeatmap.toggle()
      return .redraw
    case .backspace:
      if scale == 100 && !confidenceDigits.isEmpty {
        confidenceDigits.removeLast()
        confidence = Int(confidenceDigits)
      }
      return .redraw
    case .character(let scalar) where ("0"..."9").contains(scalar):
      return typeConfidence(Character(scalar))
    case .enter:
      return try submit()
    default:
      return .none
    }
  }

  func moveSlice(by delta: Int) -> ReadingAction {
    let target = min(max(0, sliceIndex + delta), max(0, slices.count - 1))
    guard target != sliceIndex else { return .none }
    sliceIndex = target
    loadSlice(resetWindow: false)
    return .redraw
  }

  func typeConfidence(_ digit: Character) -> ReadingAction {
    if scale == 5 {
      guard let value = Int(String(digit)), (1...5).contains(value) else {
        message = "confidence is 1 (unsure) to 5 (very sure)"
        return .redraw
      }
      confidence = value
      return .redraw
    }
    let candidate = confidenceDigits + String(digit)
    guard let value = Int(candidate), value <= 100 else {
      message = "confidence is 0 to 100"
      return .redraw
    }
    confidenceDigits = candidate == "0" ? "0" : String(value)
    confidence = value
    return .redraw
  }

  func handleGrade(_ key: Key) -> ReadingAction {
    switch key {
    case .character("g"), .escape, .enter:
      grading = false
    case .up:
      muscleIndex = (muscleIndex + gradedMuscles.count - 1) % gradedMuscles.count
    case .down:
      muscleIndex = (muscleIndex + 1) % gradedMuscles.count
    case .character(let scalar):
      let grade: String? = ["0": "0", "1": "1", "a": "2a", "b": "2b", "3": "3", "4": "4"][
        String(scalar)]
      if let grade {
        grades[gradedMuscles[muscleIndex]] = grade
        muscleIndex = (muscleIndex + 1) % gradedMuscles.count
      } else if scalar == "x" {
        grades[gradedMuscles[muscleIndex]] = nil
      } else {
        message = "grades: 0, 1, a (2a), b (2b), 3, 4; x clears"
      }
    default:
      return .none
    }
    return .redraw
  }

  /// Stores the answer, then opens the next unread case. In teaching mode
  /// it reveals the answer first. In an aided session the stored unaided
  /// answer is locked, and the model output is shown for the aided answer.
  func submit() throws -> ReadingAction {
    guard let index, let call, let confidence else {
      message = "answer y or n and give a confidence before Enter"
      return .redraw
    }
    let now = Date()
    let gradeText = gradedMuscles.compactMap { muscle in
      grades[muscle].map { "\(muscle)=\($0)" }
    }.joined(separator: ";")
    let record = try store.append(
      ReadRecord(
        id: 0, sessionID: plan.session.id, pseudonym: plan.session.order[index],
        position: index + 1, call: call, subtype: subtype, confidence: confidence,
        grades: gradeText.isEmpty ? nil : gradeText, openedAt: Clock.format(openedAt),
        submittedAt: Clock.format(now),
        durationSeconds: (now.timeIntervalSince(openedAt) * 1000).rounded() / 1000,
        windowCenter: image == nil ? nil : window.center,
        windowWidth: image == nil ? nil : window.width, slice: sliceIndex, amends: nil,
        previousHash: "", hash: "", modality: phase == .aided ? "aided" : "unaided"))

    if kind == "aided" && phase == .unaided {
      // The unaided answer is stored before anything of the model is
      // drawn; the aided answer's time starts when the model appears.
      plan.awaitingAided.insert(record.pseudonym)
      lockedRead = record
      phase = .aided
      clearForm()
      openedAt = Date()
      return .redraw
    }

    plan.awaitingAided.remove(record.pseudonym)
    plan.answered.insert(record.pseudonym)
    if kind == "teaching" {
      score.total += 1
      if answers[record.pseudonym]?.diseased == call { score.correct += 1 }
      revealed = record
      revealedGrades = try study.teachingGrades(of: record.pseudonym)
      return .redraw
    }
    let order = plan.session.order
    let next = order.indices.first { $0 > index && !plan.answered.contains(order[$0]) }
      ?? order.indices.first { !plan.answered.contains(order[$0]) }
    try open(next)
    return .redraw
  }
}
