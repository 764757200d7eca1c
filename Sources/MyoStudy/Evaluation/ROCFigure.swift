import Foundation

/// The ROC figure of an evaluation: the case-level curve (solid blue),
/// the image-level curve (dashed orange) and the chance diagonal (grey),
/// on a grid of tenths, with 1 - specificity to the right and the
/// sensitivity up, tick labels every 0.2, axis titles and a legend that
/// gives each curve's AUC. A black square marks the case-level operating
/// point at the bundle's threshold.
public enum ROCFigure {
  /// Side of the plot area in pixels.
  static let side = 400
  /// Margins around the plot area: room for the title at the top, the
  /// tick labels and axis titles at the left and bottom.
  static let left = 72
  static let top = 44
  static let right = 24
  static let bottom = 64

  /// The legend's entry for one curve.
  public struct CurveLabel: Sendable {
    /// The AUC with its 95% DeLong interval, nil when undefined.
    public var auc: AreaUnderCurve?
    /// Number of units (cases or images) on the curve.
    public var count: Int

    /// Creates a label.
    public init(auc: AreaUnderCurve?, count: Int) {
      self.auc = auc
      self.count = count
    }
  }

  /// Draws the figure and returns PNG bytes.
  public static func png(
    caseCurve: [ROCCurve.Point], imageCurve: [ROCCurve.Point],
    operatingPoint: (falsePositiveRate: Double, truePositiveRate: Double)?,
    caseLabel: CurveLabel? = nil, imageLabel: CurveLabel? = nil,
    title: String = "ROC curve"
  ) throws -> [UInt8] {
    try canvas(
      caseCurve: caseCurve, imageCurve: imageCurve, operatingPoint: operatingPoint,
      caseLabel: caseLabel, imageLabel: imageLabel, title: title
    ).png()
  }

  static func canvas(
    caseCurve: [ROCCurve.Point], imageCurve: [ROCCurve.Point],
    operatingPoint: (falsePositiveRate: Double, truePositiveRate: Double)?,
    caseLabel: CurveLabel? = nil, imageLabel: CurveLabel? = nil,
    title: String = "ROC curve"
  ) -> RGBCanvas {
    var canvas = RGBCanvas(width: left + side + right, height: top + side + bottom)
    let ink = RGBCanvas.Color(red: 60, green: 60, blue: 60)

    // Grid, chance diagonal and frame.
    for tenth in 0...10 {
      let (x, _) = pixel(Double(tenth) / 10, 0)
      let (_, y) = pixel(0, Double(tenth) / 10)
      canvas.line(x, top, x, top + side, color: .lightGrey)
      canvas.line(left, y, left + side, y, color: .lightGrey)
    }
    canvas.line(left, top + side, left + side, top, color: .grey, thickness: 1, dash: 4)
    canvas.frame(
      x: left - 1, y: top - 1, width: side + 3, height: side + 3, thickness: 1,
      color: .black)

    // Tick labels every 0.2 and the axis titles.
    for fifth in 0...5 {
      let value = Double(fifth) / 5
      let label = String(format: "%.1f", value)
      let (x, _) = pixel(value, 0)
      let (_, y) = pixel(0, value)
      canvas.line(x, top + side + 1, x, top + side + 5, color: .black)
      canvas.line(left - 5, y, left - 1, y, color: .black)
      canvas.centredText(label, x: x, y: top + side + 10, scale: 2, color: ink)
      canvas.text(
        label, x: left - 10 - PixelFont.width(label, scale: 2), y: y - 5, scale: 2,
        color: ink)
    }
    canvas.centredText(
      "1 - specificity", x: left + side / 2, y: top + side + 34, scale: 3, color: .black)
    canvas.verticalText(
      "sensitivity", x: 10,
      y: top + side / 2 + PixelFont.width("sensitivity", scale: 3) / 2, scale: 3,
      color: .black)
    canvas.centredText(title, x: left + side / 2, y: 14, scale: 3, color: .black)

    draw(imageCurve, on: &canvas, color: .orange, dash: 6)
    draw(caseCurve, on: &canvas, color: .blue, dash: 0)
    if let point = operatingPoint {
      let (x, y) = pixel(point.falsePositiveRate, point.truePositiveRate)
      canvas.fill(x: x - 4, y: y - 4, width: 9, height: 9, color: .black)
    }
    drawLegend(
      on: &canvas, caseLabel: caseLabel, imageLabel: imageLabel,
      operatingPoint: operatingPoint != nil)
    return canvas
  }

  /// Maps a (false-positive rate, true-positive rate) pair to a pixel.
  static func pixel(_ fpr: Double, _ tpr: Double) -> (Int, Int) {
    let x = left + Int((fpr * Double(side)).rounded())
    let y = top + side - Int((tpr * Double(side)).rounded())
    return (x, y)
  }

  /// Returns the legend text of a curve: its unit, count and AUC with interval.
  static func legendText(_ unit: String, _ label: CurveLabel?) -> String {
    guard let label else { return unit }
    var text = "\(unit) (n \(label.count))"
    if let auc = label.auc {
      let interval = auc.interval()
      text += String(
        format: " AUC %.3f (%.3f-%.3f)", auc.area, interval.lower, interval.upper)
    }
    return text
  }

  /// Draws the legend in the lower right corner of the plot area, where
  /// a useful ROC curve leaves room.
  private static func drawLegend(
    on canvas: inout RGBCanvas, caseLabel: CurveLabel?, imageLabel: CurveLabel?,
    operatingPoint: Bool
  ) {
    var entries: [(String, RGBCanvas.Color, Int)] = [
      (legendText("cases", caseLabel), .blue, 0),
      (legendText("images", imageLabel), .orange, 6),
    ]
    if operatingPoint { entries.append(("operating point (cases)", .black, -1)) }
    let scale = 2
    let rowHeight = 18
    let swatch = 28
    let textWidth = entries.map { PixelFont.width($0.0, scale: scale) }.max() ?? 0
    let width = swatch + 18 + textWidth
    let height = entries.count * rowHeight + 8
    let x = left + side - width - 8
    let y = top + side - height - 8
    canvas.fill(x: x, y: y, width: width, height: height, color: .white)
    canvas.frame(x: x, y: y, width: width, height: height, thickness: 1, color: .grey)
    for (index, entry) in entries.enumerated() {
      let rowY = y + 6 + index * rowHeight
      let middle = rowY + 5
      if entry.2 < 0 {
        canvas.fill(x: x + 6 + swatch / 2 - 4, y: middle - 4, width: 9, height: 9, color: entry.1)
      } else {
        canvas.line(
          x + 6, middle, x + 6 + swatch, middle, color: entry.1, thickness: 3, dash: entry.2)
      }
      canvas.text(entry.0, x: x + swatch + 12, y: rowY, scale: scale, color: .black)
    }
  }

  /// Draws an empirical curve as steps through its points.
  private static func draw(
    _ points: [ROCCurve.Point], on canvas: inout RGBCanvas, color: RGBCanvas.Color, dash: Int
  ) {
    for (from, to) in zip(points, points.dropFirst()) {
      let (x0, y0) = pixel(from.falsePositiveRate, from.truePositiveRate)
      let (x1, y1) = pixel(to.falsePositiveRate, to.truePositiveRate)
      canvas.line(x0, y0, x1, y1, color: color, thickness: 3, dash: dash)
    }
  }
}
