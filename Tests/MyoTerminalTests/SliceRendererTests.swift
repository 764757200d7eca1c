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
      rect: CellRect(x: 0, y: 0, width: 2, height: 2), background: .black)
    #expect(drawn == CellRect(x: 0, y: 0, width: 2, height: 2))
    let expected: [(Int, Int, UInt8, UInt8)] = [
      (0, 0, 0, 64), (1, 0, 255, 64), (0, 1, 128, 255), (1, 1, 128, 0),
    ]
    for (x, y, top, bottom) in expected {
      let cell = grid[x, y]
      #expect(cell.glyph == Cell.upperHalf)
      #expect(cell.foreground == RGB(gray: top), "cell \(x),\(y) top")
      #expect(cell.background == RGB(gray: bottom), "cell \(x),\(y) bottom")
    }
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
