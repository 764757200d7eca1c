/// A colour scale for heatmaps: 256 colours from low to high values.
public struct ColorMap: Sendable, Equatable {
  /// The map's name as themes and options write it.
  public let name: String
  /// 256 colours, index 0 for the lowest value.
  public let colours: [RGB]

  /// The colour of a value in [0, 1]; values outside are clamped.
  public func colour(_ value: Float) -> RGB {
    let clamped = value.isFinite ? min(max(value, 0), 1) : 0
    return colours[Int((clamped * 255).rounded())]
  }

  /// Builds a map by linear interpolation between evenly spaced anchors.
  init(name: String, anchors: [(Double, Double, Double)]) {
    self.name = name
    var colours: [RGB] = []
    for index in 0..<256 {
      let position = Double(index) / 255 * Double(anchors.count - 1)
      let lower = min(Int(position), anchors.count - 2)
      let t = position - Double(lower)
      let a = anchors[lower]
      let b = anchors[lower + 1]
      func mix(_ x: Double, _ y: Double) -> UInt8 {
        UInt8(clamping: Int(((x + (y - x) * t) * 255).rounded()))
      }
      colours.append(RGB(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)))
    }
    self.colours = colours
  }

  /// Jet, as in the study's figures: blue, cyan, yellow, red.
  public static let jet = ColorMap(
    name: "jet",
    anchors: [
      (0, 0, 0.5), (0, 0, 1), (0, 0.5, 1), (0, 1, 1), (0.5, 1, 0.5),
      (1, 1, 0), (1, 0.5, 0), (1, 0, 0), (0.5, 0, 0),
    ])

  /// Viridis, perceptually uniform; anchors sampled from matplotlib's
  /// table at tenths.
  public static let viridis = ColorMap(
    name: "viridis",
    anchors: [
      (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530),
      (0.207, 0.372, 0.553), (0.164, 0.471, 0.558), (0.128, 0.567, 0.551),
      (0.135, 0.659, 0.518), (0.267, 0.749, 0.441), (0.478, 0.821, 0.318),
      (0.741, 0.873, 0.150), (0.993, 0.906, 0.144),
    ])

  /// Cividis, designed to read the same with colour-vision deficiency;
  /// anchors sampled from matplotlib's table at tenths.
  public static let cividis = ColorMap(
    name: "cividis",
    anchors: [
      (0.000, 0.135, 0.305), (0.032, 0.201, 0.441), (0.209, 0.273, 0.425),
      (0.310, 0.340, 0.425), (0.401, 0.412, 0.441), (0.489, 0.485, 0.471),
      (0.582, 0.559, 0.468), (0.684, 0.639, 0.444), (0.786, 0.720, 0.400),
      (0.897, 0.811, 0.321), (0.996, 0.909, 0.218),
    ])

  /// Every built-in map, in the order the `M` key cycles through them.
  public static let all: [ColorMap] = [.jet, .viridis, .cividis]

  /// A built-in map by name.
  public static func named(_ name: String) -> ColorMap? {
    all.first { $0.name == name.lowercased() }
  }
}
