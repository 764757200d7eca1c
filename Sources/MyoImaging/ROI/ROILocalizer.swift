/// Finds the thighs on an axial slice as the study did. An Otsu threshold
/// separates tissue from background, and the largest connected regions are
/// the body. Where the legs touch, a second Otsu cut along the columns
/// splits them. Each leg then gets its minimal rectangle.
public enum ROILocalizer {
  /// Regions smaller than this fraction of the image are noise, not legs.
  static let minimumRegionFraction = 0.002
  /// A second region counts as the other leg when it has at least this
  /// fraction of the largest region's area.
  static let legAreaRatio = 0.25
  /// Touching legs are split at a column whose tissue height is at most
  /// this fraction of the shorter leg's tallest column.
  static let maximumNeckRatio = 0.5
  /// Below this interior fraction the foreground is treated as noise.
  static let minimumSolidity = 0.7

  /// Locates the legs on a slice in display orientation.
  public static func locate(_ image: ScalarImage) -> ROIResult {
    let width = image.width
    let height = image.height
    guard let threshold = OtsuThreshold.threshold(of: image.values) else {
      return ROIResult(
        threshold: image.values.first ?? 0, legs: [], both: nil,
        separated: false,
        reason: "the image has a single value, so it shows no tissue")
    }

    // Speckle above the threshold forms small regions, which the area
    // limit below drops.
    let mask = image.values.map { $0 > threshold }
    let regions = ConnectedComponents(mask: mask, width: width, height: height)
    let minimumArea = max(
      16, Int(Double(width * height) * minimumRegionFraction))
    let large = regions.components.filter { $0.area >= minimumArea }
    var warnings: [String] = []

    guard let largest = large.first else {
      return ROIResult(
        threshold: threshold, legs: [], both: nil, separated: false,
        reason: "no region above the threshold \(threshold) has"
          + " \(minimumArea) pixels or more")
    }

    // Phase maps and noise give a foreground of many small pieces; a body
    // gives a few large regions that hold most foreground pixels.
    let foreground = mask.reduce(0) { $1 ? $0 + 1 : $0 }
    let inTwoLargest = large.prefix(2).reduce(0) { $0 + $1.area }
    let share = Double(inTwoLargest) / Double(max(foreground, 1))
    if share < 0.6 {
      warnings.append(
        "the two largest regions hold only \(percent(share)) of the pixels"
          + " above the threshold: this may not be an anatomical image"
          + " (a phase map or noise)")
    }

    // Tissue is solid: most of its pixels are surrounded by tissue. The
    // foreground of a phase map or of noise is speckled.
    let solidity = interiorFraction(mask, width: width, height: height)
    if solidity < minimumSolidity {
      warnings.append(
        "only \(percent(solidity)) of the pixels above the threshold are"
          + " surrounded by others: this looks like noise or a phase map,"
          + " not an anatomical image")
    }
    if largest.box.height == height || largest.box.width == width {
      warnings.append(
        "the tissue region spans the whole image"
          + " \(largest.box.height == height ? "height" : "width"),"
          + " so the boxes may include background")
    }

    // Two separate legs.
    if large.count >= 2
      && Double(large[1].area) >= legAreaRatio * Double(largest.area)
    {
      let pair = [large[0], large[1]].sorted {
        $0.centerColumn < $1.centerColumn
      }
      let legs = pair.map(\.box)
      return ROIResult(
        threshold: threshold, legs: legs, both: legs[0].union(legs[1]),
        separated: true, reason: nil, warnings: warnings)
    }

    // One region: the legs touch, or only one leg is in view.
    let split = LegSplitter.split(
      labels: regions.labels, label: largest.label, box: largest.box,
      width: width)
    switch split {
    case .separated(let left, let right):
      return ROIResult(
        threshold: threshold, legs: [left, right],
        both: left.union(right), separated: true, reason: nil,
        warnings: warnings)
    case .notSeparable(let reason):
      return ROIResult(
        threshold: threshold, legs: [largest.box], both: largest.box,
        separated: false, reason: reason, warnings: warnings)
    }
  }

  /// Returns the fraction of foreground pixels whose eight neighbours are
  /// all foreground.
  static func interiorFraction(_ mask: [Bool], width: Int, height: Int)
    -> Double
  {
    var foreground = 0
    var interior = 0
    for row in 0..<height {
      for column in 0..<width where mask[row * width + column] {
        foreground += 1
        guard row > 0, row < height - 1, column > 0, column < width - 1
        else { continue }
        var all = true
        for dy in -1...1 {
          for dx in -1...1 where !mask[(row + dy) * width + column + dx] {
            all = false
          }
        }
        if all { interior += 1 }
      }
    }
    return foreground == 0 ? 0 : Double(interior) / Double(foreground)
  }

  static func percent(_ fraction: Double) -> String {
    "\(Int((fraction * 100).rounded()))%"
  }
}
