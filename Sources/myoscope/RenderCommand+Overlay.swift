import Foundation
import MyoImaging
import MyoNeural
import MyoTerminal

/// The overlay that `render --overlay` draws over the slice: the class
/// activation map (`cam`), blended with the bundle, colour map and opacity
/// the options chose, or the ROI boxes (`roi`), one per leg and one around
/// both.
struct RenderOverlay {
  /// The overlays `--overlay` names.
  enum Kind: String {
    case cam, roi
  }

  var kind: Kind = .cam
  var bundlePath: String
  var colorMap: ColorMap
  var opacity: Float

  /// Reads the overlay options; returns nil without `--overlay`.
  static func parse(_ arguments: inout Arguments) throws -> RenderOverlay? {
    let kind = try arguments.option("--overlay")
    let bundlePath = try arguments.option("--model")
    let mapName = try arguments.option("--colormap")
    let opacityText = try arguments.option("--opacity")
    guard let kind else {
      for (value, option) in [
        (bundlePath, "--model"), (mapName, "--colormap"), (opacityText, "--opacity"),
      ] {
        if value != nil {
          throw MissingOverlay(option: option)
        }
      }
      return nil
    }
    guard let chosen = Kind(rawValue: kind) else {
      throw UsageError.invalidValue(
        kind, option: "--overlay", expected: "cam or roi")
    }
    if chosen == .roi {
      for (value, option) in [
        (bundlePath, "--model"), (mapName, "--colormap"), (opacityText, "--opacity"),
      ] where value != nil {
        throw UsageError.invalidValue(
          value!, option: option,
          expected: "no value with --overlay roi; it sets the cam overlay")
      }
      return RenderOverlay(
        kind: .roi, bundlePath: "", colorMap: .jet, opacity: 0)
    }
    let colorMap: ColorMap
    if let mapName {
      guard let named = ColorMap.named(mapName) else {
        throw UsageError.invalidValue(
          mapName, option: "--colormap",
          expected: ColorMap.all.map(\.name).joined(separator: ", "))
      }
      colorMap = named
    } else {
      colorMap = .jet
    }
    var opacity: Float = 0.45
    if let opacityText {
      guard let value = Float(opacityText), value >= 0, value <= 1 else {
        throw UsageError.invalidValue(
          opacityText, option: "--opacity", expected: "a number from 0 to 1")
      }
      opacity = value
    }
    return RenderOverlay(
      kind: .cam, bundlePath: try ModelBundlePath.resolve(bundlePath),
      colorMap: colorMap, opacity: opacity)
  }

  /// Classifies the slice and returns its heatmap layer, or nil when the
  /// map is negative everywhere (no region speaks for dystrophinopathy).
  /// Writes the slice probability and the bundle's name to standard error.
  func heatmap(for image: ScalarImage) throws -> HeatmapLayer? {
    let classifier = try Classifier.load(bundle: bundlePath)
    let result = try classifier.classify([image])
    guard let slice = result.slices.first, let cam = slice.cam else {
      throw NeuralError.invalidInput(
        reason: "\(bundlePath) gives no class activation map for this slice")
    }
    var note = String(
      format: "slice p = %.3f (%@)", slice.probability, classifier.bundleName)
    if let demo = classifier.demoLabel { note += "; " + demo }
    FileHandle.standardError.write(Data((note + "\n").utf8))
    let overlay = cam.overlay(scaling: .minMax)
    guard !overlay.isAllNegative else {
      FileHandle.standardError.write(
        Data("the map is negative everywhere: no overlay drawn\n".utf8))
      return nil
    }
    return HeatmapLayer(
      values: overlay.values,
      region: PixelRect(
        x: cam.crop.x, y: cam.crop.y, width: cam.crop.width,
        height: cam.crop.height),
      colorMap: colorMap, opacity: opacity)
  }

  /// Finds the legs on the slice and returns the boxes to draw. Writes the
  /// verdict and any warnings to standard error, as `myoscope roi` words
  /// them.
  func roiBoxes(for image: ScalarImage) -> [(rect: PixelRect, colour: RGB)] {
    let roi = ROILocalizer.locate(image)
    var lines: [String] = []
    if roi.separated {
      lines.append("ROI: \(roi.legs.count) legs separated")
    } else {
      lines.append("ROI: " + (roi.reason ?? "legs cannot be separated"))
    }
    lines += roi.warnings.map { "warning: " + $0 }
    FileHandle.standardError.write(
      Data((lines.joined(separator: "\n") + "\n").utf8))
    return ROIBoxes.boxes(roi, theme: .dark)
  }
}

/// An overlay option given without `--overlay cam`.
struct MissingOverlay: Error, CustomStringConvertible {
  let option: String
  var description: String {
    "'\(option)' sets the class activation map overlay; add '--overlay cam'"
  }
}
