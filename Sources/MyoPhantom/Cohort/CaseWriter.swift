import Foundation
import MyoImaging

/// Writes a phantom case folder: the slices in the case's format, a label
/// map beside each slice (or one label volume), `labels.csv` and
/// `grades.csv`.
public struct CaseWriter: Sendable {
  /// The root folder; the case folder is `root/<case id>`.
  public var root: String
  /// Number of slices per case.
  public var sliceCount: Int
  /// Image width in pixels; the height is 5/8 of it.
  public var width: Int

  /// Creates a writer.
  public init(root: String, sliceCount: Int, width: Int) {
    self.root = root
    self.sliceCount = sliceCount
    self.width = width
  }

  /// The implementation UID and version written in DICOM file meta
  /// groups: a UUID-derived UID (2.25 root) fixed for the project.
  static let implementationUID = "2.25.195528730712880573614285426651384211"
  static let implementationVersion = "MYOSCOPE_PH1"

  /// Renders and writes one case; returns the mean fat fraction of each
  /// muscle and side over the slices, from the rendered truth.
  @discardableResult
  public func write(_ phantomCase: PhantomCase) throws
    -> [Side: [Muscle: Double]]
  {
    let folder = (root as NSString).appendingPathComponent(phantomCase.id)
    try makeFolder(folder)
    let renderer = SliceRenderer(
      phantomCase: phantomCase, sliceCount: sliceCount, width: width)
    let slices = (0..<sliceCount).map { renderer.render($0) }

    switch phantomCase.format {
    case .dicom:
      for (index, slice) in slices.enumerated() {
        let name = "slice" + twoDigits(index + 1)
        let path = (folder as NSString).appendingPathComponent(name + ".dcm")
        let bytes = try DICOMSlice.encode(
          slice, index: index, phantomCase: phantomCase,
          renderer: renderer, path: path)
        try save(bytes, to: path)
        try saveLabels(slice, folder: folder, name: name)
      }
    case .png:
      for (index, slice) in slices.enumerated() {
        let name = "slice" + twoDigits(index + 1)
        let path = (folder as NSString).appendingPathComponent(name + ".png")
        let bytes = try PNGCodec.encode(
          PNGPixels(
            width: slice.width, height: slice.height, channels: 1, bitDepth: 16,
            samples: slice.pixels))
        try save(bytes, to: path)
        try saveLabels(slice, folder: folder, name: name)
      }
    case .nifti:
      try writeVolumes(slices, renderer: renderer, folder: folder)
    }

    let fatFractions = Self.fatFractions(slices)
    try save(Array(Self.legendCSV().utf8), to: folder + "/labels.csv")
    try save(
      Array(Self.gradesCSV(phantomCase, fatFractions: fatFractions).utf8),
      to: folder + "/grades.csv")
    return fatFractions
  }

  /// Creates the root folder when it is missing, so that a bad --out
  /// fails before any case is rendered.
  public func prepareRoot() throws {
    try makeFolder(root)
  }

  /// Writes the cohort manifest `cases.csv` into the root folder and
  /// returns its path.
  @discardableResult
  public func writeManifest(_ cases: [PhantomCase]) throws -> String {
    try makeFolder(root)
    let path = (root as NSString).appendingPathComponent("cases.csv")
    let text = CohortManifest.csv(cases, sliceCount: sliceCount)
    try save(Array(text.utf8), to: path)
    return path
  }

  /// The label legend: one row per muscle.
  public static func legendCSV() -> String {
    var text = "id,name,abbreviation\n"
    for muscle in Muscle.allCases {
      text += "\(muscle.rawValue),\(muscle.name),\(muscle.abbreviation)\n"
    }
    return text
  }

  /// The grade table: muscle abbreviation, side (R or L), Mercuri grade
  /// and the rendered mean fat fraction.
  public static func gradesCSV(
    _ phantomCase: PhantomCase, fatFractions: [Side: [Muscle: Double]]
  ) -> String {
    var text = "muscle,side,grade,fat_fraction\n"
    for side in Side.allCases {
      for muscle in Muscle.allCases {
        let fraction = fatFractions[side]?[muscle] ?? 0
        text += "\(muscle.abbreviation),\(side.rawValue),"
        text += "\(phantomCase.grade(muscle, side).text),"
        text += "\(threeDecimals(fraction))\n"
      }
    }
    return text
  }

  /// The mean truth fat fraction of each muscle and side over the
  /// slices, from the labelled pixels.
  public static func fatFractions(_ slices: [RenderedSlice])
    -> [Side: [Muscle: Double]]
  {
    var sums: [Side: [Muscle: (Double, Int)]] = [:]
    for slice in slices {
      for row in 0..<slice.height {
        for column in 0..<slice.width {
          let pixel = row * slice.width + column
          guard let muscle = Muscle(rawValue: Int(slice.labels[pixel]))
          else { continue }
          let side: Side = column < slice.width / 2 ? .right : .left
          let old = sums[side]?[muscle] ?? (0, 0)
          sums[side, default: [:]][muscle] = (
            old.0 + Double(slice.fatFraction[pixel]), old.1 + 1
          )
        }
      }
    }
    return sums.mapValues { table in
      table.mapValues { $0.1 > 0 ? $0.0 / Double($0.1) : 0 }
    }
  }

  private func saveLabels(_ slice: RenderedSlice, folder: String, name: String)
    throws
  {
    let bytes = try PNGCodec.encode(
      PNGPixels(
        width: slice.width, height: slice.height, channels: 1, bitDepth: 8,
        samples: slice.labels.map(UInt16.init)))
    try save(
      bytes,
      to: (folder as NSString).appendingPathComponent(name + ".labels.png"))
  }

  /// Writes `volume.nii.gz` and `volume.labels.nii.gz`. Voxel x runs to
  /// the patient's left and y to the posterior, so the affine negates
  /// both RAS+ axes and a radiological display needs no flip.
  private func writeVolumes(
    _ slices: [RenderedSlice], renderer: SliceRenderer, folder: String
  ) throws {
    let spacing = renderer.pixelSpacing
    let halfWidth = Double(renderer.width - 1) / 2 * spacing
    let halfHeight = Double(renderer.height - 1) / 2 * spacing
    let affine = [
      -spacing, 0, 0, halfWidth,
      0, -spacing, 0, halfHeight,
      0, 0, renderer.sliceSpacing, renderer.location(0),
    ]
    let sizes = [renderer.width, renderer.height, slices.count]
    let path = folder + "/volume.nii.gz"
    let image = try NIfTIWriter.encode(
      values: slices.flatMap { $0.pixels.map(Int.init) }, size: sizes,
      affine: affine, dataType: .int16,
      description: "myoscope phantom T1 SE TR 450 TE 12", compressed: true,
      path: path)
    try save(image, to: path)
    let labelPath = folder + "/volume.labels.nii.gz"
    let labels = try NIfTIWriter.encode(
      values: slices.flatMap { $0.labels.map(Int.init) }, size: sizes,
      affine: affine, dataType: .uint8,
      description: "myoscope phantom muscle labels", compressed: true,
      path: labelPath)
    try save(labels, to: labelPath)
  }

  private func makeFolder(_ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw PhantomError.folderNotCreated(
          path: path, reason: "a file of that name exists")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true)
    } catch {
      var reason = error.localizedDescription
      if reason.hasSuffix(".") { reason.removeLast() }
      throw PhantomError.folderNotCreated(path: path, reason: reason)
    }
  }

  private func save(_ bytes: [UInt8], to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes))
    else {
      throw PhantomError.fileNotWritten(path: path, bytes: bytes.count)
    }
  }
}

/// Formats a number with a leading zero to two digits.
func twoDigits(_ number: Int) -> String {
  number < 10 ? "0\(number)" : "\(number)"
}

/// Formats a fraction rounded to three decimals.
func threeDecimals(_ value: Double) -> String {
  let thousandths = Int((value * 1000).rounded())
  let whole = thousandths / 1000
  let rest = thousandths % 1000
  let digits = String(rest)
  return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
}
