/// Chooses the glyph and colours of each half-block cell so that the
/// terminal needs as few colour changes as possible, within a tolerance.
///
/// A cell shows a top and a bottom sample. It can be drawn four ways: the
/// upper half block (foreground on top), the lower half block (foreground
/// at the bottom), a space (background only) or a full block (foreground
/// only). Terminal output sends a colour only when it differs from the
/// previous cell's, so the encoder picks, per cell, the form that keeps the
/// current colours, and treats two colours as equal when no channel differs
/// by more than `tolerance`. A cell whose two samples are within the
/// tolerance of the cell already on screen is kept exactly, so that a
/// slice change resends only the cells that changed.
public struct HalfBlockEncoder: Sendable {
  /// The largest difference per channel, in 0-255 levels, that is treated
  /// as no change.
  public var tolerance: Int

  /// Whether a new gray is moved, within the tolerance, to a gray of the
  /// 256-colour palette, whose escape code is shorter (`myoscope render`
  /// output; the viewer's curses output has no such short form).
  public var snapsToPaletteGrays: Bool

  /// Creates an encoder.
  public init(tolerance: Int = 2, snapsToPaletteGrays: Bool = false) {
    self.tolerance = max(0, tolerance)
    self.snapsToPaletteGrays = snapsToPaletteGrays
  }

  /// The colour to send for a new colour: itself, or a palette gray within
  /// the tolerance when snapping is on.
  func snapped(_ colour: RGB) -> RGB {
    guard snapsToPaletteGrays, colour.r == colour.g, colour.g == colour.b
    else { return colour }
    let value = Int(colour.r)
    var candidates = [0, 95, 135, 175, 215, 255]
    let step = Int((Double(value - 8) / 10).rounded())
    if (0...23).contains(step) { candidates.append(8 + 10 * step) }
    let best = candidates.min { abs($0 - value) < abs($1 - value) }!
    return abs(best - value) <= tolerance ? RGB(gray: UInt8(best)) : colour
  }

  /// The top and bottom colours a half-block cell shows, or nil for cells
  /// that are not half-block image cells.
  public static func samples(of cell: Cell) -> (top: RGB, bottom: RGB)? {
    switch cell.glyph {
    case Cell.upperHalf: return (cell.foreground, cell.background)
    case Cell.lowerHalf: return (cell.background, cell.foreground)
    case " ": return (cell.background, cell.background)
    case Cell.fullBlock: return (cell.foreground, cell.foreground)
    default: return nil
    }
  }

  func close(_ a: RGB, _ b: RGB) -> Bool {
    abs(Int(a.r) - Int(b.r)) <= tolerance
      && abs(Int(a.g) - Int(b.g)) <= tolerance
      && abs(Int(a.b) - Int(b.b)) <= tolerance
  }

  /// Encodes one row of cells from its top and bottom samples. `previous`
  /// holds the cells on screen at the same places, when known.
  public func encodeRow(
    top: [RGB], bottom: [RGB], previous: [Cell?]
  ) -> [Cell] {
    precondition(top.count == bottom.count, "HalfBlockEncoder: row sizes")
    var cells: [Cell] = []
    cells.reserveCapacity(top.count)
    var foreground: RGB?
    var background: RGB?
    for index in 0..<top.count {
      let upper = top[index]
      let lower = bottom[index]
      let cell: Cell
      if index < previous.count, let old = previous[index],
        let shown = HalfBlockEncoder.samples(of: old),
        close(shown.top, upper), close(shown.bottom, lower)
      {
        cell = old
      } else {
        cell = choose(upper, lower, foreground, background)
      }
      cells.append(cell)
      switch cell.glyph {
      case " ": background = cell.background
      case Cell.fullBlock: foreground = cell.foreground
      default:
        foreground = cell.foreground
        background = cell.background
      }
    }
    return cells
  }

  /// Picks the form of one cell that changes the fewest of the current
  /// colours.
  private func choose(
    _ upper: RGB, _ lower: RGB, _ foreground: RGB?, _ background: RGB?
  ) -> Cell {
    func matches(_ current: RGB?, _ wanted: RGB) -> Bool {
      current.map { close($0, wanted) } ?? false
    }
    let keepForeground = foreground ?? upper
    let keepBackground = background ?? lower

    if close(upper, lower) {
      // One colour: a space on the current background, a full block in
      // the current foreground, else a space on a new background.
      if let background, close(background, upper), close(background, lower) {
        return Cell(" ", foreground: keepForeground, background: background)
      }
      if let foreground, close(foreground, upper), close(foreground, lower) {
        return Cell(
          Cell.fullBlock, foreground: foreground, background: keepBackground)
      }
      return Cell(" ", foreground: keepForeground, background: snapped(upper))
    }

    // Two colours: upper half (foreground on top) or lower half.
    let upperCost =
      (matches(foreground, upper) ? 0 : 1)
      + (matches(background, lower) ? 0 : 1)
    let lowerCost =
      (matches(foreground, lower) ? 0 : 1)
      + (matches(background, upper) ? 0 : 1)
    if lowerCost < upperCost {
      return Cell(
        Cell.lowerHalf,
        foreground: matches(foreground, lower) ? foreground! : snapped(lower),
        background: matches(background, upper) ? background! : snapped(upper))
    }
    return Cell(
      Cell.upperHalf,
      foreground: matches(foreground, upper) ? foreground! : snapped(upper),
      background: matches(background, lower) ? background! : snapped(lower))
  }
}
