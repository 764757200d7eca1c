import Foundation
import MyoTerminal

/// Shows a report, with its terminal ROC drawing, as a scrolling page in
/// the full-screen interface.
public final class ReportPage {
  /// The lines of the report.
  public let lines: [String]
  /// The first line shown.
  public private(set) var top = 0

  /// Creates a page for `text`.
  public init(text: String) {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// Handles one key: Up, Down, PgUp, PgDn, Home and End scroll, q quits.
  public func handle(_ key: Key, height: Int) -> ReadingAction {
    let page = max(1, height - 2)
    let last = max(0, lines.count - page)
    let before = top
    switch key {
    case .character("q"), .character("\u{3}"), .escape: return .quit
    case .up, .character("k"): top -= 1
    case .down, .character("j"): top += 1
    case .pageUp: top -= page
    case .pageDown, .character(" "): top += page
    case .home: top = 0
    case .end: top = last
    case .resize: return .redraw
    default: return .none
    }
    top = min(max(0, top), last)
    return top == before ? .none : .redraw
  }

  /// Draws the visible lines, a title bar and a status line into `grid`.
  public func draw(into grid: inout CellGrid, title: String) {
    let theme = Theme.dark
    grid.fill(
      CellRect(x: 0, y: 0, width: grid.width, height: grid.height),
      with: Cell(" ", foreground: theme.text, background: theme.background))
    for row in [0, grid.height - 1] {
      grid.fill(
        CellRect(x: 0, y: row, width: grid.width, height: 1),
        with: Cell(" ", foreground: theme.text, background: theme.statusBackground))
    }
    grid.write(
      " " + title, x: 0, y: 0, foreground: theme.accent,
      background: theme.statusBackground, style: .bold)
    let page = max(1, grid.height - 2)
    for (offset, line) in lines.dropFirst(top).prefix(page).enumerated() {
      grid.write(line, x: 1, y: 1 + offset, foreground: theme.text, background: theme.background)
    }
    let end = min(lines.count, top + page)
    grid.write(
      " lines \(top + 1)-\(end) of \(lines.count)   Up/Down PgUp/PgDn scroll   q quit",
      x: 0, y: grid.height - 1, foreground: theme.dim, background: theme.statusBackground)
  }

  /// Runs the page until q and restores the terminal.
  public func run(title: String, colorPreference: ColorMode? = nil) throws -> Int32 {
    ReadingSignals.install()
    let terminal = try Terminal(preference: colorPreference)
    defer { terminal.stop() }
    var needsRedraw = true
    while true {
      if let signal = ReadingSignals.pending() { return 128 + signal }
      let (width, height) = terminal.size
      if needsRedraw {
        var grid = CellGrid(
          width: width, height: height,
          fill: Cell(" ", foreground: Theme.dark.text, background: Theme.dark.background))
        draw(into: &grid, title: title)
        terminal.present(grid)
        needsRedraw = false
      }
      guard let key = terminal.readKey(timeoutMilliseconds: 200) else { continue }
      switch handle(key, height: height) {
      case .quit: return 0
      case .redraw: needsRedraw = true
      case .none: break
      }
    }
  }
}
