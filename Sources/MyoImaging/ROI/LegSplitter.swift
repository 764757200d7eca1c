/// Splits one region that holds both legs at the narrowest column between
/// them, found near the Otsu cut of the region's column positions.
enum LegSplitter {
  /// The outcome of a split.
  enum Outcome: Equatable {
    /// Two boxes, the screen's left leg first.
    case separated(PixelBox, PixelBox)
    /// The region has no narrowing between two legs; the text says why.
    case notSeparable(String)
  }

  /// Splits the pixels of `labels` equal to `label`, inside `box`.
  static func split(
    labels: [Int32], label: Int32, box: PixelBox, width: Int
  ) -> Outcome {
    // Tissue height per column of the region.
    var profile = [Double](repeating: 0, count: box.width)
    for row in box.y..<(box.y + box.height) {
      for column in box.x..<(box.x + box.width)
      where labels[row * width + column] == label {
        profile[column - box.x] += 1
      }
    }
    let smooth = smoothed(profile, radius: 2)

    // Otsu's cut of the column positions, weighted by tissue height, is
    // where two legs of similar size meet; the neck is the lowest column
    // in the middle half of the region near that cut.
    let cut = OtsuThreshold.bestCut(profile)
    let lower = box.width / 4
    let upper = box.width - box.width / 4
    guard upper - lower >= 3 else {
      return .notSeparable(
        "the body region is only \(box.width) pixels wide")
    }
    var neck = min(max(cut, lower), upper - 1)
    for column in lower..<upper where smooth[column] < smooth[neck] {
      neck = column
    }
    let leftPeak = smooth[0..<neck].max() ?? 0
    let rightPeak = smooth[(neck + 1)...].max() ?? 0
    let thinner = min(leftPeak, rightPeak)
    let ratio = thinner > 0 ? profile[neck] / thinner : 1
    guard ratio <= ROILocalizer.maximumNeckRatio else {
      return .notSeparable(
        "legs cannot be separated: they touch over \(Int(profile[neck]))"
          + " rows at column \(box.x + neck), \(ROILocalizer.percent(ratio))"
          + " of the thinner leg's height (at most"
          + " \(ROILocalizer.percent(ROILocalizer.maximumNeckRatio))"
          + " is split)")
    }

    // The minimal rectangles of the pixels on each side of the neck.
    let neckColumn = box.x + neck
    var sides = [Bounds(), Bounds()]
    for row in box.y..<(box.y + box.height) {
      for column in box.x..<(box.x + box.width)
      where labels[row * width + column] == label && column != neckColumn {
        sides[column < neckColumn ? 0 : 1].add(column: column, row: row)
      }
    }
    guard let left = sides[0].box, let right = sides[1].box,
      Double(min(sides[0].area, sides[1].area))
        >= ROILocalizer.legAreaRatio * Double(max(sides[0].area, sides[1].area))
    else {
      return .notSeparable(
        "legs cannot be separated: the region narrows at column"
          + " \(neckColumn), but one side is too small to be a leg"
          + " (\(sides[0].area) and \(sides[1].area) pixels)")
    }
    return .separated(left, right)
  }

  static func smoothed(_ values: [Double], radius: Int) -> [Double] {
    var result = [Double](repeating: 0, count: values.count)
    for index in values.indices {
      let low = max(0, index - radius)
      let high = min(values.count - 1, index + radius)
      result[index] = values[low...high].reduce(0, +) / Double(high - low + 1)
    }
    return result
  }

  /// A growing bounding rectangle.
  private struct Bounds {
    var left = Int.max
    var right = Int.min
    var top = Int.max
    var bottom = Int.min
    var area = 0

    mutating func add(column: Int, row: Int) {
      left = min(left, column)
      right = max(right, column)
      top = min(top, row)
      bottom = max(bottom, row)
      area += 1
    }

    var box: PixelBox? {
      area == 0
        ? nil
        : PixelBox(
          x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }
  }
}
