import Foundation
import MyoImaging

/// Draws the viewer screen into a cell grid: the case list on the left,
/// the slice with its orientation labels on the right and the status line
/// at the bottom.
public enum ViewerLayout {
  /// Draws the whole screen.
  public static func draw(
    _ state: ViewerState, into grid: inout CellGrid, theme: Theme = .dark,
    previous: CellGrid? = nil
  ) {
    let background = Cell(" ", foreground: theme.text, background: theme.background)
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: grid.height),
      with: background)
    guard grid.width >= 20, grid.height >= 5 else {
      grid.write(
        "window too small", x: 0, y: 0, foreground: theme.error,
        background: theme.background)
      return
    }
    let listWidth = min(28, max(12, grid.width / 5))
    drawCaseList(state, into: &grid, width: listWidth, theme: theme)
    let view = CellRect(
      x: listWidth + 1, y: 0, width: grid.width - listWidth - 1,
      height: grid.height - 1)
    let statusText = drawSlice(
      state, into: &grid, rect: view, theme: theme, previous: previous)
    drawStatus(statusText, into: &grid, theme: theme)
  }

  static func drawCaseList(
    _ state: ViewerState, into grid: inout CellGrid, width: Int, theme: Theme
  ) {
    grid.write(
      "Cases (\(state.cases.count))", x: 1, y: 0, foreground: theme.accent,
      background: theme.background, style: .bold, maxWidth: width - 1)
    let visible = grid.height - 3
    let first = max(0, min(state.caseIndex - visible / 2, state.cases.count - visible))
    for (row, index) in (first..<min(state.cases.count, first + visible)).enumerated() {
      let selected = index == state.caseIndex
      let back = selected ? theme.selection : theme.background
      if selected {
        grid.fill(
          CellRect(x: 0, y: row + 1, width: width, height: 1),
          with: Cell(" ", foreground: theme.text, background: back))
      }
      grid.write(
        state.cases[index].name, x: 1, y: row + 1,
        foreground: selected ? RGB.white : theme.text, background: back,
        style: selected ? .bold : [], maxWidth: width - 2)
    }
    for row in 0..<(grid.height - 1) {
      grid[width, row] = Cell(
        "\u{2502}", foreground: theme.dim, background: theme.background)
    }
  }

  /// Draws the slice or its error and returns the status line text.
  static func drawSlice(
    _ state: ViewerState, into grid: inout CellGrid, rect: CellRect,
    theme: Theme, previous: CellGrid?
  ) -> String {
    guard let entry = state.currentCase else {
      grid.write(
        "no cases found", x: rect.x + 1, y: rect.y + 1,
        foreground: theme.error, background: theme.background)
      return "no cases"
    }
    let slices = state.slices
    var status = "\(entry.name)  slice \(min(state.sliceIndex + 1, slices.count))/\(slices.count)"
    guard let result = state.currentImage else {
      grid.write(
        "no slices in this case", x: rect.x + 1, y: rect.y + 1,
        foreground: theme.error, background: theme.background)
      return status
    }
    // Orientation labels take one row above and below and one column on
    // each side of the image area.
    let imageArea = CellRect(
      x: rect.x + 2, y: rect.y + 1, width: rect.width - 4,
      height: rect.height - 2)
    switch result {
    case .failure(let error):
      drawError(error, into: &grid, rect: imageArea, theme: theme)
      status += "  unreadable"
    case .success(let image):
      let window = state.window(for: image)
      let drawn = SliceRenderer.draw(
        image, display: SliceDisplay(window: window), into: &grid,
        rect: imageArea, background: theme.background,
        ascii: state.colorMode == .none, previous: previous)
      drawEdges(image.edges, around: drawn, into: &grid, theme: theme)
      status +=
        "  W \(format(window.width)) L \(format(window.center))"
        + "  \(image.width)x\(image.height)"
    }
    return status
  }

  static func drawEdges(
    _ edges: EdgeLabels, around rect: CellRect, into grid: inout CellGrid,
    theme: Theme
  ) {
    let middleRow = rect.y + rect.height / 2
    let middleColumn = rect.x + rect.width / 2
    let put = { (text: String, x: Int, y: Int, grid: inout CellGrid) in
      grid.write(
        text, x: x, y: y, foreground: theme.accent,
        background: theme.background, style: .bold, maxWidth: 2)
    }
    put(edges.left, rect.x - 2, middleRow, &grid)
    put(edges.right, rect.x + rect.width + 1, middleRow, &grid)
    put(edges.top, middleColumn, rect.y - 1, &grid)
    put(edges.bottom, middleColumn, rect.y + rect.height, &grid)
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
    _ text: String, into grid: inout CellGrid, theme: Theme
  ) {
    let row = grid.height - 1
    grid.fill(
      CellRect(x: 0, y: row, width: grid.width, height: 1),
      with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    grid.write(
      " " + text, x: 0, y: row, foreground: theme.text,
      background: theme.statusBackground)
    let hint = "j/k case  [ ] slice  w/W l/L window  r reset  q quit "
    if grid.width - hint.count > text.count + 3 {
      grid.write(
        hint, x: grid.width - hint.count, y: row, foreground: theme.dim,
        background: theme.statusBackground)
    }
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
