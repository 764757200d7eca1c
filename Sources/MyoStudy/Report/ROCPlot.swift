import Foundation
import MyoImaging

/// Draws the model's ROC curve with each reader's operating point
/// (1 - specificity, sensitivity), as a PNG and as terminal text.
public enum ROCPlot {
  /// The colours of the readers' markers, in reader order.
  static let palette: [(UInt8, UInt8, UInt8)] = [
    (230, 120, 20), (40, 160, 60), (210, 40, 40), (140, 90, 190),
    (140, 86, 75), (220, 100, 180), (120, 120, 120), (190, 190, 30),
  ]

  /// An operating point of a human arm.
  struct Marker {
    var label: String
    var x: Double
    var y: Double
  }

  static func markers(_ analysis: StudyAnalysis) -> [Marker] {
    // The modality is left out of a first unaided session's label unless
    // the study also has aided arms to tell it from.
    let hasAided = analysis.arms.contains { $0.modality.hasPrefix("aided") }
    return analysis.arms.filter { !$0.isModel }.compactMap { arm in
      guard let sens = arm.table.sensitivity.estimate,
        let spec = arm.table.specificity.estimate
      else { return nil }
      let label =
        arm.modality == "unaided" && !hasAided
        ? arm.reader : "\(arm.reader) \(arm.modality)"
      return Marker(label: label, x: 1 - spec, y: sens)
    }
  }

  /// Renders the figure as PNG bytes (720 x 640 pixels).
  public static func png(_ analysis: StudyAnalysis) throws -> [UInt8] {
    var canvas = Canvas(width: 720, height: 640)
    let left = 80
    let top = 30
    let side = 540
    func px(_ x: Double) -> Int { left + Int((x * Double(side)).rounded()) }
    func py(_ y: Double) -> Int { top + side - Int((y * Double(side)).rounded()) }

    for tick in 0...10 {
      let value = Double(tick) / 10
      canvas.line(px(value), py(0), px(value), py(1), (225, 225, 225))
      canvas.line(px(0), py(value), px(1), py(value), (225, 225, 225))
      let label = String(format: "%.1f", value)
      canvas.text(label, x: px(value) - PixelFont.width(label, scale: 2) / 2, y: py(0) + 10,
        scale: 2, (60, 60, 60))
      canvas.text(label, x: left - 12 - PixelFont.width(label, scale: 2), y: py(value) - 5,
        scale: 2, (60, 60, 60))
    }
    canvas.line(px(0), py(0), px(1), py(1), (170, 170, 170))
    canvas.rectangle(px(0), py(1), px(1), py(0), (0, 0, 0))
    canvas.text("1 - SPECIFICITY", x: left + side / 2 - PixelFont.width("1 - SPECIFICITY", scale: 3) / 2,
      y: py(0) + 36, scale: 3, (0, 0, 0))
    canvas.verticalText("SENSITIVITY", x: 14, y: top + side / 2 + PixelFont.width("SENSITIVITY", scale: 3) / 2,
      scale: 3, (0, 0, 0))

    let entries = markers(analysis).count + 1
    var legendY = py(0) - 8 - 22 * entries
    if let model = analysis.arms.first(where: \.isModel) {
      let points = model.roc
      for (a, b) in zip(points, points.dropFirst()) {
        canvas.thickLine(px(a.falsePositiveRate), py(a.truePositiveRate),
          px(b.falsePositiveRate), py(b.truePositiveRate), (31, 119, 180))
      }
      let auc = model.auc.map { String(format: "%.3f", $0.area) } ?? "N/E"
      canvas.thickLine(px(0.5), legendY + 5, px(0.56), legendY + 5, (31, 119, 180))
      canvas.text(
        (analysis.modelIsDemo ? "DEMO MODEL AUC " : "MODEL AUC ") + auc, x: px(0.58), y: legendY,
        scale: 2, (0, 0, 0))
      legendY += 22
    }
    for (index, marker) in markers(analysis).enumerated() {
      let colour = palette[index % palette.count]
      canvas.square(px(marker.x), py(marker.y), radius: 6, colour)
      canvas.square(px(0.53), legendY + 5, radius: 6, colour)
      canvas.text(marker.label.uppercased(), x: px(0.58), y: legendY, scale: 2, (0, 0, 0))
      legendY += 22
    }
    return try PNGCodec.encodeRGB(canvas.pixels, width: canvas.width, height: canvas.height)
  }

  /// Draws the figure as text: `*` on the model's curve, `.` on the
  /// chance line and a letter per reader, with a legend below.
  public static func text(_ analysis: StudyAnalysis, width: Int = 41, height: Int = 21) -> String {
    var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
    func cell(_ x: Double, _ y: Double) -> (Int, Int) {
      (Int((x * Double(width - 1)).rounded()), height - 1 - Int((y * Double(height - 1)).rounded()))
    }
    for column in 0..<width {
      let x = Double(column) / Double(width - 1)
      let (cx, cy) = cell(x, x)
      grid[cy][cx] = "."
    }
    var legend: [String] = []
    if let model = analysis.arms.first(where: \.isModel) {
      for (a, b) in zip(model.roc, model.roc.dropFirst()) {
        let steps = 60
        for step in 0...steps {
          let t = Double(step) / Double(steps)
          let (cx, cy) = cell(
            a.falsePositiveRate + (b.falsePositiveRate - a.falsePositiveRate) * t,
            a.truePositiveRate + (b.truePositiveRate - a.truePositiveRate) * t)
          grid[cy][cx] = "*"
        }
      }
      let auc = model.auc.map { String(format: "%.3f", $0.area) } ?? "not estimable"
      legend.append("  * model (AUC \(auc))")
    }
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for (index, marker) in markers(analysis).enumerated() {
      let letter = letters[index % letters.count]
      let (cx, cy) = cell(marker.x, marker.y)
      grid[cy][cx] = letter
      legend.append(
        "  \(letter) \(marker.label): sensitivity \(String(format: "%.3f", marker.y)),"
          + " 1 - specificity \(String(format: "%.3f", marker.x))")
    }
    var out = "ROC: sensitivity (up) against 1 - specificity (right)\n"
    for (index, row) in grid.enumerated() {
      let axis = index == 0 ? "1.0 |" : (index == height - 1 ? "0.0 |" : "    |")
      out += axis + String(row) + "\n"
    }
    out += "    +" + String(repeating: "-", count: width) + "\n"
    out += "     0.0" + String(repeating: " ", count: max(1, width - 6)) + "1.0\n"
    return out + legend.joined(separator: "\n") + "\n"
  }
}

/// An RGB pixel buffer with the few drawing operations the figure needs.
struct Canvas {
  let width: Int
  let height: Int
  var pixels: [UInt8]  // [height, width, 3]

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    pixels = [UInt8](repeating: 255, count: width * height * 3)
  }

  mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let i = (y * width + x) * 3
    pixels[i] = c.0
    pixels[i + 1] = c.1
    pixels[i + 2] = c.2
  }

  mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: (UInt8, UInt8, UInt8)) {
    let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
    for s in 0...steps {
      let t = Double(s) / Double(steps)
      set(x0 + Int((Double(x1 - x0) * t).rounded()), y0 + Int((Double(y1 - y0) * t).rounded()), c)
    }
  }

  mutating func thickLine(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: (UInt8, UInt8, UInt8)) {
    for dx in -1...1 { for dy in -1...1 { line(x0 + dx, y0 + dy, x1 + dx, y1 + dy, c) } }
  }

  mutating func rectangle(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: (UInt8, UInt8, UInt8)) {
    line(x0, y0, x1, y0, c)
    line(x1, y0, x1, y1, c)
    line(x1, y1, x0, y1, c)
    line(x0, y1, x0, y0, c)
  }

  mutating func square(_ x: Int, _ y: Int, radius: Int, _ c: (UInt8, UInt8, UInt8)) {
    for dy in -radius...radius {
      for dx in -radius...radius {
        let edge = abs(dx) == radius || abs(dy) == radius
        set(x + dx, y + dy, edge ? (0, 0, 0) : c)
      }
    }
  }

  mutating func text(_ text: String, x: Int, y: Int, scale: Int, _ c: (UInt8, UInt8, UInt8)) {
    var cursor = x
    for character in text {
      let rows = PixelFont.glyphs[character] ?? PixelFont.glyphs["-"]!
      for (row, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
          for sy in 0..<scale {
            for sx in 0..<scale { set(cursor + column * scale + sx, y + row * scale + sy, c) }
          }
        }
      }
      cursor += 4 * scale
    }
  }

  /// Text running upwards from (x, y).
  mutating func verticalText(_ text: String, x: Int, y: Int, scale: Int, _ c: (UInt8, UInt8, UInt8)) {
    var cursor = y
    for character in text {
      let rows = PixelFont.glyphs[character] ?? PixelFont.glyphs["-"]!
      for (row, bits) in rows.enumerated() {
        for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
          for sy in 0..<scale {
            for sx in 0..<scale { set(x + row * scale + sx, cursor - column * scale - sy, c) }
          }
        }
      }
      cursor -= 4 * scale
    }
  }
}
