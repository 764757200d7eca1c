import Foundation
import MyoImaging
import MyoNeural

/// Draws the viewer screen into a cell grid: the case list on the left,
/// the slice with its orientation labels in the middle, the info panel on
/// the right when there is room, the status line at the bottom, and the
/// help overlay on top.
public enum ViewerLayout {
  /// The narrowest screen that shows the info panel beside the slice.
  static let infoPanelMinimumWidth = 100
  /// Columns of the info panel.
  static let infoPanelWidth = 30

  /// Draws the whole screen. `previous` is the grid on screen, which lets
  /// unchanged image cells stay exactly as they are.
  public static func draw(
    _ state: ViewerState, into grid: inout CellGrid,
    previous: CellGrid? = nil
  ) {
    let theme = state.theme
    let background = Cell(
      " ", foreground: theme.text, background: theme.background)
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: grid.height),
      with: background)
    guard grid.width >= 40, grid.height >= 10 else {
      grid.write(
        "window too small: 40 x 10 at least", x: 0, y: 0,
        foreground: theme.error, background: theme.background)
      return
    }
    let listWidth = min(28, max(14, grid.width / 6))
    drawCaseList(state, into: &grid, width: listWidth)
    let showInfo = state.showInfo && grid.width >= infoPanelMinimumWidth
    let infoWidth = showInfo ? infoPanelWidth : 0
    let view = CellRect(
      x: listWidth + 1, y: 0,
      width: grid.width - listWidth - 1 - infoWidth, height: grid.height - 1)
    let image = drawSlice(state, into: &grid, rect: view, previous: previous)
    var legendInPanel = false
    if showInfo {
      legendInPanel = InfoPanel.draw(
        state, image: image, into: &grid,
        rect: CellRect(
          x: grid.width - infoWidth, y: 0, width: infoWidth,
          height: grid.height - 1))
    }
    if !legendInPanel && state.showHeatmap {
      drawCompactLegend(state, into: &grid, rect: view)
    }
    drawStatus(state, image: image, into: &grid)
    if state.showHelp { HelpOverlay.draw(into: &grid, theme: theme) }
  }

  static func drawCaseList(
    _ state: ViewerState, into grid: inout CellGrid, width: Int
  ) {
    let theme = state.theme
    let visible = state.visibleCases
    var title = "Cases (\(visible.count))"
    if state.editingFilter || !state.filter.isEmpty {
      title = "/" + state.filter + (state.editingFilter ? "_" : "")
    }
    grid.write(
      title, x: 1, y: 0, foreground: theme.accent,
      background: theme.background, style: .bold, maxWidth: width - 1)
    let rows = grid.height - 3
    let position = visible.firstIndex(of: state.caseIndex) ?? 0
    let first = max(0, min(position - rows / 2, visible.count - rows))
    state.geometry.list = CellRect(x: 0, y: 1, width: width, height: rows)
    state.geometry.listFirst = first
    if visible.isEmpty && !state.filter.isEmpty {
      grid.write(
        "no case matches", x: 1, y: 1, foreground: theme.error,
        background: theme.background, maxWidth: width - 1)
      grid.write(
        "Esc clears", x: 1, y: 2, foreground: theme.dim,
        background: theme.background, maxWidth: width - 1)
    }
    for row in 0..<min(rows, max(0, visible.count - first)) {
      let index = visible[first + row]
      let entry = state.cases[index]
      let selected = index == state.caseIndex
      let back = selected ? theme.selection : theme.background
      if selected {
        grid.fill(
          CellRect(x: 0, y: row + 1, width: width, height: 1),
          with: Cell(" ", foreground: theme.text, background: back))
      }
      // Marks: a dot for cases opened, the probability for classified.
      let mark = state.readCases.contains(index) ? "\u{00B7}" : " "
      grid.write(
        mark, x: 0, y: row + 1, foreground: theme.dim, background: back)
      var nameWidth = width - 2
      if let result = state.classifications[entry.path] {
        let text = String(format: "%3.0f%%", result.probability * 100)
        grid.write(
          text, x: width - 5, y: row + 1, foreground: theme.accent,
          background: back)
        nameWidth -= 5
      }
      grid.write(
        entry.name, x: 1, y: row + 1,
        foreground: selected ? theme.text : theme.text, background: back,
        style: selected ? .bold : [], maxWidth: nameWidth)
    }
    for row in 0..<(grid.height - 1) {
      grid[width, row] = Cell(
        "\u{2502}", foreground: theme.dim, background: theme.background)
    }
  }

  /// Draws the slice or its error; returns the image when it was drawn.
  static func drawSlice(
    _ state: ViewerState, into grid: inout CellGrid, rect: CellRect,
    previous: CellGrid?
  ) -> ScalarImage? {
    let theme = state.theme
    state.geometry.slice = nil
    guard state.currentCase != nil else {
      grid.write(
        "no cases match the filter", x: rect.x + 1, y: rect.y + 1,
        foreground: theme.error, background: theme.background)
      return nil
    }
    guard let result = state.currentImage else {
      grid.write(
        "no slices in this case", x: rect.x + 1, y: rect.y + 1,
        foreground: theme.error, background: theme.background)
      return nil
    }
    // Orientation labels take one row above and below and two columns on
    // each side of the image area.
    let imageArea = CellRect(
      x: rect.x + 2, y: rect.y + 1, width: rect.width - 4,
      height: rect.height - 2)
    switch result {
    case .failure(let error):
      drawError(error, into: &grid, rect: imageArea, theme: theme)
      return nil
    case .success(let image):
      let composition = compose(state, image: image)
      let composed = SliceComposer.draw(
        composition, into: &grid, rect: imageArea,
        background: theme.background, mode: state.colorMode,
        dithering: state.dithering, previous: previous,
        unicode: state.unicode)
      state.geometry.slice = composed
      drawEdges(image.edges, around: composed.cells, into: &grid, theme: theme)
      if state.showLabels {
        drawLabelNames(state, image: image, composed: composed, into: &grid)
      }
      return image
    }
  }

  /// The slice with the overlays that are switched on.
  static func compose(_ state: ViewerState, image: ScalarImage)
    -> SliceComposition
  {
    var composition = SliceComposition(
      image: image,
      display: SliceDisplay(window: state.window(for: image), invert: state.invert))
    composition.zoom = state.zoom
    composition.center = state.center
    if state.showLabels, let ids = state.labelIDs(for: image) {
      var colours: [UInt16: RGB] = [:]
      for id in Set(ids) where id != 0 { colours[id] = LabelMaps.colour(for: id) }
      composition.labels = LabelLayer(ids: ids, colours: colours, opacity: 0.4)
    }
    if state.showHeatmap, let cam = currentCAM(state) {
      let overlay = cam.overlay(scaling: .minMax)
      if !overlay.isAllNegative {
        composition.heatmap = HeatmapLayer(
          values: overlay.values,
          region: PixelRect(
            x: cam.crop.x, y: cam.crop.y, width: cam.crop.width,
            height: cam.crop.height),
          colorMap: state.theme.heatmap, opacity: state.heatmapOpacity)
      }
    }
    if state.showROI, let roi = state.roi(for: image) {
      composition.boxes += ROIBoxes.boxes(roi, theme: state.theme)
    }
    return composition
  }

  /// The class activation map of the shown slice, if classified.
  static func currentCAM(_ state: ViewerState) -> CAMMap? {
    state.currentClassification?.slice(at: state.sliceIndex)?.cam
  }

  /// Writes each visible muscle's abbreviation at its centre.
  static func drawLabelNames(
    _ state: ViewerState, image: ScalarImage, composed: ComposedSlice,
    into grid: inout CellGrid
  ) {
    guard let ids = state.labelIDs(for: image), let source = state.currentSource
    else { return }
    LabelMaps.drawNames(
      ids: ids, imageWidth: image.width, legend: LabelMaps.legend(for: source),
      composed: composed, into: &grid)
  }

  /// Writes the orientation labels beside the image's cells: two columns
  /// left and right of `rect` and one row above and below it.
  public static func drawEdges(
    _ edges: EdgeLabels, around rect: CellRect, into grid: inout CellGrid,
    theme: Theme
  ) {
    let middleRow = rect.y + rect.height / 2
    let middleColumn = rect.x + rect.width / 2
    func put(_ text: String, _ x: Int, _ y: Int) {
      grid.write(
        text, x: x, y: y, foreground: theme.accent,
        background: theme.background, style: .bold, maxWidth: 2)
    }
    put(edges.left, rect.x - 2, middleRow)
    put(edges.right, rect.x + rect.width + 1, middleRow)
    put(edges.top, middleColumn, rect.y - 1)
    put(edges.bottom, middleColumn, rect.y + rect.height)
  }

  /// Draws the heatmap's colour scale with its end values in the bottom
  /// row of the slice view, left of the orientation label, when the info
  /// panel is hidden or too short to show its legend.
  static func drawCompactLegend(
    _ state: ViewerState, into grid: inout CellGrid, rect: CellRect
  ) {
    guard let cam = currentCAM(state), !cam.isAllNegative else { return }
    let theme = state.theme
    let row = rect.y + rect.height - 1
    let lowText = String(format: "%.2f", cam.values.min() ?? 0)
    let highText = String(format: "%.2f", cam.values.max() ?? 0)
    // The space left of the centred orientation label, less the values.
    let available = rect.width / 2 - 3 - lowText.count - highText.count - 2
    let barWidth = min(16, available)
    guard barWidth >= 4 else { return }
    var x = rect.x + 1
    x += grid.write(
      lowText + " ", x: x, y: row, foreground: theme.text,
      background: theme.background)
    for column in 0..<barWidth {
      let colour = theme.heatmap.colour(Float(column) / Float(barWidth - 1))
      grid[x + column, row] = Cell(" ", foreground: colour, background: colour)
    }
    x += barWidth
    x += grid.write(
      " " + highText, x: x, y: row, foreground: theme.text,
      background: theme.background)
    // The colour map's name when it fits left of the orientation label.
    let name = " " + theme.heatmap.name
    if x + name.count < rect.x + rect.width / 2 - 1 {
      grid.write(
        name, x: x, y: row, foreground: theme.dim, background: theme.background)
    }
  }

  static func drawError(
    _ error: ImagingError, into grid: inout CellGrid, rect: CellRect,
    theme: Theme
  ) {
    let lines = wrap("\(error)", width: max(10, rect.width - 4))
    let top = rect.y + max(0, (rect.height - lines.count) / 2)
    for (index, line) in lines.enumerated() {
      grid.write(
        line, x: rect.x + 2, y: top + index, foreground: theme.error,
        background: theme.background, maxWidth: rect.width - 2)
    }
  }

  static func drawStatus(
    _ state: ViewerState, image: ScalarImage?, into grid: inout CellGrid
  ) {
    let theme = state.theme
    let row = grid.height - 1
    grid.fill(
      CellRect(x: 0, y: row, width: grid.width, height: 1),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    var parts: [String] = []
    if let entry = state.currentCase {
      parts.append(entry.name)
      let count = state.slices.count
      parts.append("slice \(min(state.sliceIndex + 1, count))/\(count)")
    }
    if let image {
      let window = state.window(for: image)
      parts.append("W \(format(window.width)) L \(format(window.center))")
      parts.append(state.zoom == 1 ? "fit" : String(format: "zoom %.1fx", state.zoom))
      if state.invert { parts.append("inverted") }
    } else if state.currentImage != nil {
      parts.append("unreadable")
    }
    if state.cine { parts.append("cine") }
    parts.append(classifierStatus(state))
    if state.showHeatmap && currentCAM(state) != nil {
      parts.append(
        "CAM \(state.theme.heatmap.name) "
          + String(format: "%.0f%%", state.heatmapOpacity * 100))
    }
    var text = " " + parts.joined(separator: "  ")
    if let message = state.message { text += "  " + message }
    grid.write(
      text, x: 0, y: row, foreground: theme.text,
      background: theme.statusBackground)
    let hint = "? help  q quit "
    if grid.width - hint.count > text.count + 2 {
      grid.write(
        hint, x: grid.width - hint.count, y: row, foreground: theme.dim,
        background: theme.statusBackground)
    }
  }

  /// The classifier's state: idle, a progress bar while running, or the
  /// case probability.
  static func classifierStatus(_ state: ViewerState) -> String {
    if let job = state.job {
      let progress = job.progress
      let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 0
      let filled = Int((fraction * 10).rounded())
      let bar = String(repeating: "\u{2588}", count: filled)
        + String(repeating: "\u{2591}", count: 10 - filled)
      // Name the case when the job runs on another than the one shown.
      let other =
        job.casePath == state.currentCase?.path
        ? "" : (job.casePath as NSString).lastPathComponent + " "
      return "classifying \(other)\(bar) \(progress.done)/\(progress.total) (Esc cancels)"
    }
    if let result = state.currentClassification {
      // A demo bundle is marked DEMO wherever its output shows, also where
      // the info panel with its full label is hidden.
      let demo = (try? state.model.classifier())?.demoLabel != nil
      return (demo ? "DEMO " : "") + String(format: "p=%.2f", result.probability)
        + (result.classification.isPositive ? " dystrophinopathy" : " other")
    }
    return "c classify"
  }

  static func format(_ value: Double) -> String {
    abs(value) >= 100 || value == value.rounded()
      ? String(Int(value.rounded())) : String(format: "%.1f", value)
  }

  /// Splits text into lines of at most `width` characters at spaces.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
      while current.count > width {
        lines.append(String(current.prefix(width)))
        current = String(current.dropFirst(width))
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }
}
