import Foundation
import MyoImaging
import MyoSupport

/// Prints the format, geometry, pixel encoding, windows, rescale and
/// per-frame value statistics of image files.
enum InfoCommand: Command {
  static let name = "info"
  static let summary = "describe image files and series"
  static let usage = """
    usage: myoscope info PATH [--json] [--phi] [--strict]

    Describes a DICOM, NIfTI or PNG file, or every image file in a folder
    with its DICOM series. Statistics are of the modality values (after
    bit masking, sign extension and rescale), per frame or axial slice.

      --json   print one JSON object; man/myoscope-info.md lists the keys
      --phi    include identifying attributes (patient name, ID, dates)
               and the real Series Instance UIDs, which can contain the
               scanner's serial number and a date and time
      --strict reject DICOM files with problems that are otherwise
               reported as warnings (odd value lengths, missing delimiters)
    """

  /// The JSON document: the files and, for a folder, its DICOM series.
  struct Report: Encodable {
    struct Series: Encodable {
      var seriesInstanceUID: String
      var seriesDescription: String
      var seriesNumber: Int?
      var axial: Bool
      var t1: Bool
      var slices: Int
      var preferred: Bool
    }
    struct Failure: Encodable {
      var path: String
      var error: String
    }
    var files: [ImageInfo]
    var errors: [Failure]
    var series: [Series]
  }

  static func run(_ arguments: inout Arguments) throws -> Int32 {
    let json = arguments.flag("--json")
    let phi = arguments.flag("--phi")
    let strict = arguments.flag("--strict")
    let paths = try arguments.positionals()
    guard let path = paths.first else {
      throw UsageError.missingArgument("a file or folder", command: name)
    }
    if paths.count > 1 {
      throw UsageError.unexpectedArgument(paths[1], command: name)
    }

    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    else {
      throw ImagingError.unreadable(path: path, reason: "no such file or folder")
    }
    let files = isFolder.boolValue ? try CaseLibrary.imageFiles(in: path) : [path]
    var report = Report(files: [], errors: [], series: [])
    for file in files {
      do {
        report.files.append(try ImageInspector.inspect(path: file, phi: phi, strict: strict))
      } catch {
        report.errors.append(.init(path: file, error: "\(error)"))
      }
    }
    let groups = isFolder.boolValue ? SeriesGroup.groups(of: files) : []
    let preferred = SeriesGroup.preferred(groups)
    report.series = groups.map {
      Report.Series(
        seriesInstanceUID: phi ? $0.uid : standIn(for: $0.uid),
        seriesDescription: $0.description,
        seriesNumber: $0.number, axial: $0.isAxial, t1: $0.isT1,
        slices: $0.slices.count, preferred: $0.uid == preferred?.uid)
    }
    if !phi {
      for index in report.files.indices {
        report.files[index].seriesInstanceUID =
          report.files[index].seriesInstanceUID.map(standIn(for:))
      }
    }

    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
      for info in report.files { print(text(info)) }
      for failure in report.errors {
        print("\(failure.path)\n  error: \(failure.error)\n")
      }
      for series in report.series {
        let mark = series.preferred ? " (opened first)" : ""
        print(
          "series \(series.seriesNumber.map(String.init) ?? "-")"
            + " \(series.seriesDescription): \(series.slices) slices,"
            + " \(series.axial ? "axial" : "not axial"),"
            + " \(series.t1 ? "T1" : "not T1")\(mark)")
      }
    }
    return report.errors.isEmpty ? ExitStatus.success : ExitStatus.failure
  }

  /// Returns the UID printed without `--phi` in place of a Series Instance
  /// UID: a UID under the 2.25 root (PS3.5 B.2) from 128 bits of SHA-256
  /// of it. A scanner's UID can contain its serial number and a date and
  /// time, so it is identifying. The stand-in is the same for
  /// the same series in every run, so it still groups files; "" stays "".
  static func standIn(for uid: String) -> String {
    guard !uid.isEmpty else { return uid }
    let digest = SHA256.digest(Array("myoscope series \(uid)".utf8))
    var value: UInt128 = 0
    for byte in digest.prefix(16) { value = value << 8 | UInt128(byte) }
    return "2.25.\(value)"
  }

  static func text(_ info: ImageInfo) -> String {
    var lines = [info.path]
    func add(_ name: String, _ value: String?) {
      // Names longer than the column (ReferringPhysicianName) keep one
      // space before the value rather than being cut.
      if let value {
        let padded =
          name.count < 20 ? name.padding(toLength: 20, withPad: " ", startingAt: 0) : name + " "
        lines.append("  " + padded + value)
      }
    }
    add("format", info.format)
    add("transfer syntax", info.transferSyntax.map { "\($0) (\(info.transferSyntaxUID ?? ""))" })
    add("size", "\(info.columns) x \(info.rows), \(info.frames) frame(s)")
    add("samples", "\(info.samplesPerPixel), \(info.photometric)")
    if let allocated = info.bitsAllocated {
      let stored = info.bitsStored.map { ", \($0) stored" } ?? ""
      let high = info.highBit.map { ", high bit \($0)" } ?? ""
      let sign = info.signed.map { $0 ? ", signed" : ", unsigned" } ?? ""
      add("bits", "\(allocated) allocated\(stored)\(high)\(sign)")
    }
    add("pixel spacing", info.pixelSpacing.map { String($0) }.joined(separator: " x ") + " mm")
    for window in info.windows {
      add("window", "centre \(window.center), width \(window.width) (\(window.name))")
    }
    add("rescale", rescaleText(info))
    add("series", info.seriesDescription)
    if let tiles = info.mosaicTiles, let size = info.mosaicTileSize, size.count == 2 {
      add("mosaic", "\(tiles) slices of \(size[0]) x \(size[1]) (Siemens)")
    }
    add("NIfTI dimensions", info.niftiDimensions.map { $0.map(String.init).joined(separator: " x ") })
    add("affine", info.affineSource)
    for frame in info.frameStatistics {
      add(
        "frame \(frame.index)",
        "min \(format(frame.minimum)), max \(format(frame.maximum)),"
          + " mean \(format(frame.mean))")
    }
    for (name, value) in (info.phi ?? [:]).sorted(by: { $0.key < $1.key }) {
      add(name, value)
    }
    for warning in info.warnings { add("warning", warning) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Formats the rescale line. A NIfTI scl_slope of 0, or one that is not
  /// a finite number, means the stored values are used unscaled and
  /// scl_inter is ignored, as the NIfTI reader does.
  static func rescaleText(_ info: ImageInfo) -> String? {
    guard let slope = info.rescaleSlope else { return nil }
    if info.format.hasPrefix("NIfTI") && (slope == 0 || !slope.isFinite) {
      return "none (scl_slope \(slope))"
    }
    return "slope \(slope), intercept \(info.rescaleIntercept ?? 0)"
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15
      ? String(Int(value)) : String(format: "%.4f", value)
  }
}
