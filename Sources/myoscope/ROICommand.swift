import Foundation
import MyoImaging

/// Prints the leg boxes found on each slice of an image file.
enum ROICommand: Command {
  static let name = "roi"
  static let summary = "find the thigh regions of interest"
  static let usage = """
    usage: myoscope roi PATH [--json] [--slice N]

    Finds the legs on each axial slice of PATH (a DICOM, NIfTI or PNG
    file) as the study did: an Otsu threshold, the largest connected
    regions, the legs split where they touch, and a minimal rectangle per
    leg and around both. Boxes are x,y widthxheight in display pixels,
    the screen's left leg first.

      --json      print one JSON object with a "slices" array
      --slice N   only slice N (from 1)
    """

  struct Entry: Encodable {
    var path: String
    var slice: Int
    var roi: ROIResult
  }

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let json = arguments.flag("--json")
    let only = try arguments.option("--slice").map { text -> Int in
      guard let value = Int(text), value >= 1 else {
        throw UsageError.invalidValue(
          text, option: "--slice", expected: "a slice number from 1")
      }
      return value
    }
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a file", command: name)
    }
    if paths.count > 1 {
      throw UsageError.unexpectedArgument(paths[1], command: name)
    }
    let images = try ImageFile.readAll(path: path)
    if let only, only > images.count {
      throw UsageError.invalidValue(
        "\(only)", option: "--slice", expected: "1 to \(images.count)")
    }
    var entries: [Entry] = []
    for (index, image) in images.enumerated()
    where only == nil || only == index + 1 {
      entries.append(
        Entry(path: path, slice: index + 1, roi: ROILocalizer.locate(image)))
    }

    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      let document = ["slices": entries]
      print(String(decoding: try encoder.encode(document), as: UTF8.self))
      return ExitStatus.success
    }
    for entry in entries {
      let roi = entry.roi
      var line = "slice \(entry.slice): threshold \(roi.threshold)"
      if roi.separated {
        line += ", legs \(roi.legs.map(\.description).joined(separator: " and "))"
      } else {
        line += ", not separated: \(roi.reason ?? "")"
        if let both = roi.both { line += "; body \(both)" }
      }
      if let both = roi.both, roi.separated { line += ", both \(both)" }
      print(line)
      for warning in roi.warnings { print("  warning: \(warning)") }
    }
    return ExitStatus.success
  }
}
