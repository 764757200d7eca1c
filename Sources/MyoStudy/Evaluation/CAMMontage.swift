import MyoImaging
import MyoNeural

/// A montage of class activation maps over the slices that the network
/// saw, in the manner of the study's saliency figure.
///
/// The top row contains correctly called cases (two true positives, then
/// two true negatives, each framed green), the bottom row the incorrect
/// ones (two false negatives, then two false positives, framed red). Each
/// category shows its most confident cases. The map is drawn in a jet
/// colour scale (blue low, red high), blended over the gray slice with
/// an opacity that grows with the map value, so red and yellow mark the
/// regions that drive the call toward dystrophinopathy.
public struct CAMMontage: Sendable {
  /// The kind of a call.
  public enum Outcome: Int, Sendable, CaseIterable {
    case truePositive, trueNegative, falseNegative, falsePositive

    /// Whether the call was right.
    public var isCorrect: Bool { self == .truePositive || self == .trueNegative }
  }

  /// One tile, already resampled to the tile size.
  struct Tile: Sendable {
    var outcome: Outcome
    /// How far the case probability is from the wrong side: p for a
    /// positive call, 1 - p for a negative one.
    var confidence: Double
    /// `[side, side]` display intensities in [0, 1].
    var gray: [Float]
    /// `[side, side]` map values in [0, 1].
    var heat: [Float]
  }

  /// Tiles per category.
  static let perOutcome = 2
  /// Tile side in pixels.
  static let side = 160
  /// Frame width in pixels.
  static let frame = 4

  private(set) var tiles: [Outcome: [Tile]] = [:]

  /// Creates an empty montage.
  public init() {}

  /// Offers a case: its call, probability and the slice to show with its
  /// classification. The montage keeps the most confident cases of each
  /// category, so memory stays bounded however many cases are offered.
  public mutating func offer(
    truth: Bool, call: Bool, probability: Double, image: ScalarImage,
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
    kept.append(Self.tile(outcome, confidence, image, cam))
    kept.sort { $0.confidence > $1.confidence }
    tiles[outcome] = Array(kept.prefix(Self.perOutcome))
  }

  /// Cases kept per category.
  public func count(_ outcome: Outcome) -> Int { tiles[outcome]?.count ?? 0 }

  static func tile(
    _ outcome: Outcome, _ confidence: Double, _ image: ScalarImage, _ cam: CAMMap
  ) -> Tile {
    let crop = cam.crop
    let overlay = cam.overlay()
    let window = image.defaultWindow
    var gray = [Float](repeating: 0, count: side * side)
    var heat = [Float](repeating: 0, count: side * side)
    // Nearest-neighbour sampling of the crop onto the square tile.
    for row in 0..<side {
      let y = min(crop.height - 1, row * crop.height / side)
      for column in 0..<side {
        let x = min(crop.width - 1, column * crop.width / side)
        let value = image[crop.x + x, crop.y + y]
        gray[row * side + column] = value.isFinite ? window.intensity(value) : 0
        heat[row * side + column] = overlay.values[y * crop.width + x]
      }
    }
    return Tile(outcome: outcome, confidence: confidence, gray: gray, heat: heat)
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

  func canvas() -> RGBCanvas {
    let gap = 8
    let columns = 2 * Self.perOutcome
    let cell = Self.side + 2 * Self.frame
    var canvas = RGBCanvas(
      width: columns * cell + (columns + 1) * gap, height: 2 * cell + 3 * gap,
      background: .white)
    let rows: [[Outcome]] = [[.truePositive, .trueNegative], [.falseNegative, .falsePositive]]
    for (rowIndex, outcomes) in rows.enumerated() {
      var column = 0
      for outcome in outcomes {
        let kept = tiles[outcome] ?? []
        for slot in 0..<Self.perOutcome {
          let x = gap + column * (cell + gap)
          let y = gap + rowIndex * (cell + gap)
          column += 1
          guard slot < kept.count else {
            canvas.fill(x: x, y: y, width: cell, height: cell, color: .lightGrey)
            continue
          }
          draw(kept[slot], at: x, y, on: &canvas)
        }
      }
    }
    return canvas
  }

  private func draw(_ tile: Tile, at x: Int, _ y: Int, on canvas: inout RGBCanvas) {
    let cell = Self.side + 2 * Self.frame
    canvas.frame(
      x: x, y: y, width: cell, height: cell, thickness: Self.frame,
      color: tile.outcome.isCorrect ? .green : .red)
    for row in 0..<Self.side {
      for column in 0..<Self.side {
        let index = row * Self.side + column
        let gray = tile.gray[index]
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
