import Foundation

/// How the terminal shows colour.
public enum ColorMode: String, Sendable, CaseIterable {
  /// 24-bit RGB colour.
  case truecolor
  /// The xterm 256-colour palette.
  case palette256 = "256"
  /// No colour: images as ASCII shades, text in the default colours.
  case none

  /// Chooses a mode from the environment: NO_COLOR and TERM=dumb give
  /// none, COLORTERM=truecolor or 24bit gives truecolor, else the
  /// terminfo entry decides (see `Terminal`).
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> ColorMode? {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
      return ColorMode.none
    }
    let term = environment["TERM"] ?? ""
    if term == "dumb" || term.isEmpty { return ColorMode.none }
    let colorterm = (environment["COLORTERM"] ?? "").lowercased()
    if colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
    return nil
  }
}

/// Maps RGB colours to the xterm 256-colour palette.
public enum Palette256 {
  /// Levels of the 6 x 6 x 6 colour cube (indices 16 to 231).
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// The palette index nearest to a colour, choosing between the colour
  /// cube and the 24-step gray ramp (indices 232 to 255, levels 8 to 238).
  public static func index(of colour: RGB) -> Int {
    let (r, g, b) = (Int(colour.r), Int(colour.g), Int(colour.b))
    func nearestCube(_ value: Int) -> Int {
      var best = 0
      for (index, level) in cubeLevels.enumerated()
      where abs(level - value) < abs(cubeLevels[best] - value) {
        best = index
      }
      return best
    }
    let (cr, cg, cb) = (nearestCube(r), nearestCube(g), nearestCube(b))
    let cubeColour = (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])
    let gray = (r + g + b) / 3
    let step = max(0, min(23, Int((Double(gray - 8) / 10).rounded())))
    let grayLevel = 8 + 10 * step
    func distance(_ x: (Int, Int, Int)) -> Int {
      (x.0 - r) * (x.0 - r) + (x.1 - g) * (x.1 - g) + (x.2 - b) * (x.2 - b)
    }
    let cubeDistance = distance(cubeColour)
    let grayDistance = distance((grayLevel, grayLevel, grayLevel))
    return grayDistance < cubeDistance
      ? 232 + step : 16 + 36 * cr + 6 * cg + cb
  }

  /// The colour of a palette index from 16 to 255.
  public static func colour(of index: Int) -> RGB {
    if index >= 232 {
      let level = UInt8(8 + 10 * (index - 232))
      return RGB(gray: level)
    }
    let cube = max(0, index - 16)
    return RGB(
      UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[cube / 6 % 6]),
      UInt8(cubeLevels[cube % 6]))
  }
}
