/// The ROC figure of an evaluation: the case-level curve (solid blue),
/// the image-level curve (dashed orange) and the chance diagonal (grey),
/// on a grid of tenths, with the false-positive rate to the right and the
/// true-positive rate up. A black square marks the case-level operating
/// point at the bundle's threshold.
public enum ROCFigure {
  /// Side of the plot area in pixels.
  static let side = 400
  /// Margin around the plot area.
  static let margin = 24

  /// Draws the figure and returns PNG bytes.
  public static func png(
    caseCurve: [ROCCurve.Point], imageCurve: [ROCCurve.Point],
    operatingPoint: (falsePositiveRate: Double, truePositiveRate: Double)?
  ) throws -> [UInt8] {
    try canvas(caseCurve: caseCurve, imageCurve: imageCurve, operatingPoint: operatingPoint)
      .png()
  }

  static func canvas(
    caseCurve: [ROCCurve.Point], imageCurve: [ROCCurve.Point],
    operatingPoint: (falsePositiveRate: Double, truePositiveRate: Double)?
  ) -> RGBCanvas {
    let size = side + 2 * margin
    var canvas = RGBCanvas(width: size, height: size)
    for tenth in 0...10 {
      let offset = margin + tenth * side / 10
      canvas.line(offset, margin, offset, margin + side, color: .lightGrey)
      canvas.line(margin, offset, margin + side, offset, color: .lightGrey)
    }
    canvas.line(margin, margin + side, margin + side, margin, color: .grey, thickness: 1, dash: 4)
    canvas.frame(x: margin - 1, y: margin - 1, width: side + 3, height: side + 3, thickness: 1, color: .black)
    draw(imageCurve, on: &canvas, color: .orange, dash: 6)
    draw(caseCurve, on: &canvas, color: .blue, dash: 0)
    if let point = operatingPoint {
      let (x, y) = pixel(point.falsePositiveRate, point.truePositiveRate)
      canvas.fill(x: x - 4, y: y - 4, width: 9, height: 9, color: .black)
    }
    return canvas
  }

  /// Maps a (false-positive rate, true-positive rate) pair to a pixel.
  static func pixel(_ fpr: Double, _ tpr: Double) -> (Int, Int) {
    let x = margin + Int((fpr * Double(side)).rounded())
    let y = margin + side - Int((tpr * Double(side)).rounded())
    return (x, y)
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
