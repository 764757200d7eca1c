import Foundation
import MyoImaging
import Testing

@testable import MyoTerminal

/// A temporary root folder with two cases: "alpha" holds a 16 x 8 PNG ramp
/// and a corrupt DICOM file, "beta" holds one PNG.
private func makeCases() throws -> String {
  let root = NSTemporaryDirectory() + "myoscope-layout-\(getpid())-\(UUID())"
  let manager = FileManager.default
  for name in ["alpha", "beta"] {
    try manager.createDirectory(
      atPath: root + "/" + name, withIntermediateDirectories: true)
  }
  // Gray ramp: column x has value 16 * x, so the left edge is black.
  let ramp = PNGPixels(
    width: 16, height: 8, channels: 1, bitDepth: 8,
    samples: (0..<128).map { UInt16(($0 % 16) * 16) })
  let png = try PNGCodec.encode(ramp)
  try Data(png).write(to: URL(fileURLWithPath: root + "/alpha/slice1.png"))
  try Data(png).write(to: URL(fileURLWithPath: root + "/beta/slice1.png"))
  // 132 bytes of preamble and "DICM", then a group length cut short.
  var corrupt = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
  corrupt += [0x02, 0x00, 0x00, 0x00, 0x55, 0x4C, 0x04]
  try Data(corrupt).write(to: URL(fileURLWithPath: root + "/alpha/slice2.dcm"))
  return root
}

@Suite("Viewer layout")
struct ViewerLayoutTests {
  @Test("case list, slice and status line")
  func screen() throws {
    let root = try makeCases()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let state = ViewerState(cases: try CaseLibrary.cases(at: root))
    var grid = CellGrid(
      width: 60, height: 12,
      fill: Cell(" ", foreground: .white, background: .black))
    ViewerLayout.draw(state, into: &grid)

    #expect(grid.text(row: 0).hasPrefix(" Cases (2)"))
    // The opened case has a dot mark.
    #expect(grid.text(row: 1).hasPrefix("\u{00B7}alpha"))
    #expect(grid.text(row: 2).hasPrefix(" beta"))
    #expect(grid[1, 1].background == Theme.dark.selection)
    let status = grid.text(row: 11)
    #expect(status.hasPrefix(" alpha  slice 1/2  W "))

    // The list takes 14 columns and a separator, so the slice view is 45
    // columns wide and its image area, inside the orientation labels, 41 x
    // 9 cells, or 41 x 18 samples. The 16 x 8 ramp scales by min(41 / 16,
    // 18 / 8) = 2.25 to 36 x 18 samples: 36 x 9 cells from column 19.
    let composed = try #require(state.geometry.slice)
    #expect(composed.cells == CellRect(x: 19, y: 1, width: 36, height: 9))
    #expect(!grid.text(row: 5).contains("R"))
    let row = 5
    let left = try #require(HalfBlockEncoder.samples(of: grid[19, row]))
    #expect(left.top == RGB(gray: 0))
    #expect(left.bottom == RGB(gray: 0))
    let right = try #require(HalfBlockEncoder.samples(of: grid[19 + 35, row]))
    #expect(right.top.g > 200)
    #expect(grid[19 + 36, row].background == Theme.dark.background)
    let imageRows = (0..<grid.height).filter {
      HalfBlockEncoder.samples(of: grid[30, $0]).map { $0.top.g > 60 } ?? false
    }
    #expect(imageRows == Array(1...9))
  }

  @Test("a corrupt file shows its error in place")
  func corruptSlice() throws {
    let root = try makeCases()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let state = ViewerState(cases: try CaseLibrary.cases(at: root))
    #expect(state.handle(.pageDown) == .redraw)
    var grid = CellGrid(
      width: 80, height: 16,
      fill: Cell(" ", foreground: .white, background: .black))
    ViewerLayout.draw(state, into: &grid)
    let screen = (0..<16).map { grid.text(row: $0) }.joined(separator: "\n")
    #expect(screen.contains("slice2.dcm"))
    #expect(screen.contains("truncated"))
    #expect(grid.text(row: 15).contains("slice 2/2"))

    // The rest of the case still browses.
    #expect(state.handle(.pageUp) == .redraw)
    #expect(throws: Never.self) { try state.currentImage?.get() }
    #expect(state.handle(.down) == .redraw)
    #expect(state.currentCase?.name == "beta")
  }

  @Test("window keys change width and level")
  func windowKeys() throws {
    let root = try makeCases()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let state = ViewerState(cases: try CaseLibrary.cases(at: root))
    let image = try #require(try state.currentImage?.get())
    let start = state.window(for: image)
    #expect(state.handle(.character("W")) == .redraw)
    #expect(abs(state.window(for: image).width - start.width * 1.1) < 1e-9)
    #expect(state.handle(.character("L")) == .redraw)
    #expect(state.window(for: image).center > start.center)
    #expect(state.handle(.character("r")) == .redraw)
    #expect(state.window(for: image) == start)
    #expect(state.handle(.character("q")) == .quit)
  }
}
