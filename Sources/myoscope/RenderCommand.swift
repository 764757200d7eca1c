import Foundation
import MyoImaging
import MyoNeural
import MyoTerminal

/// Prints one slice as half-block text, without the full-screen viewer.
enum RenderCommand: Command {
  static let name = "render"
  static let summary = "print one slice as terminal text, or write a PNG"
  static let usage = """
    usage: myoscope render FILE [--size COLSxROWS] [--slice N]
                               [--color truecolor|256|none] [--png OUT]
                               [--export OUT] [--tolerance N]
                               [--overlay roi]
                               [--overlay cam [--model BUNDLE]
                                [--colormap jet|viridis|cividis]
                                [--opacity P]]

    Prints slice N (default 1) of FILE, fitted into COLSxROWS cells
    (default 100x50), to standard output with ANSI colours. With --png it
    also writes the colours the cells show (two per cell, one above the
    other) as an 8-bit PNG, to look at what a terminal would show. With
    --export it writes the windowed slice at its own resolution as an 8-bit
    PNG, the input that other terminal renderers are compared on.
    --tolerance sets the largest colour difference per channel (0 to 16,
    default 3) between a sample and the colour that shows it; within it
    the half-block encoder trades bytes against error.

    Without --color, NO_COLOR or TERM=dumb selects none and 24-bit colour
    is used otherwise. --overlay cam classifies the slice with BUNDLE
    (default: the bundle the viewer uses) and blends its class activation
    map over the slice with colour map jet (default), viridis or cividis,
    at opacity P from 0 to 1 (default 0.45); the slice probability goes to
    standard error. --overlay roi draws the boxes that `myoscope roi`
    finds: one per leg (yellow) and one around both (red); the verdict
    goes to standard error.
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let cells = try arguments.cellSize("--size", default: (100, 50))
    let sliceNumber = try arguments.integer(
      "--slice", default: 1, range: 1...100_000)
    let colorText =
      try arguments.option("--color")
      ?? (ColorMode.fromEnvironment() == ColorMode.none ? "none" : "truecolor")
    let overlay = try RenderOverlay.parse(&arguments)
    let pngPath = try arguments.option("--png")
    let exportPath = try arguments.option("--export")
    let tolerance = try arguments.integer(
      "--tolerance", default: HalfBlockEncoder().tolerance, range: 0...16)
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a FILE to render", command: name)
    }
    guard let mode = ColorMode(rawValue: colorText == "24bit" ? "truecolor" : colorText)
    else {
      throw UsageError.invalidValue(
        colorText, option: "--color", expected: "truecolor, 256 or none")
    }

    let images: [ScalarImage]
    do {
      images = try ImageFile.readAll(path: path)
    } catch ImagingError.isFolder(let folder) {
      throw UsageError.folderGiven(
        folder, command: name,
        needs: "one image file (use --slice N for a volume)")
    }
    guard sliceNumber <= images.count else {
      throw UsageError.invalidValue(
        "\(sliceNumber)", option: "--slice",
        expected: "1 to \(images.count) for \(path)")
    }
    let image = images[sliceNumber - 1]
    let display = SliceDisplay(window: image.defaultWindow)
    var composition = SliceComposition(image: image, display: display)
    switch overlay?.kind {
    case .cam?: composition.heatmap = try overlay!.heatmap(for: image)
    case .roi?: composition.boxes = overlay!.roiBoxes(for: image)
    case nil: break
    }
    var grid = CellGrid(
      width: cells.columns, height: cells.rows,
      fill: Cell(" ", foreground: .white, background: .black))
    let drawn = SliceComposer.draw(
      composition, into: &grid,
      rect: CellRect(x: 0, y: 0, width: cells.columns, height: cells.rows),
      background: .black, mode: mode == .none ? ColorMode.none : .truecolor,
      encoder: HalfBlockEncoder(
        tolerance: tolerance, snapsToPaletteGrays: mode == .truecolor)
    ).cells
    // Print only the rows the image occupies.
    var cropped = CellGrid(
      width: cells.columns, height: drawn.height,
      fill: Cell(" ", foreground: .white, background: .black))
    for row in 0..<drawn.height {
      for column in 0..<cells.columns {
        cropped[column, row] = grid[column, row + drawn.y]
      }
    }
    FileHandle.standardOutput.write(
      Data(ANSIWriter.text(cropped, mode: mode).utf8))

    if let pngPath {
      // The colours the cells show, decoded from their glyphs; the bottom
      // half of the last row is dropped when the image has an odd number
      // of sample rows.
      let size = SliceRenderer.fittedSize(
        width: image.width, height: image.height, spacing: image.spacing,
        columns: cells.columns, rows: cells.rows)
      var rgb: [UInt8] = []
      rgb.reserveCapacity(size.width * size.height * 3)
      if mode == .none {
        // Shades of text have no colours: the samples themselves.
        rgb = SliceRenderer.samples(image, display: display, size: size)
          .flatMap { [$0.r, $0.g, $0.b] }
      }
      for sampleRow in 0..<size.height where mode != .none {
        for column in drawn.x..<(drawn.x + size.width) {
          let cell = cropped[column, sampleRow / 2]
          let shown =
            HalfBlockEncoder.samples(of: cell)
            ?? (cell.background, cell.background)
          let colour = sampleRow % 2 == 0 ? shown.top : shown.bottom
          rgb += [colour.r, colour.g, colour.b]
        }
      }
      let png = try PNGCodec.encodeRGB(rgb, width: size.width, height: size.height)
      try Data(png).write(to: URL(fileURLWithPath: pngPath))
    }
    if let exportPath {
      let native = SliceRenderer.samples(
        image, display: display, size: (image.width, image.height))
      let png = try PNGCodec.encodeRGB(
        native.flatMap { [$0.r, $0.g, $0.b] }, width: image.width,
        height: image.height)
      try Data(png).write(to: URL(fileURLWithPath: exportPath))
    }
    return ExitStatus.success
  }
}
