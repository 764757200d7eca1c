import MyoImaging
import Testing

@testable import MyoTerminal

/// A window that maps 0 to black and 255 to white, like an 8-bit image.
private let byteWindow = Window(center: 128, width: 256)

@Suite("Slice renderer")
struct SliceRendererTests {
  @Test("one sample per pixel keeps the values")
  func identityScale() throws {
    // 2 x 4 image: rows 0..3 hold 0, 64, 128, 255 in both columns.
    let image = ScalarImage(
      width: 2, height: 4, values: [0, 0, 64, 64, 128, 128, 255, 255])
    let samples = SliceRenderer.samples(
      image, display: SliceDisplay(window: byteWindow), size: (2, 4))
    // DICOM linear window with c = 128, w = 256: y = (x - 127.5) / 255 + 0.5.
    let expected: [UInt8] = [0, 0, 64, 64, 128, 128, 255, 255]
    #expect(samples.map(\.g) == expected)
  }

  @Test("area averaging of 2 x 2 blocks")
  func areaAverage() throws {
    // 4 x 2 image, averaged to 2 x 1: blocks (0, 100, 20, 40) and
    // (200, 255, 255, 200).
    let image = ScalarImage(
      width: 4, height: 2, values: [0, 100, 200, 255, 20, 40, 255, 200])
    let samples = SliceRenderer.samples(
      image, display: SliceDisplay(window: byteWindow), size: (2, 1))
    #expect(samples.map(\.g) == [40, 228])
  }

  @Test("fractional coverage weights")
  func fractionalCoverage() throws {
    // 3 pixels to 2 samples: sample 0 covers pixel 0 and half of pixel 1.
    let image = ScalarImage(width: 3, height: 1, values: [0, 90, 180])
    let samples = SliceRenderer.samples(
      image, display: SliceDisplay(window: byteWindow), size: (2, 1))
    // (0 + 0.5 * 90) / 1.5 = 30 and (0.5 * 90 + 180) / 1.5 = 150.
    #expect(samples.map(\.g) == [30, 150])
  }

  @Test("fitted size keeps the physical aspect ratio")
  func fittedAspect() {
    let square = SliceRenderer.fittedSize(
      width: 512, height: 256, spacing: .unit, columns: 100, rows: 50)
    #expect(square.width == 100)
    #expect(square.height == 50)
    // Rows twice as far apart as columns: the image is as tall as wide.
    let tall = SliceRenderer.fittedSize(
      width: 100, height: 50, spacing: PixelSpacing(row: 2, column: 1),
      columns: 100, rows: 50)
    #expect(tall.width == 100)
    #expect(tall.height == 100)
  }

  @Test("MONOCHROME1 and invert flip gray levels")
  func inversion() {
    var image = ScalarImage(width: 1, height: 2, values: [0, 255])
    image.photometric = .monochrome1
    let inverted = SliceRenderer.samples(
      image, display: SliceDisplay(window: byteWindow), size: (1, 2))
    #expect(inverted.map(\.g) == [255, 0])
    let twice = SliceRenderer.samples(
      image, display: SliceDisplay(window: byteWindow, invert: true),
      size: (1, 2))
    #expect(twice.map(\.g) == [0, 255])
  }

  @Test("cells hold two samples, top as foreground")
  func halfBlocks() throws {
    // 2 x 4 image drawn into 2 x 2 cells: cell (0, 0) shows rows 0 and 1.
    let image = ScalarImage(
      width: 2, height: 4, values: [0, 255, 64, 64, 128, 128, 255, 0])
    var grid = CellGrid(
      width: 2, height: 2, fill: Cell(" ", foreground: .white, background: .black))
    let drawn = SliceRenderer.draw(
      image, display: SliceDisplay(window: byteWindow), into: &grid,
      rect: CellRect(x: 0, y: 0, width: 2, height: 2), background: .black,
      encoder: HalfBlockEncoder(tolerance: 0))
    #expect(drawn == CellRect(x: 0, y: 0, width: 2, height: 2))
    let expected: [(Int, Int, UInt8, UInt8)] = [
      (0, 0, 0, 64), (1, 0, 255, 64), (0, 1, 128, 255), (1, 1, 128, 0),
    ]
    for (x, y, top, bottom) in expected {
      let shown = try #require(HalfBlockEncoder.samples(of: grid[x, y]))
      #expect(shown.top == RGB(gray: top), "cell \(x),\(y) top")
      #expect(shown.bottom == RGB(gray: bottom), "cell \(x),\(y) bottom")
    }
    // Cell (1, 0) shows 255 over 64 after (0, 0) set the background to 64,
    // so the upper half keeps that background.
    #expect(grid[1, 0].glyph == Cell.upperHalf)
    #expect(grid[1, 0].background == RGB(gray: 64))
  }
}

@Suite("Half-block encoder")
struct HalfBlockEncoderTests {
  @Test("swaps halves to keep the current colours")
  func swaps() {
    let encoder = HalfBlockEncoder(tolerance: 0)
    let a = RGB(gray: 10)
    let b = RGB(gray: 200)
    // Cell 0 is a over b; cell 1 is b over a, drawn as a lower half block
    // so that foreground b... stays: upper half of cell 0 has foreground a.
    let cells = encoder.encodeRow(
      top: [a, b], bottom: [b, a], previous: [nil, nil])
    #expect(cells[0].glyph == Cell.upperHalf)
    #expect(cells[1].glyph == Cell.lowerHalf)
    #expect(cells[1].foreground == a)
    #expect(cells[1].background == b)
  }

  @Test("uniform cells become spaces or full blocks")
  func uniform() {
    let encoder = HalfBlockEncoder(tolerance: 2)
    let dark = RGB(gray: 20)
    let light = RGB(gray: 180)
    let cells = encoder.encodeRow(
      top: [light, dark, RGB(gray: 181)], bottom: [dark, dark, light],
      previous: [nil, nil, nil])
    #expect(cells[1].glyph == " ")
    #expect(cells[1].background == dark)
    #expect(cells[2].glyph == Cell.fullBlock)
    #expect(cells[2].foreground == light)
  }

  @Test("keeps the on-screen cell within tolerance")
  func temporal() {
    let encoder = HalfBlockEncoder(tolerance: 2)
    let old = Cell(
      Cell.upperHalf, foreground: RGB(gray: 100), background: RGB(gray: 50))
    let cells = encoder.encodeRow(
      top: [RGB(gray: 101)], bottom: [RGB(gray: 52)], previous: [old])
    #expect(cells[0] == old)
    let changed = encoder.encodeRow(
      top: [RGB(gray: 104)], bottom: [RGB(gray: 52)], previous: [old])
    #expect(changed[0] != old)
  }
}

/// A textured gray image for the encoder: a smooth gradient with a
/// seeded noise of a few levels, like muscle on MRI.
private func texturedRows(width: Int, rows: Int) -> [(top: [RGB], bottom: [RGB])] {
  var state: UInt64 = 12345
  func noise() -> Int {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int(state >> 33) % 9 - 4
  }
  func level(_ x: Int, _ y: Int) -> RGB {
    RGB(gray: UInt8(clamping: 60 + x + 2 * y + noise()))
  }
  return (0..<rows).map { row in
    (
      (0..<width).map { level($0, 2 * row) },
      (0..<width).map { level($0, 2 * row + 1) }
    )
  }
}

@Suite("Half-block encoder rate and distortion")
struct HalfBlockEncoderRateTests {
  /// The bytes of rows encoded and written as `myoscope render` does, and
  /// the mean squared error and largest error of the shown samples.
  func measure(_ encoder: HalfBlockEncoder, _ rows: [(top: [RGB], bottom: [RGB])])
    -> (bytes: Int, meanSquared: Double, largest: Int)
  {
    let width = rows[0].top.count
    var grid = CellGrid(
      width: width, height: rows.count,
      fill: Cell(" ", foreground: .white, background: .black))
    var squared = 0.0
    var largest = 0
    for (index, row) in rows.enumerated() {
      let before = index > 0 ? grid[width - 1, index - 1] : nil
      let cells = encoder.encodeRow(
        top: row.top, bottom: row.bottom,
        previous: Array(repeating: nil, count: width),
        current: before.map { ($0.foreground, $0.background) })
      for (column, cell) in cells.enumerated() {
        grid[column, index] = cell
        let shown = HalfBlockEncoder.samples(of: cell)!
        for (a, b) in [(shown.top, row.top[column]), (shown.bottom, row.bottom[column])] {
          let difference = abs(Int(a.g) - Int(b.g))
          squared += Double(difference * difference)
          largest = max(largest, difference)
        }
      }
    }
    let bytes = ANSIWriter.text(grid, mode: .truecolor).utf8.count
    return (bytes, squared / Double(2 * width * rows.count), largest)
  }

  @Test("fewer bytes than exact colours, within the tolerance and budget")
  func rateAndDistortion() {
    let rows = texturedRows(width: 80, rows: 12)
    let exact = measure(HalfBlockEncoder(tolerance: 0, snapsToPaletteGrays: true), rows)
    let coded = measure(HalfBlockEncoder(snapsToPaletteGrays: true), rows)
    #expect(exact.meanSquared == 0)
    // Every sample stays within the tolerance of the colour showing it,
    // and the mean squared error (2.2 here) is well under the 4 of errors
    // spread evenly over -3 to 3 (a PSNR above 44 dB), while the bytes
    // fall by more than half.
    #expect(coded.largest <= 3)
    #expect(coded.meanSquared < 2.5)
    #expect(Double(coded.bytes) < 0.5 * Double(exact.bytes))
  }

  @Test("a new colour is centred on the run it can serve")
  func runCentring() {
    // Samples alternate 100 and 105 along the row. A colour set to the
    // first sample (100) is not within 3 of the next (105), so each cell
    // would send a colour; one centred on the run (102 or 103) serves all.
    let values: [UInt8] = (0..<40).map { $0 % 2 == 0 ? 100 : 105 }
    let row = values.map { RGB(gray: $0) }
    // Without a budget: the row's error (4 levels squared) is over the
    // default one, which would trade colours for error.
    let cells = HalfBlockEncoder(distortionBudget: nil).encodeRow(
      top: row, bottom: row, previous: Array(repeating: nil, count: 40))
    for (cell, value) in zip(cells, values) {
      let shown = HalfBlockEncoder.samples(of: cell)!
      #expect(abs(Int(shown.top.g) - Int(value)) <= 3)
      #expect(abs(Int(shown.bottom.g) - Int(value)) <= 3)
    }
    var grid = CellGrid(
      width: 40, height: 1,
      fill: Cell(" ", foreground: .white, background: .black))
    for (column, cell) in cells.enumerated() { grid[column, 0] = cell }
    let text = ANSIWriter.text(grid, mode: .truecolor)
    // The reset at the start and end, and at most two colour changes.
    let escapes = text.unicodeScalars.filter { $0 == "\u{1B}" }.count
    #expect(escapes <= 4)
  }

  @Test("rows over the distortion budget are searched again")
  func budget() {
    let rows = texturedRows(width: 80, rows: 12)
    let free = measure(HalfBlockEncoder(distortionBudget: nil), rows)
    let bounded = measure(HalfBlockEncoder(distortionBudget: 1.5), rows)
    #expect(free.meanSquared > 1.5)
    #expect(bounded.meanSquared < free.meanSquared)
    #expect(bounded.largest <= 3)
  }

  @Test("more weight on error sends more colours for less error")
  func weight() {
    let rows = texturedRows(width: 80, rows: 12)
    let light = measure(HalfBlockEncoder(distortionWeight: 0.25), rows)
    let heavy = measure(HalfBlockEncoder(distortionWeight: 6), rows)
    #expect(heavy.bytes > light.bytes)
    #expect(heavy.meanSquared < light.meanSquared)
  }
}

@Suite("Text sanitizer")
struct TextSanitizerTests {
  @Test("escape sequences are shown escaped")
  func escapes() {
    #expect(TextSanitizer.sanitize("a\u{1B}[2Jb") == "a\\x1B[2Jb")
    #expect(TextSanitizer.sanitize("tab\there") == "tab\\x09here")
    #expect(TextSanitizer.sanitize("c1\u{9B}x") == "c1\\x9Bx")
  }

  @Test("wide and combining characters are replaced")
  func widths() {
    #expect(TextSanitizer.sanitize("M\u{00FC}ller") == "M\u{00FC}ller")
    #expect(TextSanitizer.sanitize("e\u{0301}") == "e?")
    #expect(TextSanitizer.sanitize("\u{5C71}") == "?")
  }
}

@Suite("256-colour palette")
struct PaletteTests {
  @Test("grays map to the gray ramp or cube corners")
  func grays() {
    #expect(Palette256.index(of: .black) == 16)
    #expect(Palette256.index(of: .white) == 231)
    #expect(Palette256.index(of: RGB(gray: 128)) == 244)
    #expect(Palette256.colour(of: 244) == RGB(gray: 128))
  }

  @Test("saturated colours map to the cube")
  func colours() {
    #expect(Palette256.index(of: RGB(255, 0, 0)) == 196)
    #expect(Palette256.colour(of: 196) == RGB(255, 0, 0))
  }
}

@Suite("256-colour dithering")
struct DitheringTests {
  /// Gray 15 lies between the palette grays 8 and 18, where a threshold
  /// pattern mixes the two.
  static let between = RGB(gray: 15)

  @Test("a flat area keeps one colour", arguments: [Dithering.ordered, .diffusion])
  func flatArea(dithering: Dithering) {
    var samples = [RGB](repeating: Self.between, count: 16 * 16)
    SliceComposer.quantize(&samples, width: 16, dithering: dithering)
    #expect(Set(samples) == [RGB(gray: 18)], "\(dithering)")
  }

  @Test(
    "one-level noise keeps one colour", arguments: [Dithering.ordered, .diffusion])
  func noisyFlatArea(dithering: Dithering) {
    // Grays 16 and 17 in a checkerboard, as windowing leaves them in a
    // flat background.
    var samples = (0..<(16 * 16)).map { index in
      RGB(gray: (index % 16 + index / 16) % 2 == 0 ? 16 : 17)
    }
    SliceComposer.quantize(&samples, width: 16, dithering: dithering)
    #expect(Set(samples) == [RGB(gray: 18)], "\(dithering)")
  }

  @Test("a ramp is still dithered", arguments: [Dithering.ordered, .diffusion])
  func ramp(dithering: Dithering) {
    // Eight rows of a ramp from gray 8 to 104, 3 levels per column:
    // without dithering each column would be one colour.
    let width = 32
    var samples: [RGB] = []
    for _ in 0..<8 {
      for x in 0..<width { samples.append(RGB(gray: UInt8(8 + x * 3))) }
    }
    SliceComposer.quantize(&samples, width: width, dithering: dithering)
    let mixedColumns = (0..<width).filter { x in
      Set((0..<8).map { samples[$0 * width + x] }).count > 1
    }
    #expect(mixedColumns.count > 4, "\(dithering): \(mixedColumns)")
  }

  @Test("a uniform slice shows one colour in 256 colours")
  func uniformSlice() throws {
    let image = ScalarImage(
      width: 40, height: 40, values: [Float](repeating: 15, count: 1600))
    var grid = CellGrid(
      width: 40, height: 20,
      fill: Cell(" ", foreground: .white, background: .black))
    let drawn = SliceComposer.draw(
      SliceComposition(image: image, display: SliceDisplay(window: byteWindow)),
      into: &grid, rect: CellRect(x: 0, y: 0, width: 40, height: 20),
      background: .black, mode: .palette256, dithering: .ordered)
    #expect(drawn.cells.width * drawn.cells.height == 40 * 20)
    var shown = Set<RGB>()
    for y in drawn.cells.y..<(drawn.cells.y + drawn.cells.height) {
      for x in drawn.cells.x..<(drawn.cells.x + drawn.cells.width) {
        let samples = try #require(HalfBlockEncoder.samples(of: grid[x, y]))
        shown.insert(samples.top)
        shown.insert(samples.bottom)
      }
    }
    #expect(shown == [RGB(gray: 18)])
  }
}
