/// Writes a cell grid as text with ANSI SGR colour sequences, for output
/// that is not full-screen (`myoscope render`). Colours and attributes are
/// sent only when they change from the previous cell.
public enum ANSIWriter {
  /// The grid as lines of text, with one reset at the end. Colours carry
  /// over from one line to the next, because a newline does not change
  /// them.
  public static func text(_ grid: CellGrid, mode: ColorMode) -> String {
    var output = ""
    output.reserveCapacity(grid.width * grid.height * 8)
    var foreground: RGB?
    var background: RGB?
    var style: CellStyle?
    for row in 0..<grid.height {
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
      if mode != .none && row == grid.height - 1 { output += "\u{1B}[0m" }
      output += "\n"
    }
    return output
  }

  /// The palette index whose colour is exactly this gray level: the gray
  /// ramp 232 to 255 (8 + 10 k) or the cube's grays (0, 95, ..., 255).
  static func exactPaletteGray(_ level: UInt8) -> Int? {
    let value = Int(level)
    if value >= 8 && value <= 238 && (value - 8) % 10 == 0 {
      return 232 + (value - 8) / 10
    }
    if let cube = Palette256.cubeLevels.firstIndex(of: value) {
      return 16 + 43 * cube
    }
    return nil
  }

  static func parameters(_ colour: RGB, layer: Int, mode: ColorMode)
    -> String
  {
    switch mode {
    case .truecolor:
      // A gray that is one of the palette's grays has a shorter code
      // (38;5;N) with the same colour.
      if colour.r == colour.g && colour.g == colour.b,
        let index = exactPaletteGray(colour.r)
      {
        return "\(layer);5;\(index)"
      }
      return "\(layer);2;\(colour.r);\(colour.g);\(colour.b)"
    case .palette256:
      return "\(layer);5;\(Palette256.index(of: colour))"
    case .none:
      return ""
    }
  }
}
