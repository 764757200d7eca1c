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
