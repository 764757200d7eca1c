import MyoImaging
import Testing

@testable import MyoPhantom

/// Checks the ROI localizer on phantom slices: two legs when they are
/// apart, and touching legs reported as such.
@Suite struct PhantomROITests {
  static func image(_ slice: RenderedSlice) -> ScalarImage {
    ScalarImage(
      width: slice.width, height: slice.height,
      values: slice.pixels.map(Float.init))
  }

  /// Tells whether any pixel of a column is above the localizer's
  /// threshold.
  static func columnHoldsTissue(
    _ column: Int, _ slice: RenderedSlice, threshold: Float
  ) -> Bool {
    (0..<slice.height).contains {
      Float(slice.pixels[$0 * slice.width + column]) > threshold
    }
  }

  /// The first cases of a cohort with legs apart and with legs touching.
  static let cases: (apart: [PhantomCase], touching: [PhantomCase]) = {
    let all = CohortGenerator(caseCount: 60, seed: 12).cases()
    return (
      Array(all.filter { $0.subject.gap > 3 }.prefix(8)),
      Array(all.filter(\.subject.legsTouch).prefix(4))
    )
  }()

  @Test func findsBothLegsApart() throws {
    #expect(Self.cases.apart.count == 8)
    for item in Self.cases.apart {
      let slice = SliceRenderer(phantomCase: item, sliceCount: 3, width: 192)
        .render(1)
      let result = ROILocalizer.locate(Self.image(slice))
      #expect(result.separated, "\(item.id): \(result.reason ?? "")")
      try #require(result.legs.count == 2)
      // Every labelled pixel of the right leg lies in the first box, of
      // the left leg in the second.
      for side in Side.allCases {
        let box = result.legs[side == .right ? 0 : 1]
        for row in 0..<slice.height {
          for column in TestSupport.columns(of: side, in: slice)
          where slice.labels[row * slice.width + column] != 0 {
            #expect(
              box.contains(column: column, row: row),
              "\(item.id) \(side) pixel \(column),\(row) outside \(box)")
          }
        }
      }
      // A gap of background columns lies between the boxes.
      let start = result.legs[0].x + result.legs[0].width
      #expect(start < result.legs[1].x)
      let gapHoldsTissue = (start..<max(start, result.legs[1].x)).contains {
        Self.columnHoldsTissue($0, slice, threshold: result.threshold)
      }
      #expect(!gapHoldsTissue, "\(item.id)")
    }
  }

  @Test func reportsTouchingLegs() {
    #expect(!Self.cases.touching.isEmpty)
    for item in Self.cases.touching {
      let slice = SliceRenderer(phantomCase: item, sliceCount: 3, width: 192)
        .render(1)
      let result = ROILocalizer.locate(Self.image(slice))
      // Touching legs form one region: either no split, or a split at a
      // neck whose columns hold tissue, unlike the background gap between
      // legs that are apart.
      if result.separated && result.legs.count == 2 {
        let start = result.legs[0].x + result.legs[0].width
        let end = max(result.legs[1].x, start + 1)
        for column in start..<end {
          let holdsTissue = Self.columnHoldsTissue(
            column, slice, threshold: result.threshold)
          #expect(holdsTissue, "\(item.id): column \(column) is background")
        }
      } else {
        #expect(result.reason != nil)
      }
    }
  }
}
