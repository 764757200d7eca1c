/// Writes a cell grid as text with ANSI SGR colour sequences, for output
/// that is not full-screen (`myoscope render`). Colours and attributes are
/// sent only when they change from the previous cell.
public enum ANSIWriter {
  /// The grid as lines of text ending in a reset and a newline.
  public static func text(_ grid: CellGrid, mode: ColorMode) -> String {
    var output = ""
    output.reserveCapacity(grid.width * grid.height * 8)
    for row in 0..<grid.height {
      var foreground: RGB?
      var background: RGB?
      var style: CellStyle?
      for column in 0..<grid.width {
        let cell = grid[column, row]
        if mode != .none {
          if style != cell.style {
            output += "\u{1B}[0m"
            if cell.style.contains(.bold) { output += "\u{1B}[1m" }
            if cell.style.contains(.reverse) { output += "\u{1B}[7m" }
            if cell.style.contains(.underline) { output += "\u{1B}[4m" }
            style = cell.style
            foreground = nil
            background = nil
          }
          // One SGR carries both colours when both change.
          var codes: [String] = []
          if foreground != cell.foreground {
            codes.append(parameters(cell.foreground, layer: 38, mode: mode))
            foreground = cell.foreground
          }
          if background != cell.background {
            codes.append(parameters(cell.background, layer: 48, mode: mode))
            background = cell.background
          }
          if !codes.isEmpty {
            output += "\u{1B}[" + codes.joined(separator: ";") + "m"
          }
        }
        output.unicodeScalars.append(cell.glyph)
      }
      output += mode == .none ? "\n" : "\u{1B}[0m\n"
    }
    return output
  }

  static func parameters(_ colour: RGB, layer: Int, mode: ColorMode)
    -> String
  {
    switch mode {
    case .truecolor:
      return "\(layer);2;\(colour.r);\(colour.g);\(colour.b)"
    case .palette256:
      return "\(layer);5;\(Palette256.index(of: colour))"
    case .none:
      return ""
    }
  }
}
