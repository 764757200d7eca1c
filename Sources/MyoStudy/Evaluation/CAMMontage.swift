import Foundation
import MyoImaging
import MyoNeural

/// A montage of class activation maps over the slices that the network
/// saw, in the manner of the study's saliency figure.
///
/// The top row contains correctly called cases (two true positives, then
/// two true negatives, each framed green), the bottom row the incorrect
/// ones (two false negatives, then two false positives, framed red). Each
/// category shows its most confident cases. Each tile shows the slice's
/// crop at its own aspect ratio, with black bars where the crop is
/// narrower than the tile, and a caption with the outcome, the case and
/// its probability. The map is drawn in a jet colour scale (blue low, red
/// high), blended over the gray slice with an opacity that grows with the
/// map value, so red and yellow mark the regions that drive the call
/// toward dystrophinopathy. A colour bar at the bottom gives the scale.
public struct CAMMontage: Sendable {
  /// The kind of a call.
  public enum Outcome: Int, Sendable, CaseIterable {
    case truePositive, trueNegative, falseNegative, falsePositive

    /// Whether the call was right.
    public var isCorrect: Bool { self == .truePositive || self == .trueNegative }

    /// The abbreviation in a tile's caption.
    var abbreviation: String {
      switch self {
      case .truePositive: "TP"
      case .trueNegative: "TN"
      case .falseNegative: "FN"
      case .falsePositive: "FP"
      }
    }
  }

  /// One tile, already resampled to the tile size.
  struct Tile: Sendable {
    var outcome: Outcome
    /// The case name.
    var name: String
    /// The case probability.
    var probability: Double
    /// How far the case probability is from the wrong side: p for a
    /// positive call, 1 - p for a negative one.
    var confidence: Double
    /// `[height, width]` display intensities in [0, 1], with the letterbox
    /// bars at -1.
    var gray: [Float]
    /// `[height, width]` map values in [0, 1].
    var heat: [Float]
  }

  /// Tiles per category.
  static let perOutcome = 2
  /// Tile size in pixels: wider than high, as a crop of both thighs is.
  static let tileWidth = 240
  static let tileHeight = 150
  /// Frame width in pixels.
  static let frame = 4

  private(set) var tiles: [Outcome: [Tile]] = [:]

  /// Creates an empty montage.
  public init() {}

  /// Offers a case: its call, probability and the slice to show with its
  /// classification. The montage keeps the most confident cases of each
  /// category, so memory stays bounded however many cases are offered.
  public mutating func offer(
    name: String, truth: Bool, call: Bool, probability: Double, image: ScalarImage,
    slice: SliceClassification
  ) {
    guard let cam = slice.cam else { return }
    let outcome: Outcome
    switch (truth, call) {
    case (true, true): outcome = .truePositive
    case (true, false): outcome = .falseNegative
    case (false, true): outcome = .falsePositive
    case (false, false): outcome = .trueNegative
    }
    let confidence = call ? probability : 1 - probability
    var kept = tiles[outcome, default: []]
    if kept.count >= Self.perOutcome,
      let weakest = kept.last, weakest.confidence >= confidence
    {
      return
    }
    kept.append(Self.tile(outcome, name, probability, confidence, image, cam))
    kept.sort { $0.confidence > $1.confidence }
    tiles[outcome] = Array(kept.prefix(Self.perOutcome))
  }

  /// Cases kept per category.
  public func count(_ outcome: Outcome) -> Int { tiles[outcome]?.count ?? 0 }

  static func tile(
    _ outcome: Outcome, _ name: String, _ probability: Double, _ confidence: Double,
    _ image: ScalarImage, _ cam: CAMMap
  ) -> Tile {
    let crop = cam.crop
    let overlay = cam.overlay()
    let window = image.defaultWindow
    let width = tileWidth
    let height = tileHeight
    var gray = [Float](repeating: -1, count: width * height)
    var heat = [Float](repeating: 0, count: width * height)
    // Fit the crop into the tile at its own aspect ratio, centred.
    let scale = min(
      Double(width) / Double(max(crop.width, 1)), Double(height) / Double(max(crop.height, 1)))
    let shownWidth = max(1, min(width, Int((Double(crop.width) * scale).rounded())))
    let shownHeight = max(1, min(height, Int((Double(crop.height) * scale).rounded())))
    let left = (width - shownWidth) / 2
    let top = (height - shownHeight) / 2
    // Nearest-neighbour sampling of the crop.
    for row in 0..<shownHeight {
      let y = min(crop.height - 1, row * crop.height / shownHeight)
      for column in 0..<shownWidth {
        let x = min(crop.width - 1, column * crop.width / shownWidth)
        let value = image[crop.x + x, crop.y + y]
        let index = (top + row) * width + left + column
        gray[index] = value.isFinite ? window.intensity(value) : 0
        heat[index] = overlay.values[y * crop.width + x]
      }
    }
    return Tile(
      outcome: outcome, name: name, probability: probability, confidence: confidence,
      gray: gray, heat: heat)
  }

  /// Maps a value in [0, 1] to the jet colour scale, as (r, g, b).
  static func jet(_ value: Float) -> (Float, Float, Float) {
    func channel(_ centre: Float) -> Float {
      min(max(1.5 - abs(4 * value - centre), 0), 1)
    }
    return (channel(3), channel(2), channel(1))
  }

  /// Draws the montage and returns PNG bytes.
  public func png() throws -> [UInt8] { try canvas().png() }

  /// Layout, in pixels: the space between cells, a row's heading above
  /// it, a tile's caption below it and the colour bar at the bottom.
  static let gap = 8
  static let heading = 20
  static let caption = 18
  static let colourBar = 34

  /// Width and height of one framed tile.
  static var cellWidth: Int { tileWidth + 2 * frame }
  static var cellHeight: Int { tileHeight + 2 * frame }

  func canvas() -> RGBCanvas {
    let gap = Self.gap
    let columns = 2 * Self.perOutcome
    let rowHeight = Self.heading + Self.cellHeight + Self.caption
    var canvas = RGBCanvas(
      width: columns * Self.cellWidth + (columns + 1) * gap,
      height: 2 * rowHeight + 3 * gap + Self.colourBar, background: .white)
    let rows: [(String, [Outcome])] = [
      ("correct: true positives, true negatives", [.truePositive, .trueNegative]),
      ("errors: false negatives, false positives", [.falseNegative, .falsePositive]),
    ]
    for (rowIndex, (heading, outcomes)) in rows.enumerated() {
      let rowTop = gap + rowIndex * (rowHeight + gap)
      canvas.text(heading, x: gap, y: rowTop + 4, scale: 2, color: .black)
      var column = 0
      for outcome in outcomes {
        let kept = tiles[outcome] ?? []
        for slot in 0..<Self.perOutcome {
          let x = gap + column * (Self.cellWidth + gap)
          let y = rowTop + Self.heading
          column += 1
          guard slot < kept.count else {
            canvas.fill(
              x: x, y: y, width: Self.cellWidth, height: Self.cellHeight, color: .lightGrey)
            canvas.centredText(
              "no \(outcome.abbreviation)", x: x + Self.cellWidth / 2,
              y: y + Self.cellHeight / 2 - 5, scale: 2, color: .grey)
            continue
          }
          draw(kept[slot], at: x, y, on: &canvas)
        }
      }
    }
    drawColourBar(on: &canvas, top: gap + 2 * (rowHeight + gap))
    return canvas
  }

  /// Draws the jet scale from low to high evidence for dystrophinopathy.
  private func drawColourBar(on canvas: inout RGBCanvas, top: Int) {
    let width = 200
    let x = (canvas.width - width) / 2
    canvas.text("CAM low", x: x - PixelFont.width("CAM low", scale: 2) - 8, y: top + 3,
      scale: 2, color: .black)
    for column in 0..<width {
      let (r, g, b) = Self.jet(Float(column) / Float(width - 1))
      canvas.fill(
        x: x + column, y: top, width: 1, height: 16,
        color: RGBCanvas.Color(
          red: UInt8(r * 255), green: UInt8(g * 255), blue: UInt8(b * 255)))
    }
    canvas.text("high", x: x + width + 8, y: top + 3, scale: 2, color: .black)
  }

  private func draw(_ tile: Tile, at x: Int, _ y: Int, on canvas: inout RGBCanvas) {
    canvas.frame(
      x: x, y: y, width: Self.cellWidth, height: Self.cellHeight, thickness: Self.frame,
      color: tile.outcome.isCorrect ? .green : .red)
    let caption =
      "\(tile.outcome.abbreviation) \(tile.name) P "
      + String(format: "%.2f", tile.probability)
    canvas.centredText(
      caption, x: x + Self.cellWidth / 2, y: y + Self.cellHeight + 4, scale: 2, color: .black)
    for row in 0..<Self.tileHeight {
      for column in 0..<Self.tileWidth {
        let index = row * Self.tileWidth + column
        let gray = tile.gray[index]
        guard gray >= 0 else {
          canvas.set(x + Self.frame + column, y + Self.frame + row, .black)
          continue
        }
        let value = tile.heat[index]
        let (r, g, b) = Self.jet(value)
        let alpha = 0.6 * value
        func mix(_ colour: Float) -> UInt8 {
          UInt8(max(0, min(255, ((1 - alpha) * gray + alpha * colour) * 255)).rounded())
        }
        canvas.set(
          x + Self.frame + column, y + Self.frame + row,
          RGBCanvas.Color(red: mix(r), green: mix(g), blue: mix(b)))
      }
    }
  }
}
