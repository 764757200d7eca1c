import MyoImaging

/// A rectangle in image pixels.
public struct PixelRect: Equatable, Sendable {
  /// Left column.
  public var x: Int
  /// Top row.
  public var y: Int
  /// Width in pixels.
  public var width: Int
  /// Height in pixels.
  public var height: Int

  /// Creates a rectangle.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
}

/// A label map drawn over a slice: one id per pixel and a colour per id.
public struct LabelLayer: Sendable {
  /// Ids, row-major `[height, width]` of the slice; 0 is background.
  public var ids: [UInt16]
  /// Colours by id.
  public var colours: [UInt16: RGB]
  /// Opacity from 0 to 1.
  public var opacity: Float

  /// Creates a label layer.
  public init(ids: [UInt16], colours: [UInt16: RGB], opacity: Float) {
    self.ids = ids
    self.colours = colours
    self.opacity = opacity
  }
}

/// A heatmap drawn over part of a slice.
public struct HeatmapLayer: Sendable {
  /// Values in [0, 1], row-major `[region.height, region.width]`.
  public var values: [Float]
  /// Where the values sit on the slice.
  public var region: PixelRect
  /// The colour scale.
  public var colorMap: ColorMap
  /// Opacity from 0 to 1.
  public var opacity: Float

  /// Creates a heatmap layer.
  public init(values: [Float], region: PixelRect, colorMap: ColorMap, opacity: Float) {
    self.values = values
    self.region = region
    self.colorMap = colorMap
    self.opacity = opacity
  }
}

/// How the 256-colour palette approximates colours.
public enum Dithering: String, Sendable, CaseIterable {
  /// The nearest palette colour.
  case none
  /// A 4 x 4 Bayer threshold pattern.
  case ordered
  /// Floyd-Steinberg error diffusion.
  case diffusion
}

/// Everything drawn in the slice view: the image with its display
/// settings, zoom and pan, and the overlays.
public struct SliceComposition: Sendable {
  /// The slice.
  public var image: ScalarImage
  /// Window and inversion.
  public var display: SliceDisplay
  /// Magnification; 1 fits the whole slice.
  public var zoom: Double = 1
  /// Centre of the view as fractions of the slice's width and height.
  public var center: (x: Double, y: Double) = (0.5, 0.5)
  /// Muscle labels, if shown.
  public var labels: LabelLayer?
  /// Class activation map, if shown.
  public var heatmap: HeatmapLayer?
  /// Rectangles outlined in a colour, in slice pixels.
  public var boxes: [(rect: PixelRect, colour: RGB)] = []

  /// Creates a composition of a slice without overlays.
  public init(image: ScalarImage, display: SliceDisplay) {
    self.image = image
    self.display = display
  }

  /// The part of the slice that the view shows at the current zoom and
  /// pan, clamped to the slice.
  public var visibleRegion: PixelRect {
    let zoom = max(1, self.zoom)
    let width = max(1, Int((Double(image.width) / zoom).rounded()))
    let height = max(1, Int((Double(image.height) / zoom).rounded()))
    let left = Int(center.x * Double(image.width)) - width / 2
    let top = Int(center.y * Double(image.height)) - height / 2
    return PixelRect(
      x: max(0, min(image.width - width, left)),
      y: max(0, min(image.height - height, top)), width: width,
      height: height)
  }
}

/// Where a composed slice landed on the grid and how its cells map back
/// to slice pixels.
public struct ComposedSlice: Equatable, Sendable {
  /// The cells the image occupies.
  public var cells: CellRect
  /// The slice pixels those cells show.
  public var region: PixelRect
  /// Samples across and down (two per cell vertically).
  public var samples: (width: Int, height: Int)

  public static func == (lhs: ComposedSlice, rhs: ComposedSlice) -> Bool {
    lhs.cells == rhs.cells && lhs.region == rhs.region
      && lhs.samples == rhs.samples
  }

  /// The slice pixel under a grid cell, or nil outside the image.
  public func pixel(column: Int, row: Int) -> (x: Int, y: Int)? {
    guard column >= cells.x, column < cells.x + cells.width, row >= cells.y,
      row < cells.y + cells.height
    else { return nil }
    let sx = Double(column - cells.x) + 0.5
    let sy = Double(2 * (row - cells.y)) + 1
    let x = region.x + Int(sx * Double(region.width) / Double(samples.width))
    let y = region.y + Int(sy * Double(region.height) / Double(samples.height))
    // The bottom sample of the last cell row may lie below an image of odd
    // sample height; clamp to the region.
    return (
      min(x, region.x + region.width - 1), min(y, region.y + region.height - 1)
    )
  }
}

/// Draws a composition: windowing and area averaging, overlays blended
/// per sample, palette quantization and the half-block encoding.
public enum SliceComposer {
  /// Draws the composition centred in `rect`.
  @discardableResult
  public static func draw(
    _ composition: SliceComposition, into grid: inout CellGrid,
    rect: CellRect, background: RGB, mode: ColorMode,
    dithering: Dithering = .ordered,
    encoder: HalfBlockEncoder = HalfBlockEncoder(),
    previous: CellGrid? = nil, unicode: Bool = true
  ) -> ComposedSlice {
    let region = composition.visibleRegion
    let image = crop(composition.image, to: region)
    let size = SliceRenderer.fittedSize(
      width: image.width, height: image.height, spacing: image.spacing,
      columns: rect.width, rows: rect.height)
    var samples = SliceRenderer.samples(
      image, display: composition.display, size: size)
    blendOverlays(composition, region: region, size: size, into: &samples)
    if mode == .palette256 {
      quantize(&samples, width: size.width, dithering: dithering)
    }

    let cellRows = (size.height + 1) / 2
    let left = rect.x + (rect.width - size.width) / 2
    let top = rect.y + (rect.height - cellRows) / 2
    let shades = Array(" .:-=+*#%@".unicodeScalars)
    for row in 0..<cellRows {
      let upper = Array(
        samples[(2 * row * size.width)..<((2 * row + 1) * size.width)])
      let lower: [RGB] =
        2 * row + 1 < size.height
        ? Array(
          samples[((2 * row + 1) * size.width)..<((2 * row + 2) * size.width)])
        : Array(repeating: background, count: size.width)
      if mode != .none && !unicode {
        // Without UTF-8 there are no half blocks: a space per cell on the
        // mean of its two samples.
        for column in 0..<size.width {
          let a = upper[column]
          let b = lower[column]
          let mean = RGB(
            UInt8((Int(a.r) + Int(b.r)) / 2), UInt8((Int(a.g) + Int(b.g)) / 2),
            UInt8((Int(a.b) + Int(b.b)) / 2))
          grid[left + column, top + row] = Cell(
            " ", foreground: mean, background: mean)
        }
        continue
      }
      if mode == .none {
        for column in 0..<size.width {
          let level = (Int(upper[column].g) + Int(lower[column].g)) / 2
          let glyph = shades[min(shades.count - 1, level * shades.count / 256)]
          grid[left + column, top + row] = Cell(
            glyph, foreground: .white, background: .black)
        }
        continue
      }
      let onScreen: [Cell?] = (0..<size.width).map { column in
        guard let previous, previous.width == grid.width,
          previous.height == grid.height
        else { return nil }
        return previous[left + column, top + row]
      }
      // The colours a writer that goes row by row has set before this
      // row's first cell: those of the cell before it (to its left, or
      // the end of the row above), so the encoder can keep them.
      let before: Cell? =
        left > 0
        ? grid[left - 1, top + row]
        : row > 0 ? grid[grid.width - 1, top + row - 1] : nil
      let cells = encoder.encodeRow(
        top: upper, bottom: lower, previous: onScreen,
        current: before.map { ($0.foreground, $0.background) })
      for column in 0..<size.width {
        grid[left + column, top + row] = cells[column]
      }
    }
    return ComposedSlice(
      cells: CellRect(x: left, y: top, width: size.width, height: cellRows),
      region: region, samples: size)
  }

  /// The part of an image inside a rectangle, with its metadata.
  static func crop(_ image: ScalarImage, to region: PixelRect) -> ScalarImage {
    if region.x == 0 && region.y == 0 && region.width == image.width
      && region.height == image.height
    {
      return image
    }
    var values = [Float](repeating: 0, count: region.width * region.height)
    var rgb: [UInt8]? =
      image.rgb == nil ? nil : [UInt8](repeating: 0, count: values.count * 3)
    for row in 0..<region.height {
      for column in 0..<region.width {
        let source = (region.y + row) * image.width + region.x + column
        values[row * region.width + column] = image.values[source]
        if let colours = image.rgb {
          for channel in 0..<3 {
            rgb![(row * region.width + column) * 3 + channel] =
              colours[source * 3 + channel]
          }
        }
      }
    }
    var result = ScalarImage(
      width: region.width, height: region.height, values: values, rgb: rgb,
      spacing: image.spacing, windows: image.windows,
      photometric: image.photometric, edges: image.edges)
    result.metadata = image.metadata
    return result
  }

  static func blend(_ base: RGB, _ top: RGB, _ alpha: Float) -> RGB {
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8(clamping: Int((Float(a) * (1 - alpha) + Float(b) * alpha).rounded()))
    }
    return RGB(mix(base.r, top.r), mix(base.g, top.g), mix(base.b, top.b))
  }

  /// Blends labels, the heatmap and box outlines into the samples. Each
  /// sample takes the overlay value at the slice pixel under its centre.
  static func blendOverlays(
    _ composition: SliceComposition, region: PixelRect,
    size: (width: Int, height: Int), into samples: inout [RGB]
  ) {
    let imageWidth = composition.image.width
    let xScale = Double(region.width) / Double(size.width)
    let yScale = Double(region.height) / Double(size.height)
    if composition.labels != nil || composition.heatmap != nil {
      for sy in 0..<size.height {
        let py = region.y + Int((Double(sy) + 0.5) * yScale)
        for sx in 0..<size.width {
          let px = region.x + Int((Double(sx) + 0.5) * xScale)
          let index = sy * size.width + sx
          if let labels = composition.labels {
            let id = labels.ids[py * imageWidth + px]
            if id != 0, let colour = labels.colours[id] {
              samples[index] = blend(samples[index], colour, labels.opacity)
            }
          }
          if let heatmap = composition.heatmap {
            let hx = px - heatmap.region.x
            let hy = py - heatmap.region.y
            if hx >= 0, hy >= 0, hx < heatmap.region.width,
              hy < heatmap.region.height
            {
              let value = heatmap.values[hy * heatmap.region.width + hx]
              samples[index] = blend(
                samples[index], heatmap.colorMap.colour(value),
                heatmap.opacity)
            }
          }
        }
      }
    }
    for (box, colour) in composition.boxes {
      // Edges in sample coordinates, clamped to the view.
      func sampleX(_ x: Int) -> Int {
        Int((Double(x - region.x) / xScale).rounded(.down))
      }
      func sampleY(_ y: Int) -> Int {
        Int((Double(y - region.y) / yScale).rounded(.down))
      }
      let x0 = sampleX(box.x)
      let x1 = sampleX(box.x + box.width - 1)
      let y0 = sampleY(box.y)
      let y1 = sampleY(box.y + box.height - 1)
      func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        samples[y * size.width + x] = colour
      }
      if x1 < x0 || y1 < y0 { continue }
      for x in x0...x1 {
        set(x, y0)
        set(x, y1)
      }
      for y in y0...y1 {
        set(x0, y)
        set(x1, y)
      }
    }
  }

  /// Replaces each sample by a colour of the 256-colour palette, with the
  /// chosen dithering. Samples inside a uniform area (see `flatSamples`)
  /// take the nearest palette colour without dithering, because a
  /// threshold pattern on a flat area draws a regular grid of dots that
  /// looks like structure in the image.
  static func quantize(
    _ samples: inout [RGB], width: Int, dithering: Dithering
  ) {
    guard width > 0 else { return }
    let height = samples.count / width
    func nearest(_ colour: RGB) -> RGB {
      Palette256.colour(of: Palette256.index(of: colour))
    }
    let flat = dithering == .none ? [] : flatSamples(samples, width: width)
    switch dithering {
    case .none:
      for index in samples.indices { samples[index] = nearest(samples[index]) }
    case .ordered:
      // 4 x 4 Bayer matrix, thresholds spread over about one gray step of
      // the palette (10 levels).
      let bayer: [Float] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]
      for y in 0..<height {
        for x in 0..<width {
          if flat[y * width + x] {
            samples[y * width + x] = nearest(samples[y * width + x])
            continue
          }
          let offset = (bayer[(y % 4) * 4 + x % 4] / 16 - 0.5) * 10
          let sample = samples[y * width + x]
          func shift(_ value: UInt8) -> UInt8 {
            UInt8(clamping: Int((Float(value) + offset).rounded()))
          }
          let shifted = RGB(shift(sample.r), shift(sample.g), shift(sample.b))
          samples[y * width + x] = Palette256.colour(
            of: Palette256.index(of: shifted))
        }
      }
    case .diffusion:
      var error = [Float](repeating: 0, count: samples.count * 3)
      for y in 0..<height {
        for x in 0..<width {
          let index = y * width + x
          let sample = samples[index]
          // A flat sample drops the error that reached it and passes none
          // on, so the area keeps one colour.
          if flat[index] {
            samples[index] = nearest(sample)
            continue
          }
          let wanted = [
            Float(sample.r) + error[index * 3],
            Float(sample.g) + error[index * 3 + 1],
            Float(sample.b) + error[index * 3 + 2],
          ]
          let target = RGB(
            UInt8(clamping: Int(wanted[0].rounded())),
            UInt8(clamping: Int(wanted[1].rounded())),
            UInt8(clamping: Int(wanted[2].rounded())))
          let chosen = Palette256.colour(of: Palette256.index(of: target))
          samples[index] = chosen
          let residual = [
            wanted[0] - Float(chosen.r), wanted[1] - Float(chosen.g),
            wanted[2] - Float(chosen.b),
          ]
          let spread: [(Int, Int, Float)] = [
            (1, 0, 7.0 / 16), (-1, 1, 3.0 / 16), (0, 1, 5.0 / 16),
            (1, 1, 1.0 / 16),
          ]
          for (dx, dy, weight) in spread {
            let nx = x + dx
            let ny = y + dy
            guard nx >= 0, nx < width, ny < height else { continue }
            let neighbour = (ny * width + nx) * 3
            for channel in 0..<3 {
              error[neighbour + channel] += residual[channel] * weight
            }
          }
        }
      }
    }
  }

  /// Marks the samples whose eight neighbours (those inside the image) all
  /// differ from them by at most `flatTolerance` in every channel.
  static func flatSamples(_ samples: [RGB], width: Int) -> [Bool] {
    let height = samples.count / width
    var flat = [Bool](repeating: false, count: samples.count)
    for y in 0..<height {
      for x in 0..<width {
        let centre = samples[y * width + x]
        var uniform = true
        for ny in max(0, y - 1)...min(height - 1, y + 1) where uniform {
          for nx in max(0, x - 1)...min(width - 1, x + 1)
          where !isClose(samples[ny * width + nx], centre) {
            uniform = false
            break
          }
        }
        flat[y * width + x] = uniform
      }
    }
    return flat
  }

  /// The largest difference per channel between neighbours of a flat
  /// area. Windowing and area averaging leave differences of one or two
  /// levels in an area that is flat in the image, a fifth of the palette's
  /// gray step (10 levels), and a threshold pattern would turn them into
  /// dots. Gradients of more than 2 levels per sample are still dithered.
  static let flatTolerance = 2

  private static func isClose(_ a: RGB, _ b: RGB) -> Bool {
    abs(Int(a.r) - Int(b.r)) <= flatTolerance
      && abs(Int(a.g) - Int(b.g)) <= flatTolerance
      && abs(Int(a.b) - Int(b.b)) <= flatTolerance
  }
}
