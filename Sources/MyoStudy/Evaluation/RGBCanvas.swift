import MyoImaging

/// An 8-bit RGB raster for the evaluation figures, written as PNG through
/// the imaging library's codec.
struct RGBCanvas {
  /// An RGB colour.
  struct Color: Equatable {
    var red: UInt8
    var green: UInt8
    var blue: UInt8

    static let white = Color(red: 255, green: 255, blue: 255)
    static let black = Color(red: 0, green: 0, blue: 0)
    static let grey = Color(red: 170, green: 170, blue: 170)
    static let lightGrey = Color(red: 225, green: 225, blue: 225)
    static let blue = Color(red: 31, green: 119, blue: 180)
    static let orange = Color(red: 255, green: 127, blue: 14)
    static let green = Color(red: 44, green: 160, blue: 44)
    static let red = Color(red: 214, green: 39, blue: 40)
  }

  let width: Int
  let height: Int
  /// `[height, width, 3]`
  private(set) var samples: [UInt8]

  init(width: Int, height: Int, background: Color = .white) {
    self.width = width
    self.height = height
    samples = [UInt8](repeating: 0, count: width * height * 3)
    fill(x: 0, y: 0, width: width, height: height, color: background)
  }

  /// Sets one pixel; pixels outside the canvas are ignored.
  mutating func set(_ x: Int, _ y: Int, _ color: Color) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let base = (y * width + x) * 3
    samples[base] = color.red
    samples[base + 1] = color.green
    samples[base + 2] = color.blue
  }

  /// Returns the colour of a pixel.
  func color(_ x: Int, _ y: Int) -> Color {
    let base = (y * width + x) * 3
    return Color(red: samples[base], green: samples[base + 1], blue: samples[base + 2])
  }

  mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
    for row in max(0, y)..<min(height, y + h) {
      for column in max(0, x)..<min(width, x + w) { set(column, row, color) }
    }
  }

  /// Draws the outline of a rectangle `thickness` pixels wide, inside it.
  mutating func frame(x: Int, y: Int, width w: Int, height h: Int, thickness: Int, color: Color) {
    fill(x: x, y: y, width: w, height: thickness, color: color)
    fill(x: x, y: y + h - thickness, width: w, height: thickness, color: color)
    fill(x: x, y: y, width: thickness, height: h, color: color)
    fill(x: x + w - thickness, y: y, width: thickness, height: h, color: color)
  }

  /// Draws a line with a square pen of side `thickness` (Bresenham);
  /// `dash` > 0 leaves gaps of that many steps after each dash.
  mutating func line(
    _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Color, thickness: Int = 1,
    dash: Int = 0
  ) {
    var x = x0
    var y = y0
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var error = dx + dy
    var step = 0
    let half = thickness / 2
    while true {
      if dash == 0 || (step / dash) % 2 == 0 {
        fill(x: x - half, y: y - half, width: thickness, height: thickness, color: color)
      }
      step += 1
      if x == x1 && y == y1 { break }
      let doubled = 2 * error
      if doubled >= dy {
        error += dy
        x += sx
      }
      if doubled <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// Encodes the canvas as PNG bytes.
  func png() throws -> [UInt8] {
    try PNGCodec.encodeRGB(samples, width: width, height: height)
  }
}
