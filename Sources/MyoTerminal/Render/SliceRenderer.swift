import MyoImaging

/// Display options of one slice.
public struct SliceDisplay: Equatable, Sendable {
  /// The window applied to modality values.
  public var window: Window
  /// Whether to invert gray levels after windowing.
  public var invert: Bool

  /// Creates display options.
  public init(window: Window, invert: Bool = false) {
    self.window = window
    self.invert = invert
  }
}

/// Turns an image into half-block cells: each cell shows two image samples,
/// the top one as the glyph's colour and the bottom one as the background.
public enum SliceRenderer {
  /// The size in samples (columns, rows of half cells) that an image of
  /// the given physical size takes when fitted into `columns` x `rows`
  /// cells. A cell is about twice as tall as it is wide, so a half cell is
  /// square and samples keep the image's physical aspect ratio.
  public static func fittedSize(
    width: Int, height: Int, spacing: PixelSpacing, columns: Int, rows: Int
  ) -> (width: Int, height: Int) {
    guard width > 0, height > 0, columns > 0, rows > 0 else { return (0, 0) }
    let physicalWidth = Double(width) * spacing.column
    let physicalHeight = Double(height) * spacing.row
    let scale = min(
      Double(columns) / physicalWidth, Double(rows * 2) / physicalHeight)
    let samplesWide = max(1, min(columns, Int((physicalWidth * scale).rounded())))
    let samplesHigh = max(
      1, min(rows * 2, Int((physicalHeight * scale).rounded())))
    return (samplesWide, samplesHigh)
  }

  /// Windows the image and averages it down (or up) to `size` samples by
  /// area: each output sample is the mean of the source pixels it covers,
  /// weighted by the covered fraction. Returns RGB samples, row-major.
  public static func samples(
    _ image: ScalarImage, display: SliceDisplay,
    size: (width: Int, height: Int)
  ) -> [RGB] {
    let (outWidth, outHeight) = size
    guard outWidth > 0, outHeight > 0 else { return [] }
    let channels = image.rgb == nil ? 1 : 3
    let pixelCount = image.width * image.height

    // Display intensities 0...1 per source pixel and channel.
    var intensity = [Float](repeating: 0, count: pixelCount * channels)
    let invert = display.invert != (image.photometric == .monochrome1)
    if let rgb = image.rgb {
      for index in 0..<(pixelCount * 3) {
        intensity[index] = Float(rgb[index]) / 255
      }
    } else {
      let window = display.window
      for index in 0..<pixelCount {
        let value = window.intensity(image.values[index])
        intensity[index] = invert ? 1 - value : value
      }
    }

    let columnWeights = weights(source: image.width, target: outWidth)
    let rowWeights = weights(source: image.height, target: outHeight)

    // Horizontal pass: [height, outWidth, channels].
    var horizontal = [Float](
      repeating: 0, count: image.height * outWidth * channels)
    for row in 0..<image.height {
      let sourceBase = row * image.width
      for column in 0..<outWidth {
        for (sourceColumn, weight) in columnWeights[column] {
          for channel in 0..<channels {
            horizontal[(row * outWidth + column) * channels + channel] +=
              weight * intensity[(sourceBase + sourceColumn) * channels + channel]
          }
        }
      }
    }

    // Vertical pass into colours.
    var result = [RGB](repeating: .black, count: outWidth * outHeight)
    var accumulator = [Float](repeating: 0, count: channels)
    for row in 0..<outHeight {
      for column in 0..<outWidth {
        for channel in 0..<channels { accumulator[channel] = 0 }
        for (sourceRow, weight) in rowWeights[row] {
          let base = (sourceRow * outWidth + column) * channels
          for channel in 0..<channels {
            accumulator[channel] += weight * horizontal[base + channel]
          }
        }
        let levels = accumulator.map {
          UInt8(clamping: Int(($0 * 255).rounded()))
        }
        result[row * outWidth + column] =
          channels == 1
          ? RGB(gray: levels[0]) : RGB(levels[0], levels[1], levels[2])
      }
    }
    return result
  }

  /// For each target index, the source indices it covers and the weights,
  /// which sum to 1.
  static func weights(source: Int, target: Int) -> [[(Int, Float)]] {
    let scale = Double(source) / Double(target)
    return (0..<target).map { index in
      let start = Double(index) * scale
      let end = Double(index + 1) * scale
      var entries: [(Int, Float)] = []
      var position = Int(start.rounded(.down))
      while Double(position) < end && position < source {
        let overlap =
          min(end, Double(position + 1)) - max(start, Double(position))
        if overlap > 1e-9 { entries.append((position, Float(overlap / scale))) }
        position += 1
      }
      return entries
    }
  }

  /// Draws the image centred in `rect` of the grid as half-block cells
  /// (or ASCII shades when `ascii` is set) and returns the rectangle the
  /// image occupies. `previous` is the grid on screen, whose cells are kept
  /// where they are within the encoder's tolerance of the new ones.
  @discardableResult
  public static func draw(
    _ image: ScalarImage, display: SliceDisplay, into grid: inout CellGrid,
    rect: CellRect, background: RGB, ascii: Bool = false,
    encoder: HalfBlockEncoder = HalfBlockEncoder(),
    previous: CellGrid? = nil
  ) -> CellRect {
    // The composer draws the same cells; a slice without overlays, zoom or
    // palette quantization is the plain case.
    SliceComposer.draw(
      SliceComposition(image: image, display: display), into: &grid,
      rect: rect, background: background,
      mode: ascii ? ColorMode.none : .truecolor, encoder: encoder,
      previous: previous
    ).cells
  }
}
