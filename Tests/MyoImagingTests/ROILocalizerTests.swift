import Testing

@testable import MyoImaging

/// Synthetic slices: ellipses of tissue on a dark background.
private func slice(
  width: Int, height: Int, ellipses: [(cx: Double, cy: Double, rx: Double, ry: Double)]
) -> ScalarImage {
  var values = [Float](repeating: 5, count: width * height)
  for row in 0..<height {
    for column in 0..<width {
      for e in ellipses {
        let dx = (Double(column) - e.cx) / e.rx
        let dy = (Double(row) - e.cy) / e.ry
        if dx * dx + dy * dy <= 1 { values[row * width + column] = 200 }
      }
    }
  }
  return ScalarImage(width: width, height: height, values: values)
}

@Suite struct ROILocalizerTests {
  @Test func separateLegsGiveTwoBoxes() {
    let image = slice(
      width: 200, height: 100,
      ellipses: [(50, 50, 30, 25), (140, 50, 35, 30)])
    let result = ROILocalizer.locate(image)
    #expect(result.separated)
    #expect(result.reason == nil)
    // Ellipse at 50 +- 30 covers columns 20...80, rows 25...75.
    #expect(result.legs == [
      PixelBox(x: 20, y: 25, width: 61, height: 51),
      PixelBox(x: 105, y: 20, width: 71, height: 61),
    ])
    #expect(result.both == PixelBox(x: 20, y: 20, width: 156, height: 61))
    #expect(result.threshold > 5 && result.threshold < 200)
  }

  @Test func touchingLegsAreSplitAtNeck() throws {
    // Two circles of radius 40 whose centres are 78 apart overlap in a
    // lens 2 columns wide and about 25 rows tall.
    let image = slice(
      width: 200, height: 120,
      ellipses: [(60, 60, 40, 40), (138, 60, 40, 40)])
    let result = ROILocalizer.locate(image)
    #expect(result.separated, "\(result.reason ?? "")")
    try #require(result.legs.count == 2)
    #expect(result.legs[0].x == 20)
    #expect(result.legs[1].x + result.legs[1].width == 179)
    #expect(abs(result.legs[0].x + result.legs[0].width - 99) <= 2)
    #expect(result.legs[0].height == 81)
  }

  @Test func mergedLegsAreRejectedWithReason() throws {
    // One wide ellipse: no narrowing between legs.
    let image = slice(
      width: 200, height: 120, ellipses: [(100, 60, 80, 40)])
    let result = ROILocalizer.locate(image)
    #expect(!result.separated)
    let reason = try #require(result.reason)
    #expect(reason.hasPrefix("legs cannot be separated"))
    #expect(result.legs == [PixelBox(x: 20, y: 20, width: 161, height: 81)])
  }

  @Test func uniformImageHasNoTissue() {
    let image = ScalarImage(
      width: 8, height: 8, values: [Float](repeating: 3, count: 64))
    let result = ROILocalizer.locate(image)
    #expect(result.legs.isEmpty)
    #expect(result.both == nil)
    #expect(!result.separated)
    #expect(result.reason != nil)
  }

  @Test func otsuSplitsTwoLevels() throws {
    // Half the values at 10, half at 90: the cut falls between them.
    let values = [Float](repeating: 10, count: 50)
      + [Float](repeating: 90, count: 50)
    let threshold = try #require(OtsuThreshold.threshold(of: values))
    #expect(threshold > 10 && threshold < 90)
  }
}
