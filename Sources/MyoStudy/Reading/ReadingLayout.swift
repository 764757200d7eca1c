import Foundation
import MyoImaging
import MyoTerminal

/// Draws the reading interface into a cell grid: a title bar, the image,
/// the answer form and a status line. It shows only the pseudonym, the
/// progress and the pixels: no truth (except in teaching mode after an
/// answer), no model output, no other reader's answers and no text from
/// the image files.
public enum ReadingLayout {
  /// The width of the form panel in columns.
  static let panelWidth = 36

  /// Draws `state` into `grid`.
  public static func draw(_ state: ReadingState, into grid: inout CellGrid, now: Date = Date()) {
    let theme = Theme.dark
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: grid.height),
      with: Cell(" ", foreground: theme.text, background: theme.background))
    drawTitle(state, into: &grid, now: now)
    let (done, total) = state.plan.progress
    _ = done
    drawBody(state, into: &grid, total: total)
  }

  /// Draws the title bar alone: the run loop redraws it each second to
  /// advance the reading timer without rendering the image again.
  public static func drawTitle(_ state: ReadingState, into grid: inout CellGrid, now: Date = Date()) {
    let theme = Theme.dark
    let (done, total) = state.plan.progress
    var title = state.kind == "teaching" ? " myoscope teach" : " myoscope read (blinded)"
    if let pseudonym = state.pseudonym {
      // While a teaching answer is shown, the title stays on its case.
      let position = state.revealed == nil ? min(done + 1, total) : done
      let seconds = Int(now.timeIntervalSince(state.openedAt))
      title += "   case \(position)/\(total)   \(pseudonym)"
        + String(format: "   %d:%02d", seconds / 60, seconds % 60)
    } else {
      title += "   \(done)/\(total) read"
    }
    if state.kind == "teaching" {
      title += "   score \(state.score.correct)/\(state.score.total)"
    }
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: 1),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    grid.write(
      title, x: 0, y: 0, foreground: theme.accent, background: theme.statusBackground,
      style: .bold)
  }

  static func drawBody(_ state: ReadingState, into grid: inout CellGrid, total: Int) {
    let theme = Theme.dark
    if state.finished {
      let lines = [
        "All \(total) cases of this session are read; every answer is saved.",
        "Press q to leave.",
      ]
      for (offset, line) in lines.enumerated() {
        grid.write(line, x: 2, y: 2 + offset, foreground: theme.text, background: theme.background)
      }
      return
    }

    let imageWidth = max(10, grid.width - panelWidth - 1)
    let imageRect = CellRect(x: 0, y: 1, width: imageWidth, height: max(1, grid.height - 2))
    if let image = state.image {
      SliceRenderer.draw(
        image, display: SliceDisplay(window: state.window), into: &grid, rect: imageRect,
        background: theme.background)
    } else if let error = state.imageError {
      grid.write(error, x: 1, y: 2, foreground: theme.error, background: theme.background,
        maxWidth: imageWidth - 2)
    }

    var lines: [(String, Bool)] = []
    if let read = state.revealed {
      lines = revealLines(state, read)
    } else {
      lines = formLines(state)
    }
    let x = imageWidth + 1
    for (offset, line) in lines.enumerated() where offset + 2 < grid.height - 1 {
      grid.write(
        line.0, x: x, y: 2 + offset, foreground: line.1 ? theme.accent : theme.text,
        background: theme.background, maxWidth: panelWidth)
    }
    let status = state.message ?? "Enter submit   q quit (submitted answers are saved)"
    grid.fill(
      CellRect(x: 0, y: grid.height - 1, width: grid.width, height: 1),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    grid.write(
      " " + status, x: 0, y: grid.height - 1,
      foreground: state.message == nil ? theme.dim : theme.error,
      background: theme.statusBackground)
  }

  static func formLines(_ state: ReadingState) -> [(String, Bool)] {
    var lines: [(String, Bool)] = []
    let callText = state.call.map { $0 ? "yes" : "no" } ?? "-"
    lines.append(("Dystrophinopathy?   y yes  n no", false))
    lines.append(("  answer: \(callText)", true))
    lines.append(("Subtype (optional)  d DMD  b BMD", false))
    lines.append(("  answer: \(state.subtype ?? "-")", true))
    let range = state.scale == 100 ? "0-100" : "1-5"
    lines.append(("Confidence \(range) (1 unsure, \(state.scale == 100 ? "100" : "5") sure)", false))
    lines.append(("  answer: \(state.confidence.map(String.init) ?? "-")", true))
    lines.append(("Mercuri grades (optional)  g", false))
    if state.grading {
      for (index, muscle) in gradedMuscles.enumerated() {
        let marker = index == state.muscleIndex ? ">" : " "
        let grade = state.grades[muscle] ?? "-"
        lines.append(("\(marker) \(muscle.padding(toLength: 20, withPad: " ", startingAt: 0)) \(grade)", index == state.muscleIndex))
      }
      lines.append(("  0 1 a b 3 4 grade, x clear, g done", false))
    } else {
      let given = gradedMuscles.filter { state.grades[$0] != nil }.count
      lines.append(("  \(given) of \(gradedMuscles.count) muscles graded", true))
    }
    lines.append(("", false))
    lines.append(("Slice \(state.sliceIndex + 1)/\(state.slices.count)   up/down", false))
    lines.append((
      String(format: "Window C %.0f W %.0f", state.window.center, state.window.width), false))
    lines.append(("  left/right width  [ ] level  r reset", false))
    lines.append(("", false))
    lines.append((state.canSubmit ? "Enter submits this answer" : "Answer y/n and a confidence", state.canSubmit))
    return lines
  }

  static func revealLines(_ state: ReadingState, _ read: ReadRecord) -> [(String, Bool)] {
    var lines: [(String, Bool)] = [("Answer for \(read.pseudonym)", true)]
    if let answer = state.answers[read.pseudonym] {
      let truth = answer.diseased ? "dystrophinopathy" : "another muscle disease"
      lines.append(("Truth: \(truth)", false))
      if let subtype = answer.subtype { lines.append(("  subtype: \(subtype)", false)) }
      let verdict = answer.diseased == read.call ? "correct" : "not correct"
      lines.append(("Your call: \(read.call ? "yes" : "no") (\(verdict))", true))
      if let probability = answer.probability {
        lines.append((String(format: "Model probability: %.2f", probability), false))
      } else {
        lines.append(("Model: not run yet (study predict)", false))
      }
    } else {
      lines.append(("No answer is recorded for this case", false))
    }
    let percent = state.score.total == 0 ? 0 : 100 * state.score.correct / state.score.total
    lines.append(("Score: \(state.score.correct)/\(state.score.total) (\(percent)%)", true))
    lines.append(("", false))
    lines.append(("Teaching reads never enter a study.", false))
    lines.append(("Any key: next case   q: quit", false))
    return lines
  }
}
