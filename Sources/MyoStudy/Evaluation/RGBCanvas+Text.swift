/// Text in the 3x5 pixel font, for the labels of the evaluation figures.
extension RGBCanvas {
  /// Draws `text` with its top-left corner at (x, y), each font pixel a
  /// square of `scale` pixels. Lower-case letters are drawn as capitals,
  /// and a character the font lacks as a dash.
  mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    var cursor = x
    for character in text.uppercased() {
      let rows = PixelFont.glyphs[character] ?? PixelFont.glyphs["-"]!
      for (row, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
          fill(
            x: cursor + column * scale, y: y + row * scale, width: scale,
            height: scale, color: color)
        }
      }
      cursor += 4 * scale
    }
  }

  /// Draws `text` turned a quarter turn anticlockwise, reading upwards,
  /// with the start of its baseline at (x, y).
  mutating func verticalText(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    var cursor = y
    for character in text.uppercased() {
      let rows = PixelFont.glyphs[character] ?? PixelFont.glyphs["-"]!
      for (row, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
          fill(
            x: x + row * scale, y: cursor - (column + 1) * scale + 1, width: scale,
            height: scale, color: color)
        }
      }
      cursor -= 4 * scale
    }
  }

  /// Draws `text` centred on x.
  mutating func centredText(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
    self.text(text, x: x - PixelFont.width(text, scale: scale) / 2, y: y, scale: scale, color: color)
  }
}
