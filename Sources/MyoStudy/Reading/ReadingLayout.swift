import Foundation
import MyoImaging
import MyoTerminal

/// Draws the reading interface into a cell grid: a title bar, the image,
/// the answer form and a status line. Before an answer is stored it shows
/// only the pseudonym, the progress and the pixels: no truth, no model
/// output, no other reader's answers and no text from the image files.
/// The model output (probability and class activation map) appears only
/// in the aided phase, after the unaided answer is stored, and in teaching
/// mode after an answer, with the truth, the muscle labels and grades.
public enum ReadingLayout {
  /// The width of the form panel in columns.
  static let panelWidth = 36

  /// Draws `state` into `grid`; `mode` is the terminal's colour mode,
  /// which the slice's palette quantization follows.
  public static func draw(
    _ state: ReadingState, into grid: inout CellGrid, now: Date = Date(),
    mode: ColorMode = .truecolor, unicode: Bool = true
  ) {
    let theme = Theme.dark
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: grid.height),
      with: Cell(" ", foreground: theme.text, background: theme.background))
    drawTitle(state, into: &grid, now: now)
    drawBody(state, into: &grid, total: state.plan.progress.total, mode: mode, unicode: unicode)
  }

  /// Draws the title bar alone: the run loop redraws it each second to
  /// advance the reading timer without rendering the image again.
  public static func drawTitle(_ state: ReadingState, into grid: inout CellGrid, now: Date = Date()) {
    let theme = Theme.dark
    let (done, total) = state.plan.progress
    var title = " myoscope read (blinded)"
    if state.kind == "teaching" {
      title = " myoscope teach"
    } else if state.phase == .aided {
      title = " myoscope read (aided: model shown)"
    }
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

  static func drawBody(
    _ state: ReadingState, into grid: inout CellGrid, total: Int, mode: ColorMode,
    unicode: Bool
  ) {
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
      drawSlice(state, image: image, into: &grid, rect: imageRect, mode: mode, unicode: unicode)
    } else if let error = state.imageError {
      grid.write(error, x: 1, y: 2, foreground: theme.error, background: theme.background,
        maxWidth: imageWidth - 2)
    }

    var lines: [(String, Bool)] = []
    if let read = state.revealed {
      lines = revealLines(state, read)
    } else if state.phase == .aided {
      lines = aidedLines(state) + formLines(state)
    } else {
      lines = formLines(state)
    }
    let x = imageWidth + 1
    // Long lines, such as a demo model's label, wrap at spaces onto
    // indented continuation lines.
    var wrapped: [(String, Bool)] = []
    for (text, bold) in lines {
      var rest = Substring(text)
      var first = true
      while !rest.isEmpty {
        let width = max(8, panelWidth - (first ? 0 : 4))
        var piece = rest.prefix(width)
        if piece.count < rest.count, let space = piece.lastIndex(of: " "),
          space > piece.startIndex
        {
          piece = rest[rest.startIndex..<space]
        }
        wrapped.append(((first ? "" : "    ") + piece, bold))
        rest = rest[piece.endIndex...].drop { $0 == " " }
        first = false
      }
      if text.isEmpty { wrapped.append(("", bold)) }
    }
    for (offset, line) in wrapped.enumerated() where offset + 2 < grid.height - 1 {
      grid.write(
        line.0, x: x, y: 2 + offset, foreground: line.1 ? theme.accent : theme.text,
        background: theme.background, maxWidth: panelWidth)
    }
    var status = state.message ?? "Enter submit   q quit (submitted answers are saved)"
    if state.message == nil, state.revealed != nil {
      status = "up/down slice   h heatmap   l labels   q quit   any other key: next case"
    } else if state.message == nil, state.phase == .aided {
      status = "Enter submits the aided answer   h heatmap   q quit (answers are saved)"
    }
    grid.fill(
      CellRect(x: 0, y: grid.height - 1, width: grid.width, height: 1),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    grid.write(
      " " + status, x: 0, y: grid.height - 1,
      foreground: state.message == nil ? theme.dim : theme.error,
      background: theme.statusBackground)
  }

  /// Draws the slice through the viewer's composer, with the class
  /// activation map once the model is shown and the muscle labels on a
  /// revealed teaching case.
  static func drawSlice(
    _ state: ReadingState, image: ScalarImage, into grid: inout CellGrid, rect: CellRect,
    mode: ColorMode, unicode: Bool
  ) {
    let theme = Theme.dark
    var composition = SliceComposition(image: image, display: SliceDisplay(window: state.window))
    let labelIDs = state.revealed != nil && state.showLabels ? state.labelIDs : nil
    if let ids = labelIDs {
      var colours: [UInt16: RGB] = [:]
      for id in Set(ids) where id != 0 { colours[id] = LabelMaps.colour(for: id) }
      composition.labels = LabelLayer(ids: ids, colours: colours, opacity: 0.4)
    }
    if state.modelShown, state.showHeatmap, let cam = state.sliceOutput?.cam {
      let overlay = cam.overlay(scaling: .minMax)
      if !overlay.isAllNegative {
        composition.heatmap = HeatmapLayer(
          values: overlay.values,
          region: PixelRect(
            x: cam.crop.x, y: cam.crop.y, width: cam.crop.width, height: cam.crop.height),
          colorMap: theme.heatmap, opacity: 0.45)
      }
    }
    // The orientation labels take two columns on each side and one row
    // above and below the image.
    let imageArea = CellRect(
      x: rect.x + 2, y: rect.y + 1, width: max(1, rect.width - 4),
      height: max(1, rect.height - 2))
    let composed = SliceComposer.draw(
      composition, into: &grid, rect: imageArea, background: theme.background, mode: mode,
      unicode: unicode)
    ViewerLayout.drawEdges(image.edges, around: composed.cells, into: &grid, theme: theme)
    if let ids = labelIDs {
      LabelMaps.drawNames(
        ids: ids, imageWidth: image.width, legend: state.labelLegend, composed: composed,
        into: &grid)
    }
  }

  /// Lists the locked answer and the model output above the aided form.
  static func aidedLines(_ state: ReadingState) -> [(String, Bool)] {
    var lines: [(String, Bool)] = []
    if let locked = state.lockedRead {
      let subtype = locked.subtype.map { " \($0)" } ?? ""
      lines.append((
        "Unaided (locked): \(locked.call ? "yes" : "no")\(subtype), conf. \(locked.confidence)",
        false))
    }
    lines += modelLines(state)
    lines.append(("Aided answer, with the model:", true))
    return lines
  }

  /// Lists the model's probabilities and the heatmap's state.
  static func modelLines(_ state: ReadingState) -> [(String, Bool)] {
    guard let output = state.caseOutput else {
      return [("Model: not run yet (study predict)", false)]
    }
    var lines: [(String, Bool)] = [
      (String(format: "Model probability: %.2f (case)", output.probability), true)
    ]
    if let label = state.caseBundleLabel {
      lines.append(("  model: \(label.name)", false))
      if let demo = label.demoLabel { lines.append(("  DEMO: \(demo)", true)) }
    }
    if let slice = state.sliceOutput {
      lines.append((String(format: "  this slice: %.2f", slice.probability), false))
      if slice.cam == nil {
        lines.append(("  heatmap: none for this slice", false))
      } else if slice.cam?.isAllNegative == true {
        lines.append(("  heatmap: all negative here", false))
      } else {
        lines.append(("  heatmap \(state.showHeatmap ? "on" : "off") (CAM)  h toggles", false))
      }
    }
    return lines
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
      lines.append(("  0 1 a b 3 4 grade and go to the next muscle (a = 2a, b = 2b), x clear, g done", false))
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
      if state.caseOutput != nil {
        lines += modelLines(state)
      } else if let probability = answer.probability {
        lines.append((String(format: "Model probability: %.2f", probability), false))
      } else {
        lines.append(("Model: not run yet (study predict)", false))
      }
    } else {
      lines.append(("No answer is recorded for this case", false))
    }
    if state.labelIDs != nil {
      lines.append(("Muscle labels \(state.showLabels ? "on" : "off")  l toggles", false))
    } else {
      lines.append(("No label map for this slice", false))
    }
    lines += gradeLines(state.revealedGrades)
    let percent = state.score.total == 0 ? 0 : 100 * state.score.correct / state.score.total
    lines.append(("Score: \(state.score.correct)/\(state.score.total) (\(percent)%)", true))
    lines.append(("Teaching reads never enter a study.", false))
    return lines
  }

  /// Lists the reference Mercuri grades, two muscles a line with the
  /// right and left grade of each.
  static func gradeLines(_ grades: [MuscleGrade]) -> [(String, Bool)] {
    guard !grades.isEmpty else { return [("Mercuri grades: not recorded", false)] }
    var muscles: [String] = []
    var bySide: [String: [String: String]] = [:]
    for grade in grades {
      if bySide[grade.muscle] == nil { muscles.append(grade.muscle) }
      bySide[grade.muscle, default: [:]][grade.side] = grade.grade
    }
    func cell(_ muscle: String) -> String {
      let right = bySide[muscle]?["R"] ?? bySide[muscle]?[""] ?? "-"
      let left = bySide[muscle]?["L"] ?? "-"
      let name = muscle.padding(toLength: 4, withPad: " ", startingAt: 0)
      let pair = "\(right)/\(left)".padding(toLength: 7, withPad: " ", startingAt: 0)
      return "\(name) \(pair)"
    }
    var lines: [(String, Bool)] = [("Mercuri grades, right/left:", true)]
    for start in stride(from: 0, to: muscles.count, by: 2) {
      let pair = muscles[start..<min(start + 2, muscles.count)].map(cell)
      lines.append(("  " + pair.joined(separator: "  "), false))
    }
    return lines
  }
}
