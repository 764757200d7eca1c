/// Text in the 3x5 pixel font, for the labels of the evaluation figures.
extension RGBCanvas {
  /// Draws `text` with its top-left corner at (x, y), each font pixel a
  /// square of `scale` pixels. Lower-case letters are drawn as capitals,
  /// and a character the font lacks as a dash.
  mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    Self.forEachFontPixel(of: text) { character, row, column in
      fill(
        x: x + (4 * character + column) * scale, y: y + row * scale, width: scale,
        height: scale, color: color)
    }
  }

  /// Draws `text` turned a quarter turn anticlockwise, reading upwards,
  /// with the start of its baseline at (x, y).
  mutating func verticalText(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    Self.forEachFontPixel(of: text) { character, row, column in
      fill(
        x: x + row * scale, y: y - (4 * character + column + 1) * scale + 1, width: scale,
        height: scale, color: color)
    }
  }

  /// Draws `text` centred on x.
  mutating func centredText(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    self.text(text, x: x - PixelFont.width(text, scale: scale) / 2, y: y, scale: scale, color: color)
  }

  /// Calls `body` with the character index, font row and font column of
  /// every set pixel of `text` in the 3x5 font. Lower-case letters are
  /// drawn as capitals, and a character the font lacks as a dash.
  private static func forEachFontPixel(
    of text: String, _ body: (_ character: Int, _ row: Int, _ column: Int) -> Void
  ) {
    for (index, character) in text.uppercased().enumerated() {
      let rows = PixelFont.glyphs[character] ?? PixelFont.glyphs["-"]!
      for (row, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
          body(index, row, column)
        }
      }
    }
  }
}
