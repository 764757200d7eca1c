/// Separable resampling of a gray image: area averaging along an axis
/// that shrinks, bilinear interpolation with half-pixel centres along an
/// axis that grows or keeps its size.
enum Resampler {
  /// Resamples `source` `[height, width]` to `[outHeight, outWidth]`.
  static func resize(
    _ source: [Float], width: Int, height: Int, outWidth: Int, outHeight: Int
  ) -> [Float] {
    precondition(
      source.count == width * height && width > 0 && height > 0
        && outWidth > 0 && outHeight > 0,
      "resize: \(source.count) values for \(width)x\(height)")
    // Rows first: [height, width] -> [height, outWidth].
    let columns = weights(from: width, to: outWidth)
    var horizontal = [Float](repeating: 0, count: height * outWidth)
    for row in 0..<height {
      for (column, taps) in columns.enumerated() {
        var sum: Float = 0
        for tap in taps { sum += source[row * width + tap.index] * tap.weight }
        horizontal[row * outWidth + column] = sum
      }
    }
    // Then columns: [height, outWidth] -> [outHeight, outWidth].
    let rows = weights(from: height, to: outHeight)
    var result = [Float](repeating: 0, count: outHeight * outWidth)
    for (row, taps) in rows.enumerated() {
      for tap in taps {
        let line = tap.index * outWidth
        for column in 0..<outWidth {
          result[row * outWidth + column] +=
            horizontal[line + column] * tap.weight
        }
      }
    }
    return result
  }

  /// One input sample's share of an output sample.
  struct Tap {
    var index: Int
    var weight: Float
  }

  /// Computes the taps of each output sample along one axis.
  static func weights(from input: Int, to output: Int) -> [[Tap]] {
    let ratio = Double(input) / Double(output)
    var result: [[Tap]] = []
    result.reserveCapacity(output)
    for o in 0..<output {
      if output < input {
        // Area: the output pixel covers [o * ratio, (o + 1) * ratio).
        let start = Double(o) * ratio
        let end = start + ratio
        var taps: [Tap] = []
        var i = Int(start)
        while Double(i) < end && i < input {
          let overlap = min(end, Double(i + 1)) - max(start, Double(i))
          if overlap > 0 {
            taps.append(Tap(index: i, weight: Float(overlap / ratio)))
          }
          i += 1
        }
        result.append(taps)
      } else {
        result.append(bilinearTaps(o, ratio: ratio, input: input))
      }
    }
    return result
  }

  /// Bilinear taps along one axis for any size change, half-pixel
  /// centres, clamped at the edges.
  static func bilinearWeights(from input: Int, to output: Int) -> [[Tap]] {
    let ratio = Double(input) / Double(output)
    return (0..<output).map { bilinearTaps($0, ratio: ratio, input: input) }
  }

  private static func bilinearTaps(_ o: Int, ratio: Double, input: Int) -> [Tap]
  {
    // The centre of output pixel o lies at input (o + 0.5) * r - 0.5.
    let position = min(
      max((Double(o) + 0.5) * ratio - 0.5, 0), Double(input - 1))
    let low = Int(position)
    let high = min(low + 1, input - 1)
    let fraction = Float(position - Double(low))
    if high == low || fraction == 0 {
      return [Tap(index: low, weight: 1)]
    }
    return [
      Tap(index: low, weight: 1 - fraction), Tap(index: high, weight: fraction),
    ]
  }
}
