/// Otsu's threshold (N. Otsu, "A threshold selection method from gray-level
/// histograms", IEEE SMC 9(1), 1979): the cut of a histogram that
/// maximises the between-class variance.
enum OtsuThreshold {
  /// The number of histogram bins used for image values.
  static let binCount = 256

  /// Returns the threshold of the finite values: values above it are
  /// foreground. Nil when there are fewer than two distinct values.
  static func threshold(of values: [Float]) -> Float? {
    var low = Float.infinity
    var high = -Float.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    guard low < high else { return nil }

    var histogram = [Double](repeating: 0, count: binCount)
    let scale = Float(binCount) / (high - low)
    for value in values where value.isFinite {
      let bin = min(Int((value - low) * scale), binCount - 1)
      histogram[bin] += 1
    }
    let cut = bestCut(histogram)
    // Values in bins 0...cut are background, so the threshold is the
    // upper edge of bin `cut`.
    return low + Float(cut + 1) / scale
  }

  /// Returns the bin index `k` that maximises the between-class variance
  /// of the classes `0...k` and `k+1..<count`.
  static func bestCut(_ histogram: [Double]) -> Int {
    let total = histogram.reduce(0, +)
    var weightedTotal = 0.0
    for (bin, count) in histogram.enumerated() {
      weightedTotal += Double(bin) * count
    }
    var weightBelow = 0.0
    var sumBelow = 0.0
    var bestVariance = -1.0
    var best = 0
    for bin in 0..<(histogram.count - 1) {
      weightBelow += histogram[bin]
      sumBelow += Double(bin) * histogram[bin]
      let weightAbove = total - weightBelow
      guard weightBelow > 0, weightAbove > 0 else { continue }
      let meanBelow = sumBelow / weightBelow
      let meanAbove = (weightedTotal - sumBelow) / weightAbove
      let difference = meanBelow - meanAbove
      let variance = weightBelow * weightAbove * difference * difference
      if variance > bestVariance {
        bestVariance = variance
        best = bin
      }
    }
    return best
  }
}
