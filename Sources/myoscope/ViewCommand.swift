import Foundation
import MyoImaging
import MyoTerminal

/// Opens the full-screen viewer on a case folder, a root of cases or a
/// single file.
enum ViewCommand: Command {
  static let name = "view"
  static let summary = "browse cases in the full-screen viewer"
  static let usage = """
    usage: myoscope [view] [PATH] [--color auto|truecolor|256|none]
                   [--theme NAME] [--dither ordered|diffusion|none]
                   [--model BUNDLE]

    Opens PATH (a folder of case folders, one case folder, a NIfTI volume,
    a DICOM file or a PNG image) in the viewer. PATH defaults to
    SampleCases in the current folder. Press ? in the viewer for the keys.

    options:
      --color MODE    colour mode: auto (detect, the default), truecolor,
                      256 or none
      --theme NAME    theme: dark (default), light, high-contrast, a theme
                      in $XDG_CONFIG_HOME/myoscope/themes, or a file path
      --dither MODE   dithering in 256-colour mode: ordered (default),
                      diffusion or none
      --model BUNDLE  model bundle for the c key (default: the demo bundle,
                      or $MYOSCOPE_MODEL)
    """

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let color = try arguments.option("--color") ?? "auto"
    let preference: ColorMode?
    switch color {
    case "auto": preference = nil
    case "truecolor", "24bit": preference = .truecolor
    case "256": preference = .palette256
    case "none": preference = ColorMode.none
    default:
      throw UsageError.invalidValue(
        color, option: "--color", expected: "auto, truecolor, 256 or none")
    }
    let themeName = try arguments.option("--theme") ?? "dark"
    let ditherText = try arguments.option("--dither") ?? "ordered"
    guard let dithering = Dithering(rawValue: ditherText) else {
      throw UsageError.invalidValue(
        ditherText, option: "--dither", expected: "ordered, diffusion or none")
    }
    let bundle = try arguments.option("--model")
    let paths = try arguments.positionals()
    guard paths.count <= 1 else {
      throw UsageError.unexpectedArgument(paths[1], command: name)
    }
    let path = paths.first ?? "SampleCases"
    let cases = try CaseLibrary.cases(at: path)
    guard !cases.isEmpty else {
      throw ImagingError.noImages(path: path)
    }
    let theme = try Theme.load(named: themeName)
    let loader = SliceLoader()
    try checkSingleFile(path, cases: cases, loader: loader)
    do {
      return try ViewerApp.run(
        cases: cases, colorPreference: preference, theme: theme,
        dithering: dithering, loader: loader,
        model: ModelProvider(bundlePath: bundle))
    } catch TerminalError.noCursorAddressing(let term) {
      return plainText(cases, term: term)
    }
  }

  /// Throws the read error when PATH is one file that cannot be read,
  /// because a viewer with nothing but that error in it shows less than
  /// the message. The decoded slices stay in `loader` for the viewer.
  /// Inside a folder an unreadable file is left to the viewer, which shows
  /// its error in place of the slice.
  static func checkSingleFile(
    _ path: String, cases: [CaseEntry], loader: SliceLoader
  ) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder),
      !isFolder.boolValue, cases.count == 1, let entry = cases.first
    else { return }
    let source = CaseLibrary.slices(of: entry).first ?? SliceSource(path: path)
    if case .failure(let error) = loader.load(source) { throw error }
  }

  /// The fallback for terminals without cursor addressing (TERM=dumb):
  /// the case list and the first case's first slice as ASCII shades.
  static func plainText(_ cases: [CaseEntry], term: String) -> Int32 {
    print("TERM='\(term)' has no cursor addressing; showing plain text.")
    print("\(cases.count) cases:")
    for entry in cases { print("  " + entry.name) }
    guard let first = cases.first, let source = CaseLibrary.slices(of: first).first
    else { return ExitStatus.success }
    print("\n\(first.name), slice 1:")
    switch SliceLoader().load(source) {
    case .success(let image):
      var grid = CellGrid(
        width: 72, height: 24,
        fill: Cell(" ", foreground: .white, background: .black))
      let drawn = SliceRenderer.draw(
        image, display: SliceDisplay(window: image.defaultWindow),
        into: &grid, rect: CellRect(x: 0, y: 0, width: 72, height: 24),
        background: .black, ascii: true)
      for row in drawn.y..<(drawn.y + drawn.height) {
        print(grid.text(row: row))
      }
    case .failure(let error):
      print("\(error)")
    }
    return ExitStatus.success
  }
}
